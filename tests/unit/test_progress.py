"""Organizer progress and quorum."""

from __future__ import annotations

import pytest

from yescount.domain.progress import Progress, compute_progress, quorum_size


@pytest.mark.parametrize(
    ("joined", "minimum", "expected"),
    [(0, None, 1), (1, None, 1), (4, None, 3), (5, None, 3), (5, 2, 2), (2, 4, 4)],
)
def test_quorum_size(joined: int, minimum: int | None, expected: int) -> None:
    assert quorum_size(joined, minimum) == expected


def test_progress_counts_voters_and_available_and_needs_both_for_quorum() -> None:
    result = compute_progress(
        [1, 2, 3, 4, 5], voters=[1, 2, 3, 3, 99], available=[3, 4, 5, 99], min_attendees=None
    )
    # Only participant 3 both voted and gave availability; a majority of 5 is 3.
    assert result == Progress(
        joined=5, voted=3, gave_availability=3, quorum_size=3, quorum_reached=False
    )


def test_quorum_reached_with_min_attendees() -> None:
    result = compute_progress([1, 2, 3], voters=[1, 2], available=[1, 2], min_attendees=2)
    assert result.quorum_reached
    assert result.quorum_size == 2
    majority = compute_progress([1, 2, 3], voters=[1, 2], available=[1, 2], min_attendees=None)
    assert majority.quorum_reached
    nobody = compute_progress([], voters=[], available=[], min_attendees=None)
    assert not nobody.quorum_reached
