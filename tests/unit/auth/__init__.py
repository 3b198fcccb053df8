"""Unit tests of the auth adapters: keys, JWE tokens and revocation lists."""
