"""Event series, conferences and their panels or sessions."""
