"""Typed settings: every knob of YesCount, with a default and a description.

Values come from (highest priority first) keyword arguments, environment
variables, a ``.env`` file and Streamlit secrets (``.streamlit/secrets.toml``).
``Settings.from_env()`` turns any parse failure into one actionable
``ConfigError``; ``validate_for_startup`` adds the environment rules of SPEC §8
(staging/production must use PostgreSQL, a public ``BASE_URL`` and durable or
explicitly accepted vectors) and checks that storage paths are writable.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from yescount.domain.newyork import EVENING_END, EVENING_START
from yescount.errors import ConfigError

STREAMLIT_SECRETS_FILE = Path(".streamlit/secrets.toml")
# Upper bounds of settings that also bound API inputs (OpenAPI states them).
MAX_WINDOW_DAYS = 31
MAX_PARTICIPANTS = 100


class Environment(StrEnum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"


class VectorBackend(StrEnum):
    AUTO = "auto"
    CHROMA = "chroma"
    PGVECTOR = "pgvector"


class Settings(BaseSettings):
    """Everything YesCount reads from its environment (SPEC §8)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        validate_default=True,
    )

    database_url: str = Field(
        "",
        description="PostgreSQL URL (postgresql://user@host:5432/db). Empty: SQLite at "
        "SQLITE_DB_PATH.",
    )
    sqlite_db_path: Path = Field(
        Path("data/yescount.db"), description="SQLite file used when DATABASE_URL is empty."
    )
    chroma_persist_dir: Path = Field(
        Path("data/chroma"), description="Directory of the embedded Chroma vector index."
    )
    vector_backend: VectorBackend = Field(
        VectorBackend.AUTO,
        description="auto (pgvector with PostgreSQL, else Chroma), chroma or pgvector.",
    )
    accept_ephemeral_vectors: bool = Field(
        False,
        description="Staging/production only: accept a Chroma index on instance disk "
        "(rebuildable with `yescount reindex`).",
    )
    base_url: str = Field(
        "http://localhost:8501",
        description="Public URL of the app, used in share links. Required in staging and "
        "production; in development, when unset, links follow the port being served.",
    )
    session_expiry_days: int = Field(
        7, ge=1, le=365, description="A plan becomes read-only this many days after creation."
    )
    max_participants: int = Field(
        10, ge=1, le=MAX_PARTICIPANTS, description="Participants per plan."
    )
    max_window_days: int = Field(
        31, ge=1, le=MAX_WINDOW_DAYS, description="Longest date window of a plan."
    )
    plan_horizon_months: int = Field(
        18, ge=1, le=60, description="How far ahead (months from today) a plan's window may end."
    )
    max_request_body_bytes: int = Field(
        64 * 1024,
        ge=1024,
        le=16 * 1024 * 1024,
        description="Largest request body accepted (bytes); larger ones get 413 unread.",
    )
    preview_rate_limit_per_minute: int = Field(
        10, ge=1, description="Public preview reads allowed per client and minute."
    )
    search_rate_limit_per_minute: int = Field(
        30, ge=1, description="Event searches (API, and card searches) per client and minute."
    )
    create_rate_limit_per_minute: int = Field(
        10, ge=1, description="New plans per client and minute."
    )
    join_rate_limit_per_minute: int = Field(
        20, ge=1, description="Join attempts per client and minute."
    )
    rate_limit_storage_uri: str = Field(
        "memory://",
        description="Where rate-limit counters live: memory:// (one process) or "
        "redis://host:6379/0 (shared by every replica).",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated proxy addresses/networks whose X-Forwarded-For is "
        "believed. Empty: the connection's own address is the client.",
    )
    slot_start: time = Field(EVENING_START, description="Start of the evening slot (HH:MM).")
    slot_end: time = Field(EVENING_END, description="End of the evening slot (HH:MM).")
    recommendations_top_n: int = Field(5, ge=1, le=50, description="Picks shown on results.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="Minimum level of the JSON logs."
    )
    yescount_env: Environment = Field(
        Environment.DEVELOPMENT, description="development, staging or production."
    )
    sources_config_path: Path = Field(
        Path("config/sources.yaml"), description="Registry of ingestion sources."
    )
    ingestion_auto_refresh: bool = Field(
        True, description="Let the app start a background refresh when data is stale."
    )
    ingestion_max_staleness_hours: int = Field(
        192, ge=1, description="Age of the last successful run that triggers a refresh."
    )
    ingestion_required_sources_strict: bool = Field(
        False, description="A failed required source fails the whole run (else: degraded)."
    )
    user_agent: str = Field(
        "YesCountBot/0.1 (+https://github.com/yescount; group outing planner)",
        description="Honest User-Agent sent by the ingestion fetcher.",
    )
    openai_api_key: SecretStr | None = Field(
        None, description="Optional: enables OpenAI embeddings and card copy."
    )
    embedding_backend: Literal["local", "openai"] = Field(
        "local",
        description="local (all-MiniLM-L6-v2, offline) or openai (needs OPENAI_API_KEY; "
        "run `yescount reindex --fresh` after switching).",
    )
    nyc_open_data_app_token: SecretStr | None = Field(
        None, description="Optional: Socrata app token for the NYC Open Data source."
    )
    nyc_open_data_dataset_id: str = Field(
        "", description="Optional: Socrata dataset id for the NYC Open Data source."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        secrets = TomlConfigSettingsSource(settings_cls, toml_file=STREAMLIT_SECRETS_FILE)
        return init_settings, env_settings, dotenv_settings, _LowerKeys(secrets)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return ""
        scheme = urlsplit(value).scheme
        if not scheme.startswith(("postgresql", "postgres", "sqlite")):
            raise ValueError(
                "must be a postgresql:// URL (or empty to use SQLITE_DB_PATH); got scheme "
                f"{scheme!r}"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL such as https://yescount.example")
        return value.strip().rstrip("/")

    @field_validator("rate_limit_storage_uri")
    @classmethod
    def _check_limit_storage(cls, value: str) -> str:
        scheme = urlsplit(value.strip()).scheme
        if scheme not in {"memory", "redis", "rediss", "redis+sentinel", "redis+cluster"}:
            raise ValueError("must be memory:// or a redis:// URI")
        return value.strip()

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        for entry in _split(value):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return ",".join(_split(value))

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)

    @model_validator(mode="after")
    def _check_slot(self) -> Settings:
        if self.slot_end <= self.slot_start:
            raise ValueError("SLOT_END must be later than SLOT_START")
        return self

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Load settings, turning parse errors into one actionable ConfigError."""
        try:
            return cls(**overrides)
        except PydanticValidationError as exc:
            raise ConfigError(_describe(exc), code="config_invalid") from exc

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql", "postgres"))

    @property
    def sqlalchemy_url(self) -> str:
        """The URL SQLAlchemy should use (psycopg 3 driver for PostgreSQL)."""
        if not self.database_url:
            return f"sqlite:///{self.sqlite_db_path}"
        return normalize_database_url(self.database_url)

    @property
    def effective_vector_backend(self) -> VectorBackend:
        if self.vector_backend is not VectorBackend.AUTO:
            return self.vector_backend
        return VectorBackend.PGVECTOR if self.is_postgres else VectorBackend.CHROMA

    def safe_summary(self) -> dict[str, Any]:
        """Settings as plain data with every secret and password masked."""
        data = self.model_dump(mode="json")
        data["database_url"] = mask_url(self.database_url) if self.database_url else ""
        for name in ("openai_api_key", "nyc_open_data_app_token"):
            data[name] = "set" if getattr(self, name) else None
        return data


class _LowerKeys(PydanticBaseSettingsSource):
    """Streamlit secrets are written in UPPER_CASE like the environment."""

    def __init__(self, inner: PydanticBaseSettingsSource) -> None:
        super().__init__(inner.settings_cls)
        self._inner = inner

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return {str(k).lower(): v for k, v in self._inner().items()}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def normalize_database_url(url: str) -> str:
    """Map postgres:// and postgresql:// onto the psycopg 3 SQLAlchemy driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def mask_url(url: str) -> str:
    """Hide the password of a database URL for logs and reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def _describe(exc: PydanticValidationError) -> str:
    lines = ["Invalid configuration:"]
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "settings"
        lines.append(f"  {field.upper()}: {err['msg']} (see .env.example)")
    return "\n".join(lines)


def startup_problems(settings: Settings) -> list[str]:
    """Every reason this configuration must not start, as actionable sentences."""
    problems: list[str] = []
    if settings.yescount_env is not Environment.DEVELOPMENT:
        env = settings.yescount_env.value
        host = urlsplit(settings.base_url).hostname or ""
        if host in {"localhost", "127.0.0.1", "0.0.0.0", "::1"}:  # noqa: S104
            problems.append(
                f"BASE_URL is {settings.base_url} in {env}: set it to the public URL "
                "so share links work for friends."
            )
        if not settings.is_postgres:
            problems.append(
                f"DATABASE_URL must point at PostgreSQL in {env} (SQLite on instance disk "
                "loses plans on restart)."
            )
        if (
            settings.effective_vector_backend is VectorBackend.CHROMA
            and not settings.accept_ephemeral_vectors
        ):
            problems.append(
                f"The Chroma vector index lives on instance disk in {env}: use "
                "VECTOR_BACKEND=pgvector or set ACCEPT_EPHEMERAL_VECTORS=true to accept "
                "rebuilding it with `yescount reindex`."
            )
    paths = [settings.chroma_persist_dir]
    if not settings.is_postgres:
        paths.append(settings.sqlite_db_path.parent)
    for path in paths:
        problem = _writable_problem(path)
        if problem:
            problems.append(problem)
    return problems


def _writable_problem(directory: Path) -> str | None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"Cannot create directory {directory}: {exc.strerror}. Fix the path or permissions."
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"Directory {directory} is not writable by this user. Fix its permissions."
    return None


_LOCAL_BINDS = frozenset({"", "127.0.0.1", "0.0.0.0", "::", "::1", "localhost"})  # noqa: S104


def served_settings(settings: Settings, *, host: str, port: int) -> Settings:
    """Settings whose links reach this server.

    In development, without an explicit ``BASE_URL``, share and organizer links follow the
    port being served (``make run PORT=8655`` → ``http://localhost:8655``). Staging and
    production always use the configured ``BASE_URL`` (start-up refuses a local one).
    """
    explicit = "base_url" in settings.model_fields_set
    if explicit or settings.yescount_env is not Environment.DEVELOPMENT:
        return settings
    shown = "localhost" if host in _LOCAL_BINDS else host
    if ":" in shown:  # an IPv6 literal
        shown = f"[{shown}]"
    return settings.model_copy(update={"base_url": f"http://{shown}:{port}"})


def validate_for_startup(settings: Settings) -> None:
    """Raise ConfigError listing every start-up problem, or return quietly."""
    problems = startup_problems(settings)
    if problems:
        raise ConfigError("Cannot start:\n  - " + "\n  - ".join(problems), code="config_unsafe")
