"""Optional LLM copy (OpenAI) with a database cache and a deterministic fallback."""
