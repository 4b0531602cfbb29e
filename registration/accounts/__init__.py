"""Organiser accounts: login, logout and the command that creates them."""
