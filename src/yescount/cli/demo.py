"""Demo data commands: ``demo load`` / ``demo remove`` (filled in by the demo-data work)."""
