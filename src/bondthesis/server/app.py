"""The FastAPI application: the JSON API, the pages, their scripts, and the error rules.

``create_app(Settings.from_env())`` (what ``bondthesis serve`` runs) or ``create_app(store)``
(tests). Errors map to status codes once, here: a bad argument (``ValueError``/``TypeError``,
or a parameter outside its schema) is 422 with one line that says how to fix it; data not in
the store is 404; a busy store is 503; never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bondthesis.config import Settings
from bondthesis.data.store import Store
from bondthesis.errors import BondThesisError, CacheMiss, ConfigError, StoreError
from bondthesis.server.api import router
from bondthesis.server.documents import ResultCache
from bondthesis.server.pages import router as pages_router
from bondthesis.server.refresh_job import RefreshBusy, RefreshJob

__all__ = ["create_app", "plotly_js_path"]

HERE = Path(__file__).parent

# The pages load nothing but what this app serves: a stray CDN link fails in the browser too.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def plotly_js_path() -> Path:
    """plotly.min.js as installed with the plotly package (never a CDN)."""
    from importlib.util import find_spec

    spec = find_spec("plotly")
    if spec is None or spec.origin is None:
        raise RuntimeError("plotly is not installed; reinstall bondthesis (it depends on plotly)")
    return Path(spec.origin).parent / "package_data" / "plotly.min.js"


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    """One line per bad parameter: where it is, what is wrong, what it got."""
    parts = []
    for error in exc.errors():
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        got = error.get("input")
        shown = "" if got is None or isinstance(got, dict) else f" (got {got!r})"
        parts.append(f"{location or 'request'}: {error.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) + "; see /api-docs for each parameter's range and an example"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(TypeError)
    async def _type(request: Request, exc: TypeError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(RefreshBusy)
    async def _busy(request: Request, exc: RefreshBusy) -> JSONResponse:
        return _error(409, str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # Anything else is a bug in bondthesis: one line, not a traceback, and where to look.
        from bondthesis.errors import redact

        detail = redact(f"{type(exc).__name__}: {exc}")[:300]
        return _error(500, f"bondthesis failed on {request.url.path}: {detail}; please report it")

    @app.exception_handler(BondThesisError)
    async def _library(request: Request, exc: BondThesisError) -> JSONResponse:
        if isinstance(exc, CacheMiss):
            return _error(404, str(exc))
        if isinstance(exc, StoreError):
            return _error(503, str(exc))
        if isinstance(exc, ConfigError):
            return _error(422, str(exc))
        return _error(502, str(exc))


def create_app(
    settings_or_store: Settings | Store, *, allowed_hosts: Sequence[str] | None = None
) -> FastAPI:
    """The app over one store.

    Parameters
    ----------
    settings_or_store : Settings or Store
        ``Settings``: serve its store (and refresh with its keys). ``Store``: serve that store;
        refreshes read their settings from the environment.
    allowed_hosts : sequence of str, optional
        Answer only requests whose ``Host`` is one of these (``bondthesis serve`` passes
        127.0.0.1 and localhost), so that a web page under another name that resolves to
        127.0.0.1 cannot read the app (DNS rebinding). Default: any host.
    """
    if isinstance(settings_or_store, Store):
        store, settings = settings_or_store, Settings.from_env()
    else:
        settings, store = settings_or_store, Store(settings_or_store.store_path)
    app = FastAPI(
        title="bondthesis",
        summary="The long-Treasuries thesis against public data, served on this machine.",
        description=(
            "Each route returns exactly what `bondthesis <command> --json` prints for the same "
            "arguments: decimals (not percents), ISO dates, null for missing."
        ),
        version=_version(),
        # FastAPI's /docs and /redoc load their scripts from a CDN; /api-docs renders the same
        # spec from this app alone.
        docs_url=None,
        redoc_url=None,
    )
    cache = ResultCache()
    app.state.store = store
    app.state.cache = cache
    app.state.refresh_job = RefreshJob(settings, store.path, on_finish=cache.clear)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    _install_error_handlers(app)
    app.include_router(router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="text/javascript")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bondthesis")
    except PackageNotFoundError:
        return "0"
