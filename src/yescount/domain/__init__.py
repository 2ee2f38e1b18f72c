"""Pure product rules: plain dataclasses and functions, standard library only."""
