"""Ingestion: fetch → extract candidates → normalize → validate → dedupe (SPEC §3).

``fetcher`` is the only module that does HTTP. Every other stage is a pure
function of a saved page, so live runs and ``--from-dir`` replays share one
code path (``pipeline.process_page``).
"""
