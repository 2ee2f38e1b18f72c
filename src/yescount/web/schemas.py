"""Request and response bodies of the JSON API (they also make its OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from yescount.config import MAX_PARTICIPANTS, MAX_WINDOW_DAYS
from yescount.domain.events import VIBE_TAGS
from yescount.domain.names import MAX_NAME_LENGTH, MAX_PLAN_NAME_LENGTH
from yescount.domain.sessions import MAX_BUDGET

OverBudgetRule = Literal["badge", "hide"]
# Database keys are signed 64-bit integers.
MAX_ID = 2**63 - 1
# One evening slot per day: a participant can be free on at most every day of the window.
SLOTS_PER_DAY = 1
MAX_AVAILABLE_DATES = MAX_WINDOW_DAYS * SLOTS_PER_DAY
MAX_TAG_LENGTH = max(len(tag) for tag in VIBE_TAGS)
# Raw names may carry extra spaces that normalization collapses; beyond this they are refused.
_NAME_SLACK = 10


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RulesIn(_Body):
    """The organizer's optional rules (``PUT /sessions/{id}/rules`` replaces them all)."""

    budget_cap: Decimal | None = Field(None, ge=0, le=MAX_BUDGET, allow_inf_nan=False)
    vibe_tags: list[Annotated[str, Field(max_length=MAX_TAG_LENGTH)]] = Field(
        default_factory=list, max_length=len(VIBE_TAGS)
    )
    min_attendees: int | None = Field(None, ge=1, le=MAX_PARTICIPANTS)
    blackout_dates: list[date] = Field(default_factory=list, max_length=MAX_WINDOW_DAYS)
    over_budget: OverBudgetRule = Field(
        "badge",
        description="Cards over budget_cap: 'badge' shows them badged, 'hide' never shows them.",
    )


class CreateSessionIn(RulesIn):
    name: str = Field(
        ...,
        min_length=1,
        max_length=MAX_PLAN_NAME_LENGTH + _NAME_SLACK,
        examples=["Crew Night Out"],
    )
    organizer_name: str = Field(
        ..., min_length=1, max_length=MAX_NAME_LENGTH + _NAME_SLACK, examples=["Ema"]
    )
    date_start: date
    date_end: date


class CreateSessionOut(BaseModel):
    session_id: str
    organizer_token: str
    participant_id: int
    participant_token: str
    share_url: str
    organizer_url: str
    personal_url: str


class TopEventOut(BaseModel):
    event_id: int
    title: str
    votes: int


class LockedPickOut(BaseModel):
    event_id: int | None
    title: str | None
    date: dt.date | None


class PreviewOut(BaseModel):
    session_id: str
    name: str
    organizer_name: str
    date_start: date
    date_end: date
    vibe_tags: list[str]
    budget_cap: Decimal | None
    over_budget: OverBudgetRule
    min_attendees: int | None
    blackout_dates: list[date]
    participant_names: list[str]
    participant_count: int
    max_participants: int
    top_events: list[TopEventOut]
    status: Literal["open", "locked", "archived"]
    expires_at: datetime
    is_expired: bool
    read_only: bool
    locked_pick: LockedPickOut | None


class JoinIn(_Body):
    name: str = Field(
        ..., min_length=1, max_length=MAX_NAME_LENGTH + _NAME_SLACK, examples=["Jake"]
    )


class JoinOut(BaseModel):
    participant_id: int
    participant_token: str
    display_name: str
    rejoined: bool
    personal_url: str


class CardOut(BaseModel):
    event_id: int
    title: str
    schedule_label: str
    place: str | None
    price: str | None
    price_min: Decimal | None
    over_budget: bool = Field(False, description="True when it costs more than the plan's budget.")
    tags: list[str]
    summary: str
    why: list[str]
    url: str
    image_url: str | None
    source: str
    check_dates: bool


class CardsOut(BaseModel):
    cards: list[CardOut]
    fallback: bool = Field(
        False, description="True when the window had no events and upcoming ones are shown."
    )
    degraded: bool = Field(False, description="True when search fell back to keyword matches.")


class VoteIn(_Body):
    interested: StrictBool


class VoteOut(BaseModel):
    event_id: int
    interested: bool


class AvailabilityIn(_Body):
    available: list[date] = Field(..., max_length=MAX_AVAILABLE_DATES)


class AvailabilityOut(BaseModel):
    available: list[date]


class ProgressOut(BaseModel):
    joined: int
    voted: int
    gave_availability: int
    quorum_size: int
    quorum_reached: bool


class BreakdownOut(BaseModel):
    interest: float
    overlap: float
    admin: float


class RecommendationOut(BaseModel):
    rank: int = Field(..., ge=1)
    event_id: int
    title: str
    date: dt.date
    slot_start: str
    slot_end: str
    score: float = Field(..., ge=0, le=1)
    breakdown: BreakdownOut
    attendees: list[str]
    yes_count: int
    available_count: int
    check_dates: bool
    other_days: list[dt.date]
    place: str | None
    price: str | None
    url: str
    invite_text: str
    calendar_url: str


class LockIn(_Body):
    event_id: int | None = Field(None, ge=1, le=MAX_ID)
    date: dt.date | None = None


class SearchHitOut(BaseModel):
    event_id: int
    title: str
    schedule_label: str
    place: str | None
    price: str | None
    tags: list[str]
    url: str
    score: float
    why: list[str]


class SearchOut(BaseModel):
    query: str
    degraded: bool
    results: list[SearchHitOut]


class ErrorOut(BaseModel):
    error_code: str
    message: str
    retryable: bool
    context_id: str
