"""The audit log: who changed what, when, from what to what; append-only.

`recorder` writes entries (a session hook for watched models, `record` for other events);
`queries` reads and exports them. Plumbing: it imports no capability, so every capability
records; `audit_pages` (its pages and which models are watched) sits above them.
"""
