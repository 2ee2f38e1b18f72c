"""Search: embedders, vector indexes (Chroma, pgvector), full text, hybrid ranking."""
