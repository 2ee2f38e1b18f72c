"""Migration 0005 rewrites participant name keys (look-alikes) and back, SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from tests.conftest import FrozenClock
from tests.factories.planning import make_plan
from yescount.domain.sessions import hash_token
from yescount.storage import migrate
from yescount.storage.tables import participants

CYRILLIC, FULLWIDTH = "J\u0430ke", "\uff2a\uff41\uff4b\uff45"
PEOPLE = {  # display name → key before 0005
    "Jake": "jake",
    CYRILLIC: "j\u0430ke",
    FULLWIDTH: "\uff4a\uff41\uff4b\uff45",
    "José": "josé",
    "李雷": "李雷",
}


def _keys(engine: Engine) -> dict[str, tuple[int, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(participants.c.display_name, participants.c.id, participants.c.name_key)
        )
        return {name: (pid, key) for name, pid, key in rows}


def test_0005_merges_look_alike_keys_keeps_everyone_and_downgrades(
    engine: Engine, clock: FrozenClock
) -> None:
    plan = make_plan(engine, clock)  # through today's code, so at head; then back to 0004
    migrate.migrate_to(engine, "0004")
    with engine.begin() as conn:
        for i, (name, key) in enumerate(PEOPLE.items()):
            conn.execute(
                insert(participants).values(
                    session_id=plan.session_id,
                    display_name=name,
                    name_key=key,
                    token_hash=hash_token(f"t{i}"),
                    is_organizer=False,
                    joined_at=clock(),
                )
            )

    migrate.migrate_to(engine, "0005")
    after = _keys(engine)
    jake_id = after["Jake"][0]
    assert after["Jake"][1] == "jake"
    assert after[CYRILLIC][1] == f"jake#{after[CYRILLIC][0]}"
    assert after[FULLWIDTH][1] == f"jake#{after[FULLWIDTH][0]}"
    assert after["José"][1] == "josé"
    assert after["李雷"][1] == "李雷"
    assert after["Ema"][1] == "erna"  # TR39: "m" looks like "rn"
    assert len(after) == len(PEOPLE) + 1
    assert jake_id < after[CYRILLIC][0]

    migrate.migrate_to(engine, "0004")
    before = _keys(engine)
    assert {name: key for name, (_, key) in before.items()} == {**PEOPLE, "Ema": "ema"}

    migrate.migrate_to(engine, "head")
    assert _keys(engine) == after
