"""The CLI's command -> module table matches what the modules register."""

from __future__ import annotations

from yescount.cli import COMMAND_MODULES, register
from yescount.cli.app import app


def test_every_registered_command_is_in_the_table() -> None:
    register()
    names = {c.name for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups}
    assert names == set(COMMAND_MODULES)
