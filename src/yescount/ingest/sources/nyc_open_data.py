"""NYC Open Data — NYC Permitted Event Information rows (Socrata JSON), not for voting cards."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from yescount.errors import IngestError
from yescount.ingest.html import clean
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import PageKind, PageRead, SourceAdapter

# Permit types that are not outings anyone can join (film shoots, crews, league games).
EXCLUDED_TYPES = frozenset(
    {
        "production event",
        "construction",
        "rigging permit",
        "theater load in and load outs",
        "clean-up",
        "shooting permit",
        "sport - youth",
        "sport - adult",
    }
)


class NYCOpenData(SourceAdapter):
    name = "nyc_open_data"

    def read(self, page: Page) -> PageRead:
        """Rows of a saved or fetched Socrata response as candidates."""
        try:
            rows = json.loads(page.text)
        except json.JSONDecodeError as exc:
            raise IngestError(f"{page.url} is not JSON: {exc}", code="invalid_json") from exc
        if not isinstance(rows, list):
            raise IngestError(f"{page.url} is not a Socrata row list", code="socrata_error")
        base = page.url.split("?", 1)[0]
        found = [self._candidate(row, base) for row in rows if isinstance(row, dict)]
        return PageRead([c for c in found if c is not None], None, PageKind.LISTING, page.url)

    def source_id(self, candidate: Candidate) -> str:
        """One id per permitted row: a permit recurs on other days and at other places."""
        return str(candidate.source_id_hint or candidate.title)[:255]

    @staticmethod
    def _candidate(row: dict[str, Any], base: str) -> Candidate | None:
        ident = str(row.get("event_id") or "").strip()
        title = clean(str(row.get("event_name") or ""))
        if not ident or not title:
            return None
        kind = clean(str(row.get("event_type") or ""))
        place = [clean(str(row.get(k) or "")) for k in ("event_location", "event_borough")]
        candidate = Candidate(
            title=title,
            page_url=base,
            extraction_method="socrata",
            url=f"{base}?event_id={ident}",
            description=kind,
            start_value=str(row.get("start_date_time") or "") or None,
            end_value=str(row.get("end_date_time") or "") or None,
            location=", ".join(p for p in place if p) or None,
            source_id_hint=row_id(ident, row),
            evidence=json.dumps(row, sort_keys=True)[:1500],
            keywords=(kind,) if kind else (),
        )
        if kind.lower() in EXCLUDED_TYPES:
            candidate.flags["excluded_type"] = True
        return candidate


def row_id(event_id: str, row: dict[str, Any]) -> str:
    """``event_id@start`` plus a short hash of the place: one permitted occurrence."""
    start = clean(str(row.get("start_date_time") or ""))[:19]
    place = "|".join(clean(str(row.get(k) or "")) for k in ("event_location", "event_borough"))
    digest = hashlib.sha256(place.encode("utf-8")).hexdigest()[:10]
    return f"{event_id[:120]}@{start}#{digest}"


ADAPTER = NYCOpenData()
