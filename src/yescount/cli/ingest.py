"""Ingestion commands: ``ingest``, ``extract`` (filled in by the ingestion work)."""
