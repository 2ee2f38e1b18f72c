"""Schema migrations (Alembic) driven from code: upgrade, downgrade, status."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def status(engine: Engine) -> MigrationStatus:
    """Current and head revisions of the database behind ``engine``."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return MigrationStatus(current=current, head=head_revision())


def migrate_to(engine: Engine, target: str = "head") -> tuple[str | None, str | None]:
    """Move the schema up or down to ``target`` ("head", "base" or a revision id).

    Returns the (before, after) revisions. Each migration runs in its own
    transaction; a failing one rolls back and raises.
    """
    script = ScriptDirectory.from_config(_config())
    before = status(engine).current
    resolved = None if target == "base" else script.get_revision(target).revision
    downgrade = resolved != before and _is_ancestor(script, resolved, before)
    cfg = _config()
    with engine.connect() as conn, _sqlite_foreign_keys_off(conn), conn.begin():
        cfg.attributes["connection"] = conn
        if downgrade:
            command.downgrade(cfg, target)
        else:
            command.upgrade(cfg, target)
        _check_foreign_keys(conn)
    return before, status(engine).current


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite rebuilds a table to alter it (Alembic batch mode: copy, DROP, rename); with
    foreign keys on, that DROP cascades and deletes every row that references the table
    (a plan's participants, votes, evenings). The pragma only takes effect outside a
    transaction, so it is set on the raw connection before the migration's BEGIN."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    """With the checks off during the rebuild, prove none was broken before committing."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left {len(broken)} rows with a dangling foreign key")


def _is_ancestor(script: ScriptDirectory, candidate: str | None, current: str | None) -> bool:
    """True when ``candidate`` (None = base) lies below ``current``."""
    if current is None:
        return False
    if candidate is None:
        return True
    return any(rev.revision == candidate for rev in script.iterate_revisions(current, "base"))
