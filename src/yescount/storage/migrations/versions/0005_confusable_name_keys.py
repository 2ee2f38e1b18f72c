"""Participant name keys ignore look-alikes: NFKC + case fold + TR39 skeleton.

``Jake``, Jake with a Cyrillic a (U+0430) and fullwidth Jake (U+FF2A…) were three
keys and are now one.
Existing people keep their rows: when two people of one plan already share the new
key, the later joiner gets ``<key>#<participant id>`` (``#`` never occurs in a name),
so the unique ``(session_id, name_key)`` constraint holds and nobody is dropped.
Downgrade writes the old keys back (NFC of the case fold), which are unique because
the new keys are a coarser grouping of the same names.

The key function is frozen here rather than imported, so a later change of the
application's key cannot change what this migration did.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
import unicodedata

import icu
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MAX_KEY_LENGTH = 200
PARTICIPANTS = sa.table(
    "participants",
    sa.column("id", sa.BigInteger),
    sa.column("session_id", sa.Uuid),
    sa.column("display_name", sa.String),
    sa.column("name_key", sa.String),
)


def _new_key(display_name: str, checker: icu.SpoofChecker) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", display_name).casefold())
    key = unicodedata.normalize("NFC", str(checker.getSkeleton(0, folded)))
    if len(key) > MAX_KEY_LENGTH:
        return "#" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key


def _old_key(display_name: str) -> str:
    return unicodedata.normalize("NFC", display_name.casefold())


def _rows(conn: sa.Connection) -> list[tuple[int, object, str, str]]:
    query = sa.select(
        PARTICIPANTS.c.id,
        PARTICIPANTS.c.session_id,
        PARTICIPANTS.c.display_name,
        PARTICIPANTS.c.name_key,
    ).order_by(PARTICIPANTS.c.session_id, PARTICIPANTS.c.id)
    return [(int(r[0]), r[1], str(r[2]), str(r[3])) for r in conn.execute(query)]


def _rewrite(conn: sa.Connection, keys: dict[int, str]) -> None:
    # Two passes: a temporary unique key first, so no intermediate state breaks the
    # (session_id, name_key) constraint while keys swap between people.
    update = (
        sa.update(PARTICIPANTS)
        .where(PARTICIPANTS.c.id == sa.bindparam("pid"))
        .values(name_key=sa.bindparam("key"))
    )
    if not keys:
        return
    conn.execute(update, [{"pid": pid, "key": f"#migrating#{pid}"} for pid in keys])
    conn.execute(update, [{"pid": pid, "key": key} for pid, key in keys.items()])


def upgrade() -> None:
    conn = op.get_bind()
    checker = icu.SpoofChecker()
    keys: dict[int, str] = {}
    taken: set[tuple[object, str]] = set()
    for pid, session_id, display_name, _ in _rows(conn):
        key = _new_key(display_name, checker)
        if (session_id, key) in taken:
            key = f"{key}#{pid}"
            if len(key) > MAX_KEY_LENGTH:
                key = "#" + hashlib.sha256(key.encode("utf-8")).hexdigest()
        taken.add((session_id, key))
        keys[pid] = key
    _rewrite(conn, keys)


def downgrade() -> None:
    conn = op.get_bind()
    _rewrite(conn, {pid: _old_key(display_name) for pid, _, display_name, _ in _rows(conn)})
