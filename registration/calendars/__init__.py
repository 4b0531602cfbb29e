"""Calendar feeds and the iCalendar builder shared with invitations."""
