"""Typo correction for query terms against the words events actually use.

The embedding model cannot read "comdy nite" (its nearest events score like
noise), so each unknown term is replaced by the closest vocabulary word
(RapidFuzz ratio ≥ 80, or a common shorthand like "nite"). The vocabulary is
the words of event titles and places plus the search vocabulary (vibes,
boroughs, neighbourhoods), rebuilt at most every few minutes per database.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process

from yescount.domain.curation import PRIORITY_KEYWORDS
from yescount.observability import get_logger
from yescount.search.vocabulary import load_vocabulary

MIN_SCORE = 80.0
MIN_LENGTH = 3
VOCABULARY_TTL_S = 300.0

SHORTHANDS = {
    "nite": "night",
    "nites": "nights",
    "tonite": "tonight",
    "xmas": "christmas",
    "tix": "tickets",
    "bday": "birthday",
    "nye": "new year's eve",
}

_BASE_WORDS = """concert concerts show shows night nights party comedy comedian festival market
    museum gallery exhibit exhibition theater theatre musical play ballet opera jazz music tour
    walking food drinks brunch dinner tasting wine beer cocktail cocktails class workshop
    outdoor outdoors indoor free cheap family kids holiday christmas winter lights skating
    dance dancing yoga movie film screening games trivia karaoke immersive experience pop-up
    art artsy sculpture photography history hidden rooftop bar club drag poetry reading
    date romantic friends friend group weekend tonight tomorrow evening morning afternoon
    fun cool unique fancy fancy quiet loud late early new old best great good nice cozy
    something anything ideas idea things place places spot spots near around under over
    dollars bucks price cheap budget affordable ticket tickets lecture talk book books
    cover entry admission broke cheapo inexpensive after before until stuff whats"""
_WORD = re.compile(r"[a-z][a-z'-]+")


class SpellingCorrector:
    """Maps unknown words to the closest known word (or leaves them alone)."""

    def __init__(self, words: Iterable[str]) -> None:
        counts = Counter(w for w in words if len(w) >= MIN_LENGTH)
        # Most frequent first, so ties go to the common word.
        self._vocabulary = [w for w, _ in counts.most_common()]
        self._known = set(self._vocabulary)

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def correct(self, word: str) -> str:
        """The corrected word, or ``word`` when known, too short or without a close match."""
        lowered = word.lower()
        if lowered in SHORTHANDS:
            return SHORTHANDS[lowered]
        if lowered in self._known or len(lowered) < MIN_LENGTH or not lowered.isalpha():
            return word
        match = process.extractOne(
            lowered, self._vocabulary, scorer=fuzz.ratio, score_cutoff=MIN_SCORE
        )
        return str(match[0]) if match else word


def search_vocabulary() -> list[str]:
    """Words every corrector knows, whatever the data."""
    words = _BASE_WORDS.split()
    words.extend(load_vocabulary().words)
    for phrases in PRIORITY_KEYWORDS.values():
        for phrase in phrases:
            words.extend(_WORD.findall(phrase))
    return words


_CACHE: dict[str, tuple[float, SpellingCorrector]] = {}
_REFRESHING: set[str] = set()
_LOCK = threading.Lock()
TitlesAndPlaces = Callable[[], Iterable[tuple[str, str | None]]]


def corrector_for(
    database_key: str,
    titles_and_places: TitlesAndPlaces,
    *,
    refresh: TitlesAndPlaces | None = None,
    now: float | None = None,
) -> SpellingCorrector:
    """The corrector for one database (its titles and places), cached a few minutes.

    ``titles_and_places`` is read when no corrector for ``database_key`` is cached.
    A stale one is still returned; ``refresh`` (usable from another thread) then
    rebuilds it in the background, so no search waits for the rebuild (~0.5 s at
    50,000 events, every ``VOCABULARY_TTL_S``). Without ``refresh`` a stale corrector
    is rebuilt at once from ``titles_and_places``.
    """
    moment = time.monotonic() if now is None else now
    with _LOCK:
        cached = _CACHE.get(database_key)
        if cached and moment - cached[0] < VOCABULARY_TTL_S:
            return cached[1]
        if cached and refresh is not None:
            if database_key not in _REFRESHING:
                _REFRESHING.add(database_key)
                threading.Thread(
                    target=_refresh,
                    args=(database_key, refresh, moment),
                    name="yescount-vocabulary",
                    daemon=True,
                ).start()
            return cached[1]
    corrector = _build(titles_and_places)
    with _LOCK:
        _CACHE[database_key] = (moment, corrector)
    return corrector


def _build(titles_and_places: TitlesAndPlaces) -> SpellingCorrector:
    words = search_vocabulary()
    for title, location in titles_and_places():
        words.extend(_WORD.findall(f"{title} {location or ''}".lower()))
    return SpellingCorrector(words)


def _refresh(database_key: str, titles_and_places: TitlesAndPlaces, moment: float) -> None:
    try:
        corrector = _build(titles_and_places)
    except Exception as exc:  # the stale corrector stays; a later search tries again
        get_logger().warning("spelling_vocabulary_refresh_failed", error=str(exc)[:300])
        with _LOCK:
            _REFRESHING.discard(database_key)
        return
    with _LOCK:
        _CACHE[database_key] = (moment, corrector)
        _REFRESHING.discard(database_key)
