"""Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a retried write answers once."""
