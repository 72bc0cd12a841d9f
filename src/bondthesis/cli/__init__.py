"""The ``bondthesis`` command: parse, call the library, print. No logic of its own.

Each command group lives in its own module and registers itself on :data:`app` when imported
below. Errors of bondthesis become one line on stderr and exit code 2 (bad input, settings) or 1
(a provider or the store failed); a traceback is a bug.
"""

from __future__ import annotations

import sys

from bondthesis.cli._app import app, console_err, exit_code_for
from bondthesis.errors import BondThesisError

# Command modules register themselves on `app` as a side effect of import.
from bondthesis.cli import data as _data  # noqa: F401  # isort: skip
from bondthesis.cli import bonds as _bonds  # noqa: F401  # isort: skip
from bondthesis.cli import funds as _funds  # noqa: F401  # isort: skip
from bondthesis.cli import scenario as _scenario  # noqa: F401  # isort: skip
from bondthesis.cli import pillars as _pillars  # noqa: F401  # isort: skip
from bondthesis.cli import research as _research  # noqa: F401  # isort: skip
from bondthesis.cli import montecarlo as _montecarlo  # noqa: F401  # isort: skip
from bondthesis.cli import watch as _watch  # noqa: F401  # isort: skip

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
