"""Outgoing mail: an outbox written in the same transaction as the change that causes it."""
