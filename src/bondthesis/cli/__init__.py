"""The ``bondthesis`` command: parse, call the library, print. No logic of its own.

Each command lives in its own module, listed in :data:`bondthesis.cli._commands.COMMANDS` and
imported only when that command runs (``bondthesis --help`` imports none of them). Errors of
bondthesis become one line on stderr and exit code 2 (bad input, settings) or 1 (a provider or
the store failed); a traceback is a bug.
"""

from __future__ import annotations

import sys

from bondthesis.cli._app import app, console_err, exit_code_for
from bondthesis.errors import BondThesisError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``bondthesis`` script.

    Typer handles its own usage errors (exit 2 with the usage line); errors of bondthesis and
    arguments the library refused become one line on stderr, never a traceback.
    """
    try:
        app()
    except BondThesisError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exit_code_for(exc))
    except (ValueError, TypeError, FileNotFoundError) as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
