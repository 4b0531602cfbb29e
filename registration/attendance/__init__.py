"""Hybrid attendance: badges and check-in, personal join links, meeting reports, figures."""
