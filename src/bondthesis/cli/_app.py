"""The typer application object and small helpers every command module shares."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any, NoReturn

import typer

from bondthesis.cli._commands import LazyGroup
from bondthesis.config import Settings
from bondthesis.errors import BondThesisError, ConfigError, SourceError, StoreError
from bondthesis.serialize import to_jsonable


class _Commands(LazyGroup):
    """The command table, plus the one rule for errors: one line on stderr and exit 2 (bad input,
    settings) or 1 (a provider or the store failed), whether run from the shell or in process."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BondThesisError as exc:
            print_error(str(exc))
            raise typer.Exit(exit_code_for(exc)) from None
        except (ValueError, TypeError, FileNotFoundError) as exc:
            print_error(str(exc))
            raise typer.Exit(2) from None


app = typer.Typer(
    name="bondthesis",
    cls=_Commands,
    rich_markup_mode=None,  # the root help in plain click: no rich.markdown, pygments (0.25 s)
    help="Check, watch and size the long-Treasuries thesis with public data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def __getattr__(name: str) -> Any:
    """``console`` and ``console_err``, made on first use: rich loads only for commands that
    print through it, never for ``--help``."""
    if name not in ("console", "console_err"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name in globals():
        return globals()[name]
    from rich.console import Console

    stream = sys.stderr if name == "console_err" else sys.stdout
    # Piped output (files, CI logs, README) gets 120 columns instead of rich's default 80, so
    # that tables keep their dates and names whole.
    value = Console(
        stderr=name == "console_err", highlight=False, width=None if stream.isatty() else 120
    )
    globals()[name] = value
    return value


@app.callback()
def _root() -> None:
    # A callback makes the app a group even before any command is loaded (see _commands.py).
    pass


def exit_code_for(exc: BondThesisError) -> int:
    """2 for what the user can fix by changing the call or a setting, 1 for failures outside."""
    if isinstance(exc, SourceError | StoreError):
        return 1
    if isinstance(exc, ConfigError):
        return 2
    return 2


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line that says how to fix the problem, and exit."""
    print_error(message)
    raise typer.Exit(code)


def print_error(message: str) -> None:
    """One line on stderr: ``error: message``."""
    __getattr__("console_err").print(
        f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True
    )


def settings() -> Settings:
    return Settings.from_env()


def parse_date(text: str | None, option: str) -> date | None:
    """An ISO date from a command-line option, or exit 2 saying what a good one looks like."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} is not a date; write it as YYYY-MM-DD, e.g. {option} 2020-03-09")


def print_json(document: Any) -> None:
    """Write a JSON document to stdout (a result's ``to_dict()``; NaN would be an error)."""
    sys.stdout.write(json.dumps(to_jsonable(document), indent=2, allow_nan=False) + "\n")


def print_result(result: Any) -> None:
    """``--json``: exactly the result's ``to_dict()``."""
    print_json(result.to_dict())
