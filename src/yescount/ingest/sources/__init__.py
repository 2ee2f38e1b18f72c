"""One adapter module per source; ``yescount.ingest.registry`` lists them all."""
