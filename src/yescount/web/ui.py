"""What every Streamlit view shares: the cached container, who is looking, safe writes.

Views never touch SQL: they call the same services as the JSON API through
the one cached container. Identity lives in the URL (``?session=…&me=…&org=…``)
so a reload or another device restores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

import streamlit as st

from yescount.bootstrap import Container, build
from yescount.domain.sessions import PlanPolicy
from yescount.errors import ForbiddenError, NotFoundError, YesCountError
from yescount.observability import get_logger, new_context_id
from yescount.services import policy_from_settings
from yescount.services import sessions as sessions_service
from yescount.services.sessions import SessionPreview, Viewer
from yescount.web import context

T = TypeVar("T")
VIEWS = ("vote", "availability", "results")


@st.cache_resource(show_spinner=False)
def _container(key: str) -> Container:
    """One container per process and configuration (``key`` changes with the settings)."""
    return context.registered_container() or build(
        context.current_settings(), clock=context.current_clock()
    )


def container() -> Container:
    """The process-wide container the UI uses."""
    return _container(context.cache_key())


@dataclass(frozen=True)
class Page:
    """Everything a view needs about the plan and the person looking at it."""

    c: Container
    policy: PlanPolicy
    session_id: UUID
    preview: SessionPreview
    viewer: Viewer | None
    me: str | None
    org: str | None

    @property
    def is_organizer(self) -> bool:
        """True only when the organizer token was verified server side."""
        return self.org is not None

    @property
    def base_url(self) -> str:
        return self.c.settings.base_url


def policy() -> PlanPolicy:
    return policy_from_settings(container().settings)


def param(name: str) -> str | None:
    """A query parameter, stripped; None when absent or blank."""
    value = st.query_params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_uuid(raw: str | None) -> UUID | None:
    if raw is None:
        return None
    try:
        return UUID(raw)
    except ValueError:
        return None


def resolve_viewer(c: Container, session_id: UUID, me: str | None) -> Viewer | None:
    """Who the personal token belongs to, or None when it is missing or not valid."""
    if me is None:
        return None
    try:
        return sessions_service.identify(session_id, me, uow=c.uow(write=False))
    except (ForbiddenError, NotFoundError):  # a missing plan gets its friendly page next
        return None


def verified_organizer(c: Container, session_id: UUID, org: str | None) -> str | None:
    """The organizer token when it really is this plan's, else None."""
    if org is None:
        return None
    try:
        sessions_service.check_organizer(session_id, org, uow=c.uow(write=False))
    except ForbiddenError:
        return None
    return org


def friendly(exc: YesCountError) -> str:
    """A short user-facing sentence with the context id to quote to support."""
    context_id = exc.details.setdefault("context_id", new_context_id())
    if exc.retryable:
        return f"{exc.message} Please try again. (ref {context_id})"
    return f"{exc.message} (ref {context_id})"


class Failed:
    """Returned by ``attempt`` when the action failed (its toast was shown)."""

    def __bool__(self) -> bool:
        return False


FAILED = Failed()


def attempt(action: Callable[[], T], *, what: str) -> T | Failed:
    """Run a write; on a known failure show a toast, keep the view and return FAILED."""
    try:
        return action()
    except YesCountError as exc:
        message = friendly(exc)
        get_logger().warning(
            "ui_write_failed",
            action=what,
            error_code=exc.code,
            context_id=exc.details.get("context_id"),
        )
        st.toast(f"Couldn't {what}: {message}", icon="⚠️")
        return FAILED


def go(view: str) -> None:
    """Switch view, keeping identity in the URL (use as an ``on_click`` callback)."""
    st.query_params["view"] = view


def set_identity(session_id: UUID, me: str, org: str | None = None) -> None:
    """Put the personal (and organizer) token in the URL so reloads keep who you are."""
    st.query_params["session"] = str(session_id)
    st.query_params["me"] = me
    if org:
        st.query_params["org"] = org


def opened_once(panel: object, key: str) -> bool:
    """Whether an expander (``key=key, on_change="rerun"``) is open or was opened before.

    Its widgets are drawn only from then on: a date picker, slider or multiselect costs
    hundreds of KB of browser code on a first visit, and most people never open the
    panel. Once drawn they stay (collapsed if closed again), so their values are kept.
    """
    seen = f"{key}-seen"
    if getattr(panel, "open", False):
        st.session_state[seen] = True
    return bool(st.session_state.get(seen, False))
