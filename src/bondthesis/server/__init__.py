"""The local web app and JSON API (``bondthesis serve``): only parsing, library calls, rendering.

``create_app(settings_or_store)`` builds the FastAPI application; importing this package is
cheap (FastAPI loads when the app is built).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bondthesis.server.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from bondthesis.server.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
