"""About the service itself: its accessibility statement."""
