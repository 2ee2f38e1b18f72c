"""Organizer progress: who joined, voted, gave availability, and whether quorum is reached."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    joined: int
    voted: int
    gave_availability: int
    quorum_size: int
    quorum_reached: bool


def quorum_size(joined: int, min_attendees: int | None) -> int:
    """``min_attendees`` when set, else a majority of those who joined (floor(n/2)+1)."""
    if min_attendees is not None:
        return min_attendees
    return joined // 2 + 1


def compute_progress(
    participant_ids: Iterable[int],
    *,
    voters: Iterable[int],
    available: Iterable[int],
    min_attendees: int | None,
) -> Progress:
    """Voters have ≥ 1 yes vote; ``available`` have ≥ 1 slot; quorum needs both."""
    joined = set(participant_ids)
    voted = set(voters) & joined
    gave = set(available) & joined
    size = quorum_size(len(joined), min_attendees)
    return Progress(
        joined=len(joined),
        voted=len(voted),
        gave_availability=len(gave),
        quorum_size=size,
        quorum_reached=len(voted & gave) >= size,
    )
