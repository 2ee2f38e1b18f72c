"""Confusable skeletons (Unicode TR39) from ICU's spoof checker, for name uniqueness.

``domain.names.name_key`` takes the skeleton function as an argument so the domain
stays standard-library only; every service that stores or compares a name key passes
``tr39_skeleton``. ICU (through the ``pyicu-wheels`` build of PyICU) carries the
Unicode consortium's confusables data and the reference algorithm: NFD, map each
character to its prototype, NFD again.
"""

from __future__ import annotations

import threading

import icu

from yescount.domain.names import name_key

_checker = icu.SpoofChecker()
_lock = threading.Lock()


def tr39_skeleton(text: str) -> str:
    """The TR39 skeleton of ``text`` (Jake with a Cyrillic a, U+0430, → ``jake``)."""
    with _lock:  # one checker object; ICU leaves concurrent use of one instance unspecified
        return str(_checker.getSkeleton(0, text))


def person_key(display_name: str) -> str:
    """The participants.name_key of a normalized display name."""
    return name_key(display_name, skeleton=tr39_skeleton)
