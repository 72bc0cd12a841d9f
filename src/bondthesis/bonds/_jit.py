"""One place that decides how bondthesis compiles its numba kernels.

Caching compiled machine code (``cache=True``) saves about a second per kernel on every start,
but numba refuses it when neither the package folder nor a user cache folder is writable (a
read-only install, some containers). Then the kernels are compiled on first use instead of
failing at import. ``BONDTHESIS_NUMBA_CACHE=0`` turns caching off on purpose.

``BONDTHESIS_JIT=0`` runs the same kernels as plain Python and never imports numba: the choice
of a process that prices a handful of bonds (``bondthesis bond`` sets it before the bond modules
load), where importing numba and loading the compiled kernels costs over a second and the
arithmetic a few microseconds. It is read once, when this module is first imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

_CACHE_WANTED = os.environ.get("BONDTHESIS_NUMBA_CACHE", "1") != "0"
JIT_ENABLED = os.environ.get("BONDTHESIS_JIT", "1") != "0"

if JIT_ENABLED:
    import numba

    prange: Callable[..., Any] = numba.prange
else:
    prange = range


def jit(*, parallel: bool = False) -> Callable[[F], F]:
    """``numba.njit(fastmath=False)``, cached on disk when a writable cache folder exists.

    With ``BONDTHESIS_JIT=0`` the function is returned as it is (plain Python).

    Parameters
    ----------
    parallel : bool, default False
        Compile ``prange`` loops to run on all cores.
    """

    def decorate(function: F) -> F:
        if not JIT_ENABLED:
            return function
        if _CACHE_WANTED:
            try:
                return cast(F, numba.njit(cache=True, parallel=parallel, nogil=True)(function))
            except RuntimeError:  # "no locator available": nowhere writable to cache
                pass
        return cast(F, numba.njit(cache=False, parallel=parallel, nogil=True)(function))

    return decorate
