"""Title clean-up, caps, dates/prices precedence, vibe tags and the run status rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.events import VIBE_TAGS, DateStatus
from yescount.domain.ingestion import (
    Counts,
    SourceOutcome,
    run_error_text,
    run_status,
    source_status,
    totals,
)
from yescount.errors import ConfigError
from yescount.ingest.models import Candidate
from yescount.ingest.normalize import DESCRIPTION_MAX, cap, clean_title, event_dates, normalize
from yescount.ingest.tags import TagVocabulary, load_vocabulary, vocabulary_from_mapping

ROOT = Path(__file__).resolve().parents[2]
VOCAB = load_vocabulary(ROOT / "config" / "vibe_tags.yaml")
REF = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("1. Catch The Train Show", "Catch The Train Show"),
        ("#3 Skate &amp; Sip", "Skate & Sip"),
        ("12) Jazz Brunch", "Jazz Brunch"),
        ("🎄 Tree Lighting ✨", "Tree Lighting"),
        ("Holiday Market | Time Out New York", "Holiday Market"),
        ("Big Night - Secret NYC", "Big Night"),
        ("<b>“Quoted”</b>", "Quoted"),
        ("The 5th Avenue Windows", "The 5th Avenue Windows"),
        ("2026 Holiday Lights", "2026 Holiday Lights"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


@given(st.text(max_size=3000))
def test_cap_never_exceeds_the_limit(text: str) -> None:
    capped = cap(text, DESCRIPTION_MAX)
    assert len(capped) <= DESCRIPTION_MAX
    if len(text) <= DESCRIPTION_MAX:
        assert capped == text


def candidate(**fields: object) -> Candidate:
    base: dict[str, object] = {
        "title": "Thing",
        "page_url": "https://a.example/p",
        "extraction_method": "cards",
    }
    base.update(fields)
    return Candidate(**base)  # type: ignore[arg-type]


def test_structured_dates_win_unless_the_text_is_richer() -> None:
    single = event_dates(candidate(start_value="2026-12-05", date_text="Dec 5"), ref=REF)
    assert (single.status, single.confidence) == (DateStatus.SINGLE, 0.95)
    richer = event_dates(candidate(start_value="2026-12-05", date_text="Dec 5 – Dec 9"), ref=REF)
    assert (richer.status, richer.end) == (DateStatus.RANGE, date(2026, 12, 9))


def test_section_lines_are_a_fallback_but_not_sale_dates() -> None:
    lines = ["Tickets go on sale Nov 30.", "The show runs Dec 3 – 6 at the Armory."]
    info = event_dates(candidate(flags={"lines": lines}), ref=REF)
    assert (info.status, info.start, info.end) == (
        DateStatus.RANGE,
        date(2026, 12, 3),
        date(2026, 12, 6),
    )
    assert info.confidence < 0.8  # found in running text, not a date field


def test_normalize_builds_a_complete_record() -> None:
    draft = normalize(
        candidate(
            title="1. Free Jazz Night &amp; More",
            description="<p>Live <b>jazz</b> in the park.</p>" + "x" * 3000,
            date_text="Fri, Dec 4, 8pm",
            price_text="Free",
            url="https://A.example/e?utm_source=n",
            image_url="https://a.example/i.jpg",
        ),
        source="hiddennyc",
        source_id="a.example/e",
        ref=REF,
        vocabulary=VOCAB,
    )
    record = draft.record
    assert record.title == "Free Jazz Night & More"
    assert record.description.startswith("Live jazz in the park.")
    assert len(record.description) <= DESCRIPTION_MAX
    assert (record.date_start, record.time_start.hour if record.time_start else None) == (
        date(2026, 12, 4),
        20,
    )
    assert (record.price_min, record.price_max) == (Decimal("0.00"), Decimal("0.00"))
    assert record.url == "https://a.example/e"
    assert {"music", "outdoor", "free"} <= set(record.vibe_tags)
    assert record.source_links[0].url == record.url
    assert record.raw_payload is not None


def test_vocabulary_file_is_validated() -> None:
    assert {t for t, _ in VOCAB.patterns} <= set(VIBE_TAGS)
    with pytest.raises(ConfigError):
        vocabulary_from_mapping({"tags": {"spooky": ["ghost"]}})
    with pytest.raises(ConfigError):
        vocabulary_from_mapping({"tags": {"music": "jazz"}})
    with pytest.raises(ConfigError):
        vocabulary_from_mapping([])
    tags = vocabulary_from_mapping({"tags": {"food": ["taco"]}})
    assert tags.tag("Taco Tuesday", price_min=Decimal(5), price_max=None) == ("food",)
    assert tags.tag("tacos", price_min=None, price_max=None) == ()  # whole words only
    assert tags.tag("x", price_min=Decimal(0), price_max=None) == ("free",)


NOW = datetime(2026, 11, 25, tzinfo=UTC)


def outcome(status: str, *, required: bool = True, error: str | None = None) -> SourceOutcome:
    return SourceOutcome("s", required, status, NOW, error_text=error)  # type: ignore[arg-type]


def test_source_status() -> None:
    assert source_status(pages=0, failures=["x: down"], extracted=0) == ("failed", "x: down")
    assert source_status(pages=0, failures=[], extracted=0)[0] == "failed"
    status, text = source_status(pages=2, failures=["a", "b", "c", "d"], extracted=3)
    assert status == "degraded"
    assert text is not None
    assert "(+1 more)" in text
    assert source_status(pages=2, failures=[], extracted=0)[0] == "degraded"
    assert source_status(pages=2, failures=[], extracted=5) == ("success", None)


def test_run_status_strict_and_lenient() -> None:
    ok, bad_required, bad_optional = (
        outcome("success"),
        outcome("failed"),
        outcome("failed", required=False),
    )
    assert run_status([ok, outcome("skipped")], strict=True) == "success"
    assert run_status([ok, bad_required], strict=False) == "degraded"
    assert run_status([ok, bad_required], strict=True) == "failed"
    assert run_status([ok, bad_optional], strict=True) == "degraded"
    assert run_status([bad_required, bad_optional], strict=False) == "failed"
    assert run_status([outcome("skipped")], strict=False) == "failed"
    assert run_status([], strict=False) == "failed"
    assert run_status([ok, outcome("degraded")], strict=True) == "degraded"
    text = run_error_text([outcome("failed", error="down"), ok])
    assert text == "s: down"


def test_counts_add_up() -> None:
    a = outcome("success")
    a.counts = Counts(pages=2, accepted=3, reject_reasons={"news": 1})
    b = outcome("success")
    b.counts = Counts(pages=1, accepted=1, reject_reasons={"news": 2, "advert": 1})
    total = totals([a, b])
    assert (total.pages, total.accepted) == (3, 4)
    assert total.reject_reasons == {"advert": 1, "news": 3}
    assert total.as_columns()["reject_reasons"] == {"advert": 1, "news": 3}


def test_tag_keyword_sets_agree_with_the_keyword_patterns() -> None:
    vocabulary = vocabulary_from_mapping(
        {"tags": {"immersive": ["walk-through", "immersive"], "music": ["r&b", "live music"]}}
    )
    patterns_only = TagVocabulary(vocabulary.patterns)
    texts = [
        "An IMMERSIVE walk-through.",
        "a walk-throughs tour, non-immersive",
        "r&b and live music",
        "live musical; r&bx",
        "pre-walk-through",
    ]
    for text in texts:
        fast = vocabulary.tag(text, price_min=None, price_max=None)
        assert fast == patterns_only.tag(text, price_min=None, price_max=None), text
    assert vocabulary.tag(texts[0], price_min=None, price_max=None) == ("immersive",)
    assert vocabulary.tag(texts[1], price_min=None, price_max=None) == ()
