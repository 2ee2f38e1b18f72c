"""Voting cards: image or branded placeholder, facts, vibe pills, summary, source link."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from yescount.web.components.mounted import v2_component
from yescount.web.components.safe import esc, safe_url
from yescount.web.schemas import CardOut

VOTE_LABEL = "Yes! Count me in!"
SHOW_FIRST = 12


VOTE_SLOT = "<!--vote-->"  # where the browser puts the card's vote (before "More")


def over_budget(card: CardOut, budget: Decimal | None) -> bool:
    return budget is not None and card.price_min is not None and card.price_min > budget


def card_html(card: CardOut, budget: Decimal | None = None) -> str:
    """One card as HTML; every field from the listing is escaped, links are http(s) only."""
    title = esc(card.title)
    image = safe_url(card.image_url)
    initial = esc(card.title.strip()[:1].upper() or "Y")
    if image:
        # The gradient sits behind the photo; the browser swaps in the placeholder
        # (initial, alt text) as soon as the photo fails to load.
        top = (
            f'<div class="yc-ph-bg" data-initial="{initial}"><img src="{image}" alt="{title}" '
            'loading="lazy" referrerpolicy="no-referrer"></div>'
        )
    else:
        top = f'<div class="yc-ph" role="img" aria-label="No photo for {title}">{initial}</div>'
    facts = [f'<p class="yc-meta">📅 {esc(card.schedule_label)}</p>']
    if card.place:
        facts.append(f'<p class="yc-meta">📍 {esc(card.place)}</p>')
    if card.price:
        facts.append(f'<p class="yc-meta">💰 {esc(card.price)}</p>')
    pills = "".join(f'<span class="yc-pill">{esc(tag)}</span>' for tag in card.tags)
    if over_budget(card, budget):
        pills = f'<span class="yc-pill over">over the ${budget:,.0f} budget</span>' + pills
    if card.check_dates and "check dates" not in card.schedule_label:
        pills += '<span class="yc-pill sky">check dates</span>'
    summary = f'<p class="yc-summary">{esc(card.summary)}</p>' if card.summary else ""
    link = safe_url(card.url)
    more = (
        f'<a class="yc-more" href="{link}" target="_blank" rel="noopener noreferrer">'
        f'More ↗<span class="yc-sr"> about {title} (opens in a new tab)</span></a>'
        if link
        else ""
    )
    return (
        f'<article class="yc-card">{top}<div class="yc-card-body"><h3>{title}</h3>'
        f"{''.join(facts)}<div>{pills}</div>{summary}{VOTE_SLOT}{more}</div></article>"
    )


def cards_data(
    cards: Sequence[CardOut],
    *,
    voted: frozenset[int],
    budget: Decimal | None,
    writable: bool,
    session_id: UUID,
    token: str,
) -> dict[str, Any]:
    """What the browser needs: each card's escaped HTML in rank order, votes, the API token."""
    return {
        "cards": [{"id": c.event_id, "html": card_html(c, budget)} for c in cards],
        "voted": sorted(voted),
        "show": SHOW_FIRST,
        "writable": writable,
        "session": str(session_id),
        "token": token,
    }


def render_cards(data: dict[str, Any], *, key: str) -> None:
    """Mount the card grid (its votes save from the browser; no rerun per tap)."""
    v2_component("yc_votegrid", "votegrid")(key=key, data=data, height="content")
