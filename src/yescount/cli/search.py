"""Search commands: ``search``, ``reindex``, ``index-parity`` (filled in by the search work)."""
