"""Settings: parsing, actionable errors, staging/production rules, secret masking."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from yescount.config import (
    Environment,
    Settings,
    VectorBackend,
    mask_url,
    normalize_database_url,
    startup_problems,
    validate_for_startup,
)
from yescount.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings read only what each test sets (no .env, no secrets file)."""
    monkeypatch.chdir(tmp_path)
    for name in list(Settings.model_fields):
        monkeypatch.delenv(name.upper(), raising=False)


def test_defaults_use_sqlite_and_chroma() -> None:
    settings = Settings.from_env()
    assert settings.sqlalchemy_url == "sqlite:///data/yescount.db"
    assert not settings.is_postgres
    assert settings.effective_vector_backend is VectorBackend.CHROMA
    assert settings.session_expiry_days == 7
    assert settings.max_participants == 10
    assert (settings.slot_start, settings.slot_end) == (time(19), time(22))


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@db:5432/yc")
    monkeypatch.setenv("SESSION_EXPIRY_DAYS", "14")
    monkeypatch.setenv("INGESTION_REQUIRED_SOURCES_STRICT", "true")
    settings = Settings.from_env()
    assert settings.sqlalchemy_url == "postgresql+psycopg://postgres@db:5432/yc"
    assert settings.effective_vector_backend is VectorBackend.PGVECTOR
    assert settings.session_expiry_days == 14
    assert settings.ingestion_required_sources_strict is True


def test_streamlit_secrets_file_is_a_source(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('BASE_URL = "https://yc.example"\n')
    assert Settings.from_env().base_url == "https://yc.example"


def test_environment_beats_streamlit_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('BASE_URL = "https://a.example"\n')
    monkeypatch.setenv("BASE_URL", "https://b.example")
    assert Settings.from_env().base_url == "https://b.example"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("SESSION_EXPIRY_DAYS", "soon", "SESSION_EXPIRY_DAYS"),
        ("SESSION_EXPIRY_DAYS", "0", "SESSION_EXPIRY_DAYS"),
        ("DATABASE_URL", "mysql://root@db/yc", "postgresql://"),
        ("BASE_URL", "yescount.example", "absolute http(s) URL"),
        ("YESCOUNT_ENV", "prod", "YESCOUNT_ENV"),
        ("SLOT_START", "25:00", "SLOT_START"),
        ("INGESTION_AUTO_REFRESH", "maybe", "INGESTION_AUTO_REFRESH"),
    ],
)
def test_bad_values_give_actionable_errors(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        Settings.from_env()
    assert fragment in info.value.message
    assert ".env.example" in info.value.message


def test_slot_must_end_after_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLOT_START", "22:00")
    monkeypatch.setenv("SLOT_END", "19:00")
    with pytest.raises(ConfigError, match="SLOT_END"):
        Settings.from_env()


def test_development_defaults_start() -> None:
    validate_for_startup(Settings.from_env())


@pytest.mark.parametrize("env", [Environment.STAGING, Environment.PRODUCTION])
def test_staging_and_production_refuse_unsafe_defaults(env: Environment) -> None:
    settings = Settings.from_env(yescount_env=env)
    problems = " ".join(startup_problems(settings))
    assert "BASE_URL" in problems
    assert "PostgreSQL" in problems
    assert "ACCEPT_EPHEMERAL_VECTORS" in problems
    with pytest.raises(ConfigError):
        validate_for_startup(settings)


def test_production_with_postgres_public_url_and_pgvector_starts() -> None:
    settings = Settings.from_env(
        yescount_env="production",
        base_url="https://yescount.example",
        database_url="postgresql://app:pw@db.internal:5432/yescount",  # pragma: allowlist secret
    )
    assert startup_problems(settings) == []


def test_production_may_accept_chroma_explicitly() -> None:
    settings = Settings.from_env(
        yescount_env="production",
        base_url="https://yescount.example",
        database_url="postgresql://app@db/yc",
        vector_backend="chroma",
        accept_ephemeral_vectors=True,
    )
    assert startup_problems(settings) == []


def test_unwritable_storage_path_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    settings = Settings.from_env(chroma_persist_dir=blocker / "chroma")
    assert any("Cannot create directory" in p for p in startup_problems(settings))


def test_secrets_never_appear_in_the_summary() -> None:
    settings = Settings.from_env(
        database_url="postgresql://app:hunter2@db/yc",  # pragma: allowlist secret
        openai_api_key="sk-test-not-real",  # pragma: allowlist secret
    )
    summary = str(settings.safe_summary())
    assert "hunter2" not in summary
    assert "sk-test-not-real" not in summary
    assert "hunter2" not in repr(settings.openai_api_key)


def test_url_helpers() -> None:
    assert normalize_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
    fake = "postgresql://u:secret@h/d"  # pragma: allowlist secret
    assert mask_url(fake) == "postgresql://u:***@h/d"
    assert mask_url("postgresql://u@h/d") == "postgresql://u@h/d"
