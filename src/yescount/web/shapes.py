"""Service results → API bodies (pure functions, shared by routes and tests).

Every JSON body the routes return is built here (``web.catalog`` runs the card and
search use cases; their results are mapped here too).
"""

from __future__ import annotations

from uuid import UUID

from yescount.domain import invite
from yescount.domain.progress import Progress
from yescount.services.cards import CardsResult, VotingCard
from yescount.services.results import Recommendation, pick_invite_text
from yescount.services.search import SearchResult
from yescount.services.sessions import CreatedSession, JoinResult, SessionPreview
from yescount.web.schemas import (
    BreakdownOut,
    CardOut,
    CardsOut,
    CreateSessionOut,
    JoinOut,
    LockedPickOut,
    PreviewOut,
    ProgressOut,
    RecommendationOut,
    SearchHitOut,
    SearchOut,
    TopEventOut,
)


def created_out(made: CreatedSession, base_url: str) -> CreateSessionOut:
    return CreateSessionOut(
        session_id=str(made.session_id),
        organizer_token=made.organizer_token,
        participant_id=made.participant_id,
        participant_token=made.participant_token,
        share_url=invite.share_link(base_url, made.session_id),
        personal_url=invite.personal_link(base_url, made.session_id, made.participant_token),
        organizer_url=invite.organizer_link(
            base_url, made.session_id, made.participant_token, made.organizer_token
        ),
    )


def joined_out(session_id: UUID, joined: JoinResult, base_url: str) -> JoinOut:
    return JoinOut(
        participant_id=joined.participant_id,
        participant_token=joined.participant_token,
        display_name=joined.display_name,
        rejoined=joined.rejoined,
        personal_url=invite.personal_link(base_url, session_id, joined.participant_token),
    )


def progress_out(p: Progress) -> ProgressOut:
    return ProgressOut(
        joined=p.joined,
        voted=p.voted,
        gave_availability=p.gave_availability,
        quorum_size=p.quorum_size,
        quorum_reached=p.quorum_reached,
    )


def preview_out(p: SessionPreview) -> PreviewOut:
    """The public preview of a plan."""
    pick = p.locked_pick
    return PreviewOut(
        session_id=str(p.session_id),
        name=p.name,
        organizer_name=p.organizer_name,
        date_start=p.date_start,
        date_end=p.date_end,
        vibe_tags=list(p.vibe_tags),
        budget_cap=p.budget_cap,
        min_attendees=p.min_attendees,
        blackout_dates=list(p.blackout_dates),
        participant_names=list(p.participant_names),
        participant_count=p.participant_count,
        max_participants=p.max_participants,
        top_events=[
            TopEventOut(event_id=t.event_id, title=t.title, votes=t.votes) for t in p.top_events
        ],
        status=p.status,
        expires_at=p.expires_at,
        is_expired=p.is_expired,
        read_only=p.read_only,
        locked_pick=LockedPickOut(event_id=pick.event_id, title=pick.title, date=pick.day)
        if pick
        else None,
    )


def recommendation_out(session_id: UUID, pick: Recommendation, base_url: str) -> RecommendationOut:
    """One ranked pick with its breakdown, attendees, invite text and calendar link."""
    return RecommendationOut(
        rank=pick.rank,
        event_id=pick.event.id,
        title=pick.event.title,
        date=pick.day,
        slot_start=pick.slot_start.strftime("%H:%M"),
        slot_end=pick.slot_end.strftime("%H:%M"),
        score=pick.score,
        breakdown=BreakdownOut(interest=pick.interest, overlap=pick.overlap, admin=pick.admin),
        attendees=list(pick.attendees),
        yes_count=pick.yes_count,
        available_count=pick.available_count,
        check_dates=pick.check_dates,
        other_days=list(pick.other_days),
        place=pick.event.location,
        price=pick.event.price_label(),
        url=pick.event.url,
        invite_text=pick_invite_text(session_id, pick, base_url),
        calendar_url=f"{base_url}/api/v1/sessions/{session_id}/recommendations/"
        f"{pick.rank}/invite.ics",
    )


def card_out(card: VotingCard) -> CardOut:
    """A voting card as the API (and the vote grid) shows it."""
    event = card.event
    return CardOut(
        event_id=event.id,
        title=card.title,
        schedule_label=event.schedule_label(),
        place=event.location,
        price=event.price_label(),
        price_min=event.price_min,
        tags=list(event.vibe_tags),
        summary=card.summary,
        why=list(card.why),
        url=event.url,
        image_url=event.image_url,
        source=event.source,
        check_dates=not event.has_fixed_dates,
    )


def cards_out(found: CardsResult) -> CardsOut:
    return CardsOut(
        cards=[card_out(card) for card in found.cards],
        fallback=found.fallback_used,
        degraded=found.degraded,
    )


def search_out(found: SearchResult) -> SearchOut:
    return SearchOut(
        query=found.query,
        degraded=found.degraded,
        results=[
            SearchHitOut(
                event_id=h.event.id,
                title=h.event.title,
                schedule_label=h.event.schedule_label(),
                place=h.event.location,
                price=h.event.price_label(),
                tags=list(h.event.vibe_tags),
                url=h.event.url,
                score=h.score,
                why=list(h.why),
            )
            for h in found.hits
        ],
    )
