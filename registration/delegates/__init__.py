"""In-person delegates: visa support letters and one page for all of a person's registrations.

Above signup, attendance and calendars (it uses them; none of them uses it)."""
