"""Results: top picks with why and who, heat-map, who's free per day, invite, .ics, lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import streamlit as st

from yescount.domain.availability import GroupAvailability
from yescount.domain.invite import day_label, pick_times, time_range_label
from yescount.domain.progress import Progress
from yescount.services import results as results_service
from yescount.services import sessions as sessions_service
from yescount.services.results import Recommendation, pick_invite_text
from yescount.web import ui
from yescount.web.components.heatmap import heatmap_html
from yescount.web.components.invite import render_invite
from yescount.web.components.safe import esc, html_block
from yescount.web.views import shell
from yescount.web.views.happening import locked_pick, render_happening
from yescount.web.views.rules import render_edit_rules


def pick_headline(pick: Recommendation) -> str:
    """ "#1 Jazz in the Park · Fri, Dec 4 · 7–10 pm" (escaped HTML)."""
    begins, ends = pick_times(pick.event, pick.day, pick.slot_start, pick.slot_end)
    when = f"{day_label(pick.day)} · {time_range_label(begins.time(), ends.time())}"
    return f"#{pick.rank} {esc(pick.event.title)} · {esc(when)}"


def pick_facts(pick: Recommendation, total: int, budget: Decimal | None) -> str:
    """Plain words: "All 3 free Sat · 3 of 3 said yes · $39–$59, inside budget"."""
    weekday = f"{pick.day:%a}"
    if total and pick.available_count == total:
        free = f"All {total} free {weekday}"
    else:
        free = f"{pick.available_count} of {total} free {weekday}"
    parts = [free, f"{pick.yes_count} of {total} said yes"]
    price = pick.event.price_label()
    if price:
        inside = budget is not None and (pick.event.price_min or 0) <= budget
        parts.append(f"{price}, inside budget" if inside else price)
    if pick.event.location:
        parts.append(f"📍 {pick.event.location}")
    return " · ".join(parts)


def who_text(pick: Recommendation, total: int, quorum: int) -> str:
    """Who is in, "Everyone" only when truly everyone, and the distance from the minimum."""
    n = len(pick.attendees)
    names = ", ".join(pick.attendees)
    who = f"Everyone's in: {names}" if n == total else f"{names} {'is' if n == 1 else 'are'} in"
    if n >= quorum:
        return f"{who} · meets the minimum of {quorum}"
    missing = quorum - n
    return f"{who} · {missing} more needed for the minimum of {quorum}"


def pick_why(pick: Recommendation) -> str:
    return (
        f"interest {pick.interest:.0%} · overlap {pick.overlap:.0%} · "
        f"group rules {pick.admin:.0%} → score {pick.score:.2f}"
    )


def _calendar_file(page: ui.Page, rank: int) -> Callable[[], bytes]:
    c = page.c

    def build() -> bytes:
        return results_service.invite_calendar(
            page.session_id,
            rank,
            uow=c.uow(write=False),
            policy=page.policy,
            base_url=page.base_url,
            clock=c.clock,
        )

    return build


def _pick_html(pick: Recommendation, facts: str, who: str) -> str:
    check = ' <span class="yc-pill sky">check dates</span>' if pick.check_dates else ""
    return (
        f'<div><p class="yc-pick">{pick_headline(pick)}{check}</p>'
        f'<p class="yc-meta">{esc(facts)}</p><p class="yc-meta">👥 {esc(who)}</p>'
        f'<details class="yc-why"><summary>why?</summary>'
        f'<p class="yc-meta">{esc(pick_why(pick))}</p></details></div>'
    )


def _render_pick(page: ui.Page, pick: Recommendation, total: int, quorum: int) -> None:
    with st.container(border=True):
        facts = pick_facts(pick, total, page.preview.budget_cap)
        html_block(_pick_html(pick, facts, who_text(pick, total, quorum)))
        with st.expander(f"Invite & calendar for pick #{pick.rank}", expanded=pick.rank == 1):
            render_pick_invite(page, pick, key=f"invite-{pick.rank}")


def render_pick_invite(page: ui.Page, pick: Recommendation, *, key: str) -> None:
    render_invite(
        pick_invite_text(page.session_id, pick, page.base_url),
        _calendar_file(page, pick.rank),
        key=key,
        filename=f"yescount-pick-{pick.rank}.ics",
    )


def _render_day_detail(group: GroupAvailability) -> None:
    open_days = [d for d in group.days if not d.blocked]
    if not open_days:
        return
    best = max(open_days, key=lambda d: (d.count, -d.day.toordinal()))
    chosen: date = st.selectbox(
        "Pick a day to see who is free",
        [d.day for d in open_days],
        index=open_days.index(best),
        format_func=day_label,
        key="day-detail",
    )
    entry = next(d for d in open_days if d.day == chosen)
    names = ", ".join(entry.available) if entry.available else "nobody yet"
    html_block(
        f'<div class="yc-meta">{esc(day_label(chosen))}: {entry.count}/{group.total} free — '
        f"{esc(names)}</div>"
    )


def _render_lock(page: ui.Page, picks: list[Recommendation]) -> None:
    if not page.is_organizer or not shell.can_write(page):
        return
    if not picks:
        st.caption("Organizer: you can lock the plan once there is a pick somebody can attend.")
        return
    with st.container(border=True):
        st.markdown("**Organizer:** lock the plan on a pick (no more votes or changes).")
        options = [p.rank for p in picks]
        rank = st.selectbox(
            "Pick to lock",
            options,
            format_func=lambda r: (
                f"#{r} {picks[r - 1].event.title} · {day_label(picks[r - 1].day)}"
            ),
            key="lock-rank",
            disabled=not picks,
        )
        if st.button("🔒 Lock plan", type="primary", key="lock-go"):
            _lock(page, picks, rank)


def _lock(page: ui.Page, picks: list[Recommendation], rank: int | None) -> None:
    pick = picks[rank - 1] if rank else None
    c = page.c
    org = page.org or ""

    def lock() -> object:
        return sessions_service.lock_session(
            page.session_id,
            org,
            event_id=pick.event.id if pick else None,
            on_date=pick.day if pick else None,
            uow=c.uow(),
            clock=c.clock,
            policy=page.policy,
        )

    if ui.attempt(lock, what="lock the plan") is not ui.FAILED:
        st.toast("Locked! Share the invite with the group.", icon="🔒")
        st.rerun()


def _render_quorum(page: ui.Page, progress: Progress) -> None:
    # The organizer's progress line above already carries the badge: say it once.
    if not page.is_organizer:
        html_block(f"<div>{shell.quorum_badge_html(progress)}</div>")


def _render_missing(progress: Progress, standing: results_service.Standing) -> None:
    """Before everyone gave availability: who is missing, and what leads so far."""
    waiting = progress.joined - progress.gave_availability
    if waiting > 0:
        verb = "hasn't" if waiting == 1 else "haven't"
        html_block(
            f'<p class="yc-meta" role="status">⏳ {waiting} of {progress.joined} {verb} '
            "picked evenings yet.</p>"
        )
    if progress.gave_availability == 0 and standing.leading:
        rows = "".join(
            f"<li>{esc(title)} — {n} yes{'es' if n != 1 else ''}</li>"
            for title, n in standing.leading
        )
        html_block(
            '<div><p class="yc-meta"><strong>Leading so far</strong> (dates come once '
            f"people mark their evenings)</p><ol>{rows}</ol></div>"
        )


def _render_left_out(standing: results_service.Standing) -> None:
    if not standing.left_out:
        return
    rows = "".join(f"<li>{esc(o.title)}: {esc(o.reason)}</li>" for o in standing.left_out)
    html_block(
        f'<details class="yc-why"><summary>Why isn\'t something you said yes to here? '
        f"({len(standing.left_out)})</summary><ul>{rows}</ul></details>"
    )


def _render_open(
    page: ui.Page, progress: Progress, picks: list[Recommendation], total: int
) -> None:
    st.header("🏆 Top picks")
    _render_quorum(page, progress)
    found = results_service.standing(page.session_id, picks, uow=page.c.uow(write=False))
    _render_missing(progress, found)
    if not picks and not found.leading:
        st.info("No picks yet — they appear once people say yes to events and mark evenings free.")
    elif not picks:
        st.info("No pick yet: nobody who said yes is free on the same evening.")
    for pick in picks:
        _render_pick(page, pick, total, progress.quorum_size)
    _render_left_out(found)
    _render_lock(page, picks)


def render(page: ui.Page) -> None:
    """The results view (also readable with just the share link)."""
    shell.render_header(page, "results")
    progress = shell.render_progress(page)
    render_edit_rules(page)
    c = page.c
    picks = results_service.recommend(page.session_id, uow=c.uow(write=False), policy=page.policy)
    group = results_service.group_availability(page.session_id, uow=c.uow(write=False))
    if render_happening(page, picks):
        chosen = locked_pick(page, picks)
        others = [p for p in picks if p is not chosen]
        if others:
            with st.expander(f"The other picks ({len(others)})"):
                for pick in others:
                    _render_pick(page, pick, group.total, progress.quorum_size)
    else:
        _render_open(page, progress, picks, group.total)
    st.subheader("When is everyone free?")
    pins: dict[date, list[int]] = {}
    for pick in picks:
        pins.setdefault(pick.day, []).append(pick.rank)
    html_block(f"<div>{heatmap_html(group, pins)}</div>")
    _render_day_detail(group)
    if page.viewer is None:
        st.caption("Want to vote too? Open the share link and join the plan.")
        st.button("Join this plan", key="results-join", on_click=ui.go, args=("welcome",))
