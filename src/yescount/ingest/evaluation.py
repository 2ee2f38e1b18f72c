"""Extraction quality against hand-made labels: the scoring rules of the real-page corpus.

A label file (``NAME.gold.json``) lists the real events of one saved page, the
items that are not events (``excluded``) and the arguable ones (``borderline``).
Predictions are matched to labelled events one to one, greedily, best title
similarity first, at similarity >= ``MATCH_AT``:

* titles are compared after NFKD -> ASCII, lower case, list numbering stripped and
  every run of non-alphanumerics collapsed to one space (``difflib`` ratio); a
  label contained in a prediction no longer than ``CONTAINED_MAX`` times the label
  counts as 1.0;
* labelled events that ended before the page date, and predictions matching them
  or a borderline item, count neither way;
* precision = matched / (extracted - neutral); recall = matched / labelled;
* a matched event's date is right when its first day equals the label's
  ``date_start`` or, when the label has none, when the prediction has none either
  or says ``multiple``, ``unclear`` or ``ongoing``.

Ties in similarity (the same title on several dates) go to the pair whose dates
agree, then to page order. Pure: no files, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

MATCH_AT = 0.8
CONTAINED_MAX = 2.5
UNDATED_STATUSES = frozenset({"multiple", "unclear", "ongoing"})
_NUMBERING = re.compile(r"^\s*(?:#\s*\d{1,3}\s*[.):\]-]?\s+|(?:no\.?\s*)?\d{1,3}\s*[.):\]-]\s*)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the extractor said about one event."""

    title: str
    date_start: date | None = None
    date_status: str = "unclear"


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled event of a page."""

    title: str
    date_start: date | None
    last_day: date | None


@dataclass(slots=True)
class PageScore:
    """Counts for one page (or, summed, for a corpus) and what went wrong."""

    name: str
    labelled: int = 0
    extracted: int = 0
    matched: int = 0
    dates_right: int = 0
    neutral: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_dates: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        counted = self.extracted - self.neutral
        return self.matched / counted if counted > 0 else (1.0 if self.labelled == 0 else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.matched if self.matched else 1.0

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "page": self.name,
            "labelled": self.labelled,
            "extracted": self.extracted,
            "neutral": self.neutral,
            "matched": self.matched,
            "dates_right": self.dates_right,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "date_accuracy": round(self.date_accuracy, 4),
            "missed": list(self.missed),
            "extra": list(self.extra),
            "wrong_dates": list(self.wrong_dates),
        }


def normalize_title(text: str) -> str:
    """NFKD -> ASCII, lower case, list numbering stripped, non-alphanumerics collapsed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lowered = _NUMBERING.sub("", ascii_text.lower(), count=1)
    return _NON_ALNUM.sub(" ", lowered).strip()


def similarity(label_title: str, predicted_title: str) -> float:
    """Title similarity in [0, 1]; a label inside a not-much-longer prediction is 1.0."""
    label, predicted = normalize_title(label_title), normalize_title(predicted_title)
    if not label or not predicted:
        return 0.0
    if label in predicted and len(predicted) <= CONTAINED_MAX * len(label):
        return 1.0
    return SequenceMatcher(None, label, predicted, autojunk=False).ratio()


def parse_day(value: object) -> date | None:
    """A label's ``YYYY-MM-DD`` (None for null, empty or malformed values)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_labels(gold: Mapping[str, Any]) -> tuple[list[Label], list[str], date | None]:
    """Labelled events, borderline titles and the page date of a label file's data."""
    events = []
    for raw in gold.get("events") or ():
        start, end = parse_day(raw.get("date_start")), parse_day(raw.get("date_end"))
        listed = [d for d in (parse_day(v) for v in raw.get("dates") or ()) if d is not None]
        last = end or (max(listed) if listed else None)
        if last is None and raw.get("date_label") == "single":
            last = start
        events.append(Label(str(raw.get("title") or ""), start, last))
    borderline = [str(b.get("title") or "") for b in gold.get("borderline") or ()]
    return events, borderline, parse_day(gold.get("page_date"))


def date_right(label: Label, prediction: Prediction) -> bool:
    """First day equal; or no labelled start and an undated or multi-day prediction."""
    if label.date_start is not None:
        return prediction.date_start == label.date_start
    return prediction.date_start is None or prediction.date_status in UNDATED_STATUSES


def _pairs(labels: Sequence[Label], predictions: Sequence[Prediction]) -> list[tuple[int, int]]:
    """One-to-one greedy matching, best similarity first (ties: dates agree, page order)."""
    scored = []
    for li, label in enumerate(labels):
        for pi, prediction in enumerate(predictions):
            sim = similarity(label.title, prediction.title)
            if sim >= MATCH_AT:
                scored.append((-sim, not date_right(label, prediction), li, pi))
    scored.sort()
    used_labels: set[int] = set()
    used_predictions: set[int] = set()
    pairs = []
    for _sim, _wrong, li, pi in scored:
        if li in used_labels or pi in used_predictions:
            continue
        used_labels.add(li)
        used_predictions.add(pi)
        pairs.append((li, pi))
    return pairs


def score_page(name: str, gold: Mapping[str, Any], predictions: Sequence[Prediction]) -> PageScore:
    """Score one page's predictions against its label file's data."""
    labels, borderline, page_date = read_labels(gold)
    ended = {i for i, lb in enumerate(labels) if _ended(lb, page_date)}
    score = PageScore(name, labelled=len(labels) - len(ended), extracted=len(predictions))
    pairs = _pairs(labels, predictions)
    matched_predictions = {pi for _li, pi in pairs}
    for li, pi in pairs:
        label, prediction = labels[li], predictions[pi]
        if li in ended:
            score.neutral += 1
            continue
        score.matched += 1
        if date_right(label, prediction):
            score.dates_right += 1
        else:
            got = prediction.date_start.isoformat() if prediction.date_start else "none"
            want = label.date_start.isoformat() if label.date_start else "none"
            score.wrong_dates.append(
                f"{label.title}: {got} ({prediction.date_status}), label {want}"
            )
    matched_labels = {li for li, _pi in pairs}
    score.missed = [lb.title for i, lb in enumerate(labels) if i not in matched_labels | ended]
    for pi, prediction in enumerate(predictions):
        if pi in matched_predictions:
            continue
        if any(similarity(b, prediction.title) >= MATCH_AT for b in borderline):
            score.neutral += 1
        else:
            score.extra.append(prediction.title)
    return score


def _ended(label: Label, page_date: date | None) -> bool:
    return page_date is not None and label.last_day is not None and label.last_day < page_date


def total(scores: Iterable[PageScore], name: str = "total") -> PageScore:
    """The pages' counts summed (micro-averaged precision, recall and date accuracy)."""
    out = PageScore(name)
    for s in scores:
        out.labelled += s.labelled
        out.extracted += s.extracted
        out.matched += s.matched
        out.dates_right += s.dates_right
        out.neutral += s.neutral
        out.missed += [f"{s.name}: {t}" for t in s.missed]
        out.extra += [f"{s.name}: {t}" for t in s.extra]
        out.wrong_dates += [f"{s.name}: {t}" for t in s.wrong_dates]
    return out
