"""Webhooks: organisers' programs told what happens, signed as Standard Webhooks says.

A capability announces an event in the transaction of its change (`registration.jobs.events`);
this package listens, and when someone subscribed writes one fan-out job with it. The job's
handler writes one delivery per subscription (unique per event and subscription), and a
Celery task POSTs each, with retries, a log of attempts, and a subscription disabled after
persistent failure (its owner told by mail). Targets must be public http(s) hosts (`guard`).
"""
