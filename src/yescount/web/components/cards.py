"""Voting cards: image or branded placeholder, facts, vibe pills, summary, source link."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from yescount.web.components.safe import esc, md, safe_url
from yescount.web.schemas import CardOut

VOTE_LABEL = "Yes! Count me in!"
COLUMNS = 3


def card_html(card: CardOut) -> str:
    """One card as HTML; every field from the listing is escaped, links are http(s) only."""
    title = esc(card.title)
    image = safe_url(card.image_url)
    if image:
        # The gradient sits behind the photo, so a photo that fails to load still
        # leaves the branded placeholder (its alt text stays for screen readers).
        top = (
            f'<div class="yc-ph-bg"><img src="{image}" alt="{title}" loading="lazy" '
            'referrerpolicy="no-referrer"></div>'
        )
    else:
        initial = esc(card.title.strip()[:1].upper() or "Y")
        top = f'<div class="yc-ph" role="img" aria-label="No photo for {title}">{initial}</div>'
    facts = [f'<p class="yc-meta">📅 {esc(card.schedule_label)}</p>']
    if card.place:
        facts.append(f'<p class="yc-meta">📍 {esc(card.place)}</p>')
    if card.price:
        facts.append(f'<p class="yc-meta">💰 {esc(card.price)}</p>')
    pills = "".join(f'<span class="yc-pill">{esc(tag)}</span>' for tag in card.tags)
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
        f"{''.join(facts)}<div>{pills}</div>{summary}{more}</div></article>"
    )


def render_cards(
    cards: Sequence[CardOut],
    *,
    key_prefix: str,
    voted: frozenset[int],
    on_vote: Callable[[int, str], None],
    disabled: bool = False,
) -> None:
    """Cards in three columns (stacked on phones), each with its yes checkbox."""
    columns = st.columns(COLUMNS, gap="medium")
    for index, card in enumerate(cards):
        with columns[index % COLUMNS]:
            st.markdown(card_html(card), unsafe_allow_html=True)
            key = f"{key_prefix}-{card.event_id}"
            if key not in st.session_state:
                st.session_state[key] = card.event_id in voted
            st.checkbox(
                VOTE_LABEL,
                key=key,
                on_change=on_vote,
                args=(card.event_id, key),
                disabled=disabled,
                help=f"Say yes to {md(card.title)}",
            )
