"""Small factories for test data (no copy-pasted dicts)."""
