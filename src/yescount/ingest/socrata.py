"""NYC Open Data (Socrata SODA API): paged JSON of upcoming rows, through the fetcher."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from yescount.errors import IngestError
from yescount.ingest.config import SourceConfig
from yescount.ingest.fetcher import Fetcher
from yescount.ingest.models import Page
from yescount.ingest.pages import PageFailure, PageOrFailure


def resource_url(base_url: str, dataset_id: str) -> str:
    """``https://data.cityofnewyork.us/resource/<dataset>.json``."""
    return f"{base_url.rstrip('/')}/resource/{dataset_id}.json"


def query_params(source: SourceConfig, today: date, page_number: int) -> dict[str, str | int]:
    """SoQL paging (``$limit``/``$offset``, stable ``$order``) and a future-dates ``$where``."""
    options = source.socrata
    assert options is not None
    return {
        "$where": f"{options.date_field} >= '{today.isoformat()}T00:00:00'",
        "$order": f"{options.date_field},{options.order_field}",
        "$limit": options.page_size,
        "$offset": page_number * options.page_size,
    }


def socrata_pages(
    source: SourceConfig,
    fetcher: Fetcher,
    today: date,
    *,
    dataset_id: str,
    app_token: str | None,
) -> Iterator[PageOrFailure]:
    """Each page of rows as a JSON ``Page``; stops at a short page or ``max_pages``."""
    options = source.socrata
    assert options is not None
    dataset = dataset_id or options.dataset_id
    url = resource_url(options.base_url, dataset)
    headers = (
        {"X-App-Token": app_token, "Accept": "application/json"}
        if app_token
        else {"Accept": "application/json"}
    )
    for number in range(options.max_pages):
        try:
            fetched = fetcher.get(url, params=query_params(source, today, number), headers=headers)
            rows = json.loads(fetched.text)
        except IngestError as exc:
            yield PageFailure(url, exc.code, exc.message)
            return
        except json.JSONDecodeError as exc:
            yield PageFailure(url, "invalid_json", f"Socrata answered with invalid JSON: {exc}")
            return
        if not isinstance(rows, list):
            yield PageFailure(url, "socrata_error", f"Socrata answered {str(rows)[:200]}")
            return
        yield Page(source.name, fetched.url, fetched.text, fetched.fetched_at, "application/json")
        if len(rows) < options.page_size:
            return
