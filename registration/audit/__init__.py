"""The audit log: who changed what, when, from what to what; append-only.

`recorder` writes entries (a session hook for watched models, `record` for other events);
`watched` says which models and fields are watched; `queries` reads and exports them.
"""
