"""Use cases: one function each, one transaction each, plain data out."""

from yescount.services.policy import policy_from_settings

__all__ = ["policy_from_settings"]
