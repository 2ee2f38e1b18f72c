"""The plan policy built from settings."""

from __future__ import annotations

from yescount.config import Settings
from yescount.domain.sessions import PlanPolicy


def policy_from_settings(settings: Settings) -> PlanPolicy:
    """Limits every plan follows, from the environment (SPEC §2, §6, §8)."""
    return PlanPolicy(
        max_participants=settings.max_participants,
        max_window_days=settings.max_window_days,
        expiry_days=settings.session_expiry_days,
        slot_start=settings.slot_start,
        slot_end=settings.slot_end,
        top_n=settings.recommendations_top_n,
        horizon_months=settings.plan_horizon_months,
    )
