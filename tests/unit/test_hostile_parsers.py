"""Hostile text against the parsers not covered elsewhere (issue 8 §7).

Dates, prices, prose mentions, structured data and whole pages have their property
tests in test_ingest_dates, test_ingest_prices, test_ingest_hostile_text and
test_ingest_structured_properties; names and links in test_names and test_urls. Here:
times of day, undeclared page bytes, link resolution and the name key.
"""

from __future__ import annotations

from datetime import time
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.names import MAX_KEY_LENGTH, MAX_NAME_LENGTH, normalize_name
from yescount.errors import ValidationError
from yescount.ingest.html import absolute, decode
from yescount.ingest.times import find_times
from yescount.services.lookalike import person_key

TIME_TEXT = st.text(alphabet=st.sampled_from("0123456789:apm.- –to noonmidnight"), max_size=40)
BASE = "https://venue.example/events/"


@given(st.one_of(TIME_TEXT, st.text(max_size=80)))
def test_time_finder_never_raises_and_gives_real_times(text: str) -> None:
    start, end = find_times(text.lower())
    for value in (start, end):
        assert value is None or isinstance(value, time)
    assert not (start is None and end is not None)


@given(st.binary(max_size=300), st.sampled_from([None, "text/html", "text/html; charset=x-bogus"]))
def test_undeclared_or_lying_bytes_always_decode(body: bytes, content_type: str | None) -> None:
    assert isinstance(decode(body, content_type), str)


@given(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(["javascript:alert(1)", "data:text/html,x", "//evil", " \x00http://x"]),
    )
)
def test_resolved_links_are_none_or_absolute_http(raw: str) -> None:
    resolved = absolute(raw, BASE)
    if resolved is not None:
        parts = urlsplit(resolved)
        assert parts.scheme in {"http", "https"}
        assert parts.netloc


@given(st.text(max_size=MAX_NAME_LENGTH))
def test_name_keys_never_raise_and_stay_bounded(raw: str) -> None:
    try:
        name = normalize_name(raw)
    except ValidationError:
        return
    key = person_key(name)
    assert 1 <= len(key) <= MAX_KEY_LENGTH
    assert person_key(name) == key  # deterministic
