"""The ``bondthesis`` command: parse, call the library, print. No logic of its own.

Each command lives in its own module, listed in :data:`bondthesis.cli._commands.COMMANDS` and
imported only when that command runs (``bondthesis --help`` imports none of them). Errors of
bondthesis become one line on stderr and exit code 2 (bad input, settings) or 1 (a provider or
the store failed); a traceback is a bug.
"""

from __future__ import annotations

import os
import sys

from bondthesis.cli._app import app, exit_code_for, print_error
from bondthesis.errors import BondThesisError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``bondthesis`` script.

    Typer handles its own usage errors (exit 2 with the usage line); errors of bondthesis and
    arguments the library refused become one line on stderr, never a traceback.
    """
    if sys.argv[1:2] == ["bond"]:
        # One bond: its kernels as plain Python take microseconds, importing numba over a second
        # (same numbers; see bondthesis.bonds._jit). Only here, so no other command is slowed.
        os.environ.setdefault("BONDTHESIS_JIT", "0")
    try:
        app()
    except BondThesisError as exc:
        print_error(str(exc))
        sys.exit(exit_code_for(exc))
    except (ValueError, TypeError, FileNotFoundError) as exc:
        print_error(str(exc))
        sys.exit(2)
