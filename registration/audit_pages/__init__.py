"""The audit log's pages, its CSV and the models it watches: above the capabilities it reads."""
