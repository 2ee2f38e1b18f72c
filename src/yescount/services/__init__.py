"""Use cases: one function each, one transaction each, plain data out."""
