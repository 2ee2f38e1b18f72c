"""Demo data: a hand-written, offline catalogue of NYC events dated relative to today."""

from yescount.demo.catalogue import DemoEntry, build_records, load_catalogue

__all__ = ["DemoEntry", "build_records", "load_catalogue"]
