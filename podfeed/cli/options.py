"""The options several commands share, declared once, and where ``-q``/``-v`` are remembered.

Each decorator adds one option to a command with the same flags, help and default everywhere
(``--config``, ``--format``, ``--show``, ...); those whose help differs per command take it as
an argument (``--strict``, ``-o``). :func:`verbosity` reads ``-q``/``-v`` wherever they were
given, before or after the command name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from podfeed.cli.formats import FORMAT_CHOICES

__all__ = [
    "Verbosity",
    "choice_option",
    "config_option",
    "format_option",
    "langs_option",
    "output_option",
    "remember_verbosity",
    "shows_option",
    "strict_option",
    "verbosity",
    "verbosity_options",
]

F = TypeVar("F", bound=Callable[..., Any])


config_option = click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default="config.yaml",
    show_default=True,
    envvar="PODFEED_CONFIG",
    show_envvar=True,
    help="The podfeed configuration file.",
)
shows_option = click.option(
    "--show", "shows", multiple=True, help="Only this show id (repeatable)."
)
langs_option = click.option(
    "--lang", "langs", multiple=True, help="Only this language (repeatable)."
)


def choice_option(*decls: str, choices: Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """An option taking one of ``choices``, its default shown in ``--help``."""
    return click.option(
        *decls, type=click.Choice(choices), default=default, show_default=True, help=help
    )


format_option = choice_option(
    "--format",
    "fmt",
    choices=FORMAT_CHOICES,
    default="auto",
    help="How problems are printed: text, json, or github annotations "
    "(auto: github under GitHub Actions, else text).",
)


def strict_option(help: str) -> Callable[[F], F]:
    """``--strict``, with what it does for this command (each does something different)."""
    return click.option("--strict", is_flag=True, help=help)


def output_option(
    name: str, *, folder: bool, help: str, default: str | None = None
) -> Callable[[F], F]:
    """``-o``/``--output``: a folder (build, preview) or a file (init), passed as ``name``."""
    return click.option(
        "-o",
        "--output",
        name,
        type=click.Path(path_type=Path, file_okay=not folder, dir_okay=folder),
        default=default,
        show_default=default is not None,
        help=help,
    )


@dataclass(frozen=True)
class Verbosity:
    """``quiet``: no progress, no info-level problems; ``verbose``: every step and problem."""

    quiet: bool = False
    verbose: bool = False


def _root_settings(ctx: click.Context | None) -> dict[str, bool]:
    root = ctx.find_root() if ctx else None
    if root is None:
        return {}
    if not isinstance(root.obj, dict):
        root.obj = {}
    settings: dict[str, bool] = root.obj
    return settings


def verbosity() -> Verbosity:
    """``-q`` and ``-v`` wherever they were given; ``-q`` wins over ``-v``."""
    settings = _root_settings(click.get_current_context(silent=True))
    quiet = settings.get("quiet", False)
    return Verbosity(quiet=quiet, verbose=settings.get("verbose", False) and not quiet)


def remember_verbosity(quiet: bool, verbose: bool) -> None:
    """The group's own ``-q``/``-v`` (``podfeed -q build``), for :func:`verbosity`."""
    ctx = click.get_current_context()
    ctx.obj = {"quiet": quiet, "verbose": verbose}


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and param.name:
        _root_settings(ctx)[param.name] = True


def verbosity_options(func: F) -> F:
    """``-q``/``-v`` after the command name too (``podfeed build -q``), as users type them."""
    func = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Log each step with its duration (same as `podfeed -v`).",
    )(func)
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="No progress, and no info-level problems (same as `podfeed -q`).",
    )(func)
