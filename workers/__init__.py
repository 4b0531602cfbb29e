"""Celery workers: the mail pipeline and scheduled jobs."""
