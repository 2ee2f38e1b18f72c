"""The live crawl, assembled from settings (called by ``bootstrap`` only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yescount.config import Settings
from yescount.ingest.config import SourceConfig
from yescount.ingest.fetcher import FetchedPage, Fetcher
from yescount.ingest.pages import LivePages, PageRecorder
from yescount.ingest.socrata import socrata_pages


def live_pages(settings: Settings, *, today: date, save_pages: Path | None = None) -> LivePages:
    """A live crawl with the configured User-Agent (recording pages when asked)."""
    recorder = PageRecorder(save_pages) if save_pages else None

    def fetcher_for(source: SourceConfig) -> Fetcher:
        def record(page: FetchedPage) -> None:
            if recorder is not None:
                recorder.save(source.name, page)

        return Fetcher(
            user_agent=settings.user_agent, politeness=source.politeness, on_fetch=record
        )

    token = settings.nyc_open_data_app_token
    return LivePages(
        fetcher_for,
        today=today,
        json_pages=lambda src, fetcher, day: socrata_pages(
            src,
            fetcher,
            day,
            dataset_id=settings.nyc_open_data_dataset_id,
            app_token=token.get_secret_value() if token else None,
        ),
    )
