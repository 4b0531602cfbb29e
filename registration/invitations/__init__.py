"""Inviting people to a conference or to panels, with personal registration links."""
