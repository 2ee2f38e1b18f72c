"""One page through extract → normalize → validate: the code path shared by every mode."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from yescount.ingest.dedup import title_key
from yescount.ingest.models import Candidate, Page, PageResult, Rejection
from yescount.ingest.normalize import Draft, normalize
from yescount.ingest.sources.base import SourceAdapter, url_key
from yescount.ingest.tags import TagVocabulary
from yescount.ingest.validate import rejection_reason


@dataclass(frozen=True, slots=True)
class ExtractContext:
    """Reference dates and vocabulary for one run.

    ``as_of`` (when set) is the reference for year inference and the past-event
    filter. Otherwise years are inferred from the page's own date (else
    ``today``) and past events are those over before ``today`` — or before the
    page's date when ``past_from_page_date`` (the ``extract`` debugging mode).
    """

    vocabulary: TagVocabulary
    today: date
    as_of: date | None = None
    past_from_page_date: bool = False


def process_page(adapter: SourceAdapter, page: Page, ctx: ExtractContext) -> PageResult:
    """Accepted events and rejected candidates (with reasons) of one page."""
    read = adapter.read(page)
    ref = ctx.as_of or read.page_date or ctx.today
    today = ctx.as_of or (read.page_date if ctx.past_from_page_date else None) or ctx.today
    ids = _source_ids(adapter, read.candidates)
    accepted: list[Draft] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for candidate, source_id in zip(read.candidates, ids, strict=True):
        try:
            draft = normalize(
                candidate,
                source=adapter.name,
                source_id=source_id,
                ref=ref,
                vocabulary=ctx.vocabulary,
            )
            reason = rejection_reason(draft, page_kind=read.kind, today=today)
        except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
            # One unreadable candidate costs that candidate, never the page.
            rejected.append(_unreadable(candidate, exc))
            continue
        # The same title on another day (or at another place or hour) is another occurrence.
        record = draft.record
        key = "|".join(
            str(v)
            for v in (
                title_key(record.title),
                record.date_start,
                record.date_end,
                record.time_start,
                (record.location or "").casefold(),
            )
        )
        if reason is None and key in seen:
            reason = "duplicate"
        if reason is not None:
            rejected.append(_rejection(draft, reason))
            continue
        seen.add(key)
        accepted.append(_unique_id(draft, {d.record.source_id for d in accepted}))
    return PageResult(
        url=read.url,
        page_date=read.page_date,
        reference_date=ref,
        extracted=len(read.candidates),
        accepted=tuple(d.record for d in accepted),
        rejected=tuple(rejected),
        dropped=dict(sorted(Counter(r for d in accepted for r in d.dropped).items())),
    )


def _unreadable(candidate: Candidate, exc: Exception) -> Rejection:
    return Rejection(
        title=candidate.title[:120],
        reason="unreadable",
        detail=f"{type(exc).__name__}: {exc}"[:200],
        extraction_method=candidate.extraction_method,
        url=None,
    )


def _unique_id(draft: Draft, taken: set[str]) -> Draft:
    """A second occurrence behind the same link gets its day in its id ("...@2026-10-02")."""
    record = draft.record
    if record.source_id not in taken:
        return draft
    day = record.date_start.isoformat() if record.date_start else "undated"
    base = f"{record.source_id[:240]}@{day}"
    source_id, n = base, 1
    while source_id in taken:
        n += 1
        source_id = f"{base}~{n}"
    return replace(draft, record=replace(record, source_id=source_id))


def _source_ids(adapter: SourceAdapter, candidates: list[Candidate]) -> list[str]:
    """Ids per candidate; two different events sharing one link fall back to anchors."""
    ids = [adapter.source_id(c) for c in candidates]
    counts = Counter(ids)
    out = []
    for candidate, source_id in zip(candidates, ids, strict=True):
        if counts[source_id] > 1 and candidate.anchor:
            source_id = url_key(candidate.page_url) + f"#{candidate.anchor}"
        out.append(source_id)
    return out


def _rejection(draft: Draft, reason: str) -> Rejection:
    record = draft.record
    return Rejection(
        title=record.title or draft.candidate.title[:120],
        reason=reason,
        detail=(record.date_evidence or draft.candidate.evidence or "")[:200],
        extraction_method=record.extraction_method,
        url=record.url,
    )
