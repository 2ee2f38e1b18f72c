"""Plan sessions: policy, creation rules, status transitions, expiry and tokens (SPEC §2).

Status moves ``open → locked`` and ``open|locked → archived``; there is no
unlock. A plan expires ``expiry_days`` after creation and is then read-only:
preview and results stay viewable, every write is refused with GoneError.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from yescount.domain.events import VIBE_TAGS
from yescount.domain.names import normalize_name, normalize_plan_name
from yescount.domain.newyork import EVENING_END, EVENING_START
from yescount.errors import ConflictError, GoneError, ValidationError

MAX_BUDGET = Decimal("99999999.99")  # Numeric(10, 2) column


@dataclass(frozen=True, slots=True)
class PlanPolicy:
    """Limits and defaults every plan follows (from settings)."""

    max_participants: int = 10
    max_window_days: int = 31
    expiry_days: int = 7
    slot_start: time = EVENING_START
    slot_end: time = EVENING_END
    top_n: int = 5
    horizon_months: int = 18


DEFAULT_POLICY = PlanPolicy()
NAME_TAKEN_MESSAGE = "That name is already taken — use your personal link to get back in."


class OverBudget(StrEnum):
    """What voting cards do when an event costs more than the plan's budget (organizer's rule)."""

    BADGE = "badge"  # shown, with an "over the $60 budget" badge
    HIDE = "hide"  # never shown as a card


def card_price_cap(
    budget: Decimal | None, over_budget: OverBudget, wanted: Decimal | None
) -> Decimal | None:
    """The max price cards are filtered by: what was asked, never above a hiding budget."""
    if over_budget is OverBudget.HIDE and budget is not None:
        return budget if wanted is None else min(wanted, budget)
    return wanted


class SessionStatus(StrEnum):
    OPEN = "open"
    LOCKED = "locked"
    ARCHIVED = "archived"


_TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    SessionStatus.OPEN: frozenset({SessionStatus.LOCKED, SessionStatus.ARCHIVED}),
    SessionStatus.LOCKED: frozenset({SessionStatus.ARCHIVED}),
    SessionStatus.ARCHIVED: frozenset(),
}


def can_transition(current: SessionStatus, target: SessionStatus) -> bool:
    """True when ``current → target`` is an allowed status change."""
    return target in _TRANSITIONS[current]


@dataclass(frozen=True, slots=True)
class SessionRules:
    """The organizer's optional rules; editable while the plan is open."""

    budget_cap: Decimal | None = None
    vibe_tags: tuple[str, ...] = ()
    min_attendees: int | None = None
    blackout_dates: tuple[date, ...] = ()
    over_budget: OverBudget = OverBudget.BADGE


@dataclass(frozen=True, slots=True)
class NewSession:
    """What the organizer fills in to start a plan."""

    name: str
    organizer_name: str
    date_start: date
    date_end: date
    budget_cap: Decimal | None = None
    vibe_tags: tuple[str, ...] = ()
    min_attendees: int | None = None
    blackout_dates: tuple[date, ...] = ()
    over_budget: OverBudget = OverBudget.BADGE

    @property
    def rules(self) -> SessionRules:
        return SessionRules(
            self.budget_cap,
            self.vibe_tags,
            self.min_attendees,
            self.blackout_dates,
            OverBudget(self.over_budget),
        )


def validate_window(start: date, end: date, policy: PlanPolicy) -> None:
    """Start ≤ end and at most ``policy.max_window_days`` days (inclusive)."""
    if end < start:
        raise ValidationError(
            "The last day must be on or after the first day.", details={"field": "date_end"}
        )
    days = (end - start).days + 1
    if days > policy.max_window_days:
        raise ValidationError(
            f"Pick at most {policy.max_window_days} days (you picked {days}).",
            details={"field": "date_end"},
        )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def validate_window_bounds(start: date, end: date, *, today: date, policy: PlanPolicy) -> None:
    """A plan's window starts no earlier than ``today`` (New York) and ends within the horizon.

    The one rule for every entry point (API, UI, services): dates a plan holds are always
    real evenings ahead, so nothing downstream meets year 1 or 9999.
    """
    if start < today:
        raise ValidationError(
            f"The first day can't be in the past (today is {today:%b} {today.day}).",
            code="date_in_past",
            details={"field": "date_start"},
        )
    horizon = add_months(today, policy.horizon_months)
    if end > horizon:
        raise ValidationError(
            f"Plans can reach at most {policy.horizon_months} months ahead "
            f"(until {horizon:%b} {horizon.day}, {horizon.year}).",
            code="date_beyond_horizon",
            details={"field": "date_end"},
        )


def validate_rules(
    rules: SessionRules, *, start: date, end: date, policy: PlanPolicy
) -> SessionRules:
    """Check the optional rules against the window; return them normalized."""
    budget = rules.budget_cap
    if budget is not None:
        if not budget.is_finite() or budget < 0 or budget > MAX_BUDGET:
            raise ValidationError(
                "The budget must be zero or a positive amount.", details={"field": "budget_cap"}
            )
        budget = budget.quantize(Decimal("0.01"))
    unknown = sorted(set(rules.vibe_tags) - set(VIBE_TAGS))
    if unknown:
        raise ValidationError(
            f"Unknown vibe tag: {', '.join(unknown)}. Choose from: {', '.join(VIBE_TAGS)}.",
            details={"field": "vibe_tags"},
        )
    wanted = set(rules.vibe_tags)
    tags = tuple(t for t in VIBE_TAGS if t in wanted)
    minimum = rules.min_attendees
    if minimum is not None and not 1 <= minimum <= policy.max_participants:
        raise ValidationError(
            f"Minimum attendees must be between 1 and {policy.max_participants}.",
            details={"field": "min_attendees"},
        )
    outside = sorted(d for d in set(rules.blackout_dates) if not start <= d <= end)
    if outside:
        raise ValidationError(
            f"Blackout dates must be inside the plan's dates ({outside[0]:%b} {outside[0].day} "
            "is not).",
            code="date_outside_window",
            details={"field": "blackout_dates"},
        )
    blackout = tuple(sorted(set(rules.blackout_dates)))
    return SessionRules(budget, tags, minimum, blackout, OverBudget(rules.over_budget))


def validate_new_session(cmd: NewSession, policy: PlanPolicy, *, today: date) -> NewSession:
    """Validate a plan request server side; return it with names and rules normalized.

    ``today`` is the New York calendar day: the window must lie between it and the horizon.
    """
    name = normalize_plan_name(cmd.name)
    organizer = normalize_name(cmd.organizer_name)
    validate_window(cmd.date_start, cmd.date_end, policy)
    validate_window_bounds(cmd.date_start, cmd.date_end, today=today, policy=policy)
    rules = validate_rules(cmd.rules, start=cmd.date_start, end=cmd.date_end, policy=policy)
    return NewSession(
        name=name,
        organizer_name=organizer,
        date_start=cmd.date_start,
        date_end=cmd.date_end,
        budget_cap=rules.budget_cap,
        vibe_tags=rules.vibe_tags,
        min_attendees=rules.min_attendees,
        blackout_dates=rules.blackout_dates,
        over_budget=rules.over_budget,
    )


@dataclass(frozen=True, slots=True)
class PlanSession:
    """A stored plan."""

    id: UUID
    name: str
    organizer_token_hash: str
    date_start: date
    date_end: date
    max_participants: int
    created_at: datetime
    expires_at: datetime
    updated_at: datetime
    budget_cap: Decimal | None = None
    vibe_tags: tuple[str, ...] = ()
    min_attendees: int | None = None
    blackout_dates: tuple[date, ...] = ()
    over_budget: OverBudget = OverBudget.BADGE
    participant_count: int = 0
    status: SessionStatus = SessionStatus.OPEN
    locked_event_id: int | None = None
    locked_date: date | None = None
    locked_at: datetime | None = None
    archived_at: datetime | None = None

    @property
    def rules(self) -> SessionRules:
        return SessionRules(
            self.budget_cap,
            self.vibe_tags,
            self.min_attendees,
            self.blackout_dates,
            self.over_budget,
        )

    def window(self) -> list[date]:
        """Every day of the plan's window, in order."""
        count = (self.date_end - self.date_start).days + 1
        return [self.date_start + timedelta(days=i) for i in range(count)]

    def in_window(self, day: date) -> bool:
        return self.date_start <= day <= self.date_end

    def is_blacked_out(self, day: date) -> bool:
        return day in self.blackout_dates

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def is_read_only(self, now: datetime) -> bool:
        """Expired or archived plans accept no writes (locked ones only refuse some)."""
        return self.status is SessionStatus.ARCHIVED or self.is_expired(now)

    def ensure_not_gone(self, now: datetime) -> None:
        """Raise GoneError when the plan is archived or expired."""
        if self.status is SessionStatus.ARCHIVED:
            raise GoneError(
                "This plan was archived; you can still look at it but not change it.",
                code="session_archived",
            )
        if self.is_expired(now):
            raise GoneError(
                "This plan has expired; you can still look at it but not change it.",
                code="session_expired",
            )

    def ensure_open(self, now: datetime) -> None:
        """Raise unless votes, availability, joins and rule edits are accepted."""
        self.ensure_not_gone(now)
        if self.status is SessionStatus.LOCKED:
            raise ConflictError(
                "The organizer has locked this plan; it can no longer be changed.",
                code="session_locked",
            )


def new_plan_session(
    cmd: NewSession,
    *,
    organizer_token_hash: str,
    now: datetime,
    policy: PlanPolicy,
    session_id: UUID,
) -> PlanSession:
    """Build the stored form of an already validated plan."""
    return PlanSession(
        id=session_id,
        name=cmd.name,
        organizer_token_hash=organizer_token_hash,
        date_start=cmd.date_start,
        date_end=cmd.date_end,
        max_participants=policy.max_participants,
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(days=policy.expiry_days),
        budget_cap=cmd.budget_cap,
        vibe_tags=cmd.vibe_tags,
        min_attendees=cmd.min_attendees,
        blackout_dates=cmd.blackout_dates,
        over_budget=cmd.over_budget,
    )


@dataclass(frozen=True, slots=True)
class Participant:
    """A person in a plan; ``token_hash`` is the SHA-256 of their personal token."""

    id: int
    session_id: UUID
    display_name: str
    name_key: str
    token_hash: str
    joined_at: datetime
    is_organizer: bool = False


# --- tokens --------------------------------------------------------------------


def new_token() -> str:
    """A fresh unguessable secret for a link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 hex digest: only this is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    """Constant-time comparison of a presented token with a stored hash."""
    if not token:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)
