"""The Streamlit script: pick the view from the URL, render it, time it."""

from __future__ import annotations

from uuid import UUID

import streamlit as st

from yescount.errors import NotFoundError, StorageError, YesCountError
from yescount.observability import get_logger, new_context_id
from yescount.services import sessions as sessions_service
from yescount.services.sessions import SessionPreview
from yescount.web import theme, ui, ui_limits
from yescount.web.metrics import default_metrics, timed
from yescount.web.views import availability, errors, landing, results, vote, welcome


def _load_preview(session_id: UUID, *, member: bool) -> SessionPreview | None:
    """The plan's preview; only the public one (no valid personal link) is rate limited.

    Every reload is a new Streamlit session, so counting members too would lock a
    friend out of their own plan after ten reloads in a minute.
    """
    c = ui.container()
    if not member:
        ui_limits.limit(c, "preview", once=str(session_id))
    try:
        return sessions_service.get_preview(session_id, uow=c.uow(write=False), clock=c.clock)
    except NotFoundError:
        errors.render_not_found()
    except StorageError as exc:
        errors.render_unavailable(exc)
    return None


def _route() -> str:
    """Render the view the URL asks for; returns its name (for the page-run metric)."""
    raw = ui.param("session")
    if raw is None:
        landing.render(ui.container())
        return "landing"
    session_id = ui.parse_uuid(raw)
    if session_id is None:
        errors.render_not_found()
        return "not_found"
    c = ui.container()
    me = ui.param("me")
    viewer = ui.resolve_viewer(c, session_id, me)
    preview = _load_preview(session_id, member=viewer is not None)
    if preview is None:
        return "not_found"
    org = ui.verified_organizer(c, session_id, ui.param("org"))
    page = ui.Page(c, ui.policy(), session_id, preview, viewer, me if viewer else None, org)
    view = ui.param("view")
    if viewer is None:
        if view == "results":
            results.render(page)
            return "results"
        welcome.render(page, bad_link=me is not None)
        return "welcome"
    if view not in ui.VIEWS:
        view = "vote" if preview.status == "open" and not preview.read_only else "results"
        # Pin it in the URL so a failed write or a status change never moves the page.
        st.query_params["view"] = view
    {"vote": vote.render, "availability": availability.render, "results": results.render}[view](
        page
    )
    return view


def main() -> None:
    """Entry point of the Streamlit script."""
    st.set_page_config(page_title="YesCount", page_icon="🎉", layout="wide")
    theme.inject()
    stop = timed(default_metrics())
    try:
        view = _route()
    except StorageError as exc:
        errors.render_unavailable(exc)
        view = "unavailable"
    except YesCountError as exc:
        errors.render_problem(exc)
        view = "problem"
    except Exception:  # never a traceback on the page: it goes to the log with its id
        context_id = new_context_id()
        get_logger().exception("ui_crash", context_id=context_id)
        errors.render_crash(context_id)
        view = "crash"
    stop(view)
