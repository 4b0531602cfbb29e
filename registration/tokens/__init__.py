"""Personal access tokens for the API: created and revoked by their owner, stored hashed."""
