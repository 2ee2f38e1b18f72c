"""Invite text, time labels and plan links."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

import pytest

from yescount.domain.events import DateStatus, Event
from yescount.domain.invite import (
    invite_text,
    names_sentence,
    organizer_link,
    personal_link,
    pick_times,
    share_link,
    time_range_label,
)

SID = UUID("12345678-1234-4234-8234-123456789abc")
JAZZ = Event(
    id=1,
    source="secretnyc",
    source_id="jazz",
    title="Jazz in the Park",
    url="https://example.org/jazz",
    date_status=DateStatus.SINGLE,
    date_start=date(2026, 3, 13),
    location="Naumburg Bandshell, Central Park",
    price_min=Decimal("0"),
)


def test_invite_text_has_every_part() -> None:
    text = invite_text(
        event=JAZZ,
        day=date(2026, 3, 13),
        slot_start=time(19),
        slot_end=time(22),
        attendees=("Ema", "Jake", "Mia", "Zoë"),
        plan_link=share_link("https://yescount.example/", SID),
    )
    assert text == (
        "🎉 YesCount pick: Jazz in the Park\n"
        "📅 Fri, Mar 13 · 7–10 pm   📍 Naumburg Bandshell, Central Park   💰 Free\n"
        "👥 Ema, Jake, Mia and Zoë are in!\n"
        "🔗 https://example.org/jazz\n"
        f"Plan & RSVP: https://yescount.example/?session={SID}"
    )


def test_unknown_price_and_place_are_left_out_and_event_time_wins() -> None:
    event = Event(
        id=2,
        source="timeout_newyork",
        source_id="x",
        title="Late Comedy",
        url="https://example.org/comedy",
        date_status=DateStatus.MULTIPLE,
        time_start=time(21, 30),
        time_end=time(0, 30),
        price_min=Decimal("15"),
        price_max=Decimal("25"),
    )
    text = invite_text(
        event=event,
        day=date(2026, 12, 5),
        slot_start=time(19),
        slot_end=time(22),
        attendees=("Ema",),
        plan_link="https://p",
        check_dates=True,
    )
    lines = text.splitlines()
    assert (
        lines[1] == "📅 Sat, Dec 5 · 9:30 pm–12:30 am (check the event page for dates)   💰 $15–$25"
    )
    assert lines[2] == "👥 Ema is in!"
    no_price = invite_text(
        event=Event(
            id=3, source="s", source_id="y", title="T", url="u", date_status=DateStatus.SINGLE
        ),
        day=date(2026, 12, 5),
        slot_start=time(19),
        slot_end=time(22),
        attendees=(),
        plan_link="https://p",
    )
    assert "💰" not in no_price
    assert "📍" not in no_price


@pytest.mark.parametrize(
    ("names", "sentence"),
    [
        ((), "Who's in? Say yes on the plan page!"),
        (("Ema",), "Ema is in!"),
        (("Ema", "Jake"), "Ema and Jake are in!"),
        (("Ema", "Jake", "Mia"), "Ema, Jake and Mia are in!"),
    ],
)
def test_names_sentence(names: tuple[str, ...], sentence: str) -> None:
    assert names_sentence(names) == sentence


@pytest.mark.parametrize(
    ("begins", "ends", "label"),
    [
        (time(19), time(22), "7–10 pm"),
        (time(19, 30), time(22, 15), "7:30–10:15 pm"),
        (time(11, 30), time(13), "11:30 am–1 pm"),
        (time(21), time(1), "9 pm–1 am"),
        (time(0), time(2), "12–2 am"),
        (time(12), time(14), "12–2 pm"),
    ],
)
def test_time_range_label(begins: time, ends: time, label: str) -> None:
    assert time_range_label(begins, ends) == label


def test_pick_times() -> None:
    day = date(2026, 12, 5)
    assert pick_times(JAZZ, day, time(19), time(22)) == (
        datetime(2026, 12, 5, 19),
        datetime(2026, 12, 5, 22),
    )
    late = Event(
        id=9,
        source="s",
        source_id="z",
        title="T",
        url="u",
        date_status=DateStatus.SINGLE,
        time_start=time(23),
    )
    assert pick_times(late, day, time(19), time(22)) == (
        datetime(2026, 12, 5, 23),
        datetime(2026, 12, 6, 2),
    )


def test_links() -> None:
    assert share_link("https://yescount.example", SID) == f"https://yescount.example/?session={SID}"
    assert (
        personal_link("https://y.example/", SID, "tok-1_")
        == f"https://y.example/?session={SID}&me=tok-1_"
    )
    assert organizer_link("https://y.example", SID, "a", "b+c") == (
        f"https://y.example/?session={SID}&me=a&org=b%2Bc"
    )
