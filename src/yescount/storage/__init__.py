"""Storage: engine factory, tables, repositories, unit of work, migrations."""
