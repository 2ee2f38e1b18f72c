"""The Typer application and the one place CLI errors become messages and exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from yescount.bootstrap import Container, build
from yescount.config import Settings
from yescount.errors import ConfigError, YesCountError
from yescount.observability import configure_logging

app = typer.Typer(
    name="yescount",
    help="YesCount: plan one NYC outing with your friends.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


def container() -> Container:
    """Settings from the environment, logging configured, collaborators wired."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    return build(settings)


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn YesCountError into a one-line message and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            typer.secho(exc.message, fg="red", err=True)
            raise typer.Exit(2) from exc
        except YesCountError as exc:
            typer.secho(f"error [{exc.code}]: {exc.message}", fg="red", err=True)
            raise typer.Exit(1) from exc

    return wrapper
