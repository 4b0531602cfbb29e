"""Fan-out jobs: work that grows with the number of people, run by workers.

An organiser's action writes its change and one `Job` in the same transaction (`start`);
the job's id is published to Celery after commit. A worker runs the handler registered for
the job's kind (`registry`), which expands it into per-person outbox rows idempotently, in
chunks with commits. A beat sweeper publishes again jobs left queued or running too long.
This package is plumbing: capabilities register handlers into it; it imports none of them.
"""
