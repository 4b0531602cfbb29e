"""Personal data kept only as long as needed: erased N months after a conference ends, or
at once when a participant asks; the aggregate figures stay."""
