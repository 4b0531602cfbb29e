"""Demo data from the source documents, and the one-command local run."""
