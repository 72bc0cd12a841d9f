"""``bondthesis serve``: the web app and JSON API on this machine (uvicorn)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from bondthesis.config import Settings

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    port: Annotated[int, typer.Option("--port", help="TCP port to listen on.")] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to bind; 127.0.0.1 keeps the app on this machine only."
        ),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the app in the default browser.")
    ] = False,
) -> None:
    """Serve the pages (report, scenario explorer, Monte Carlo, backtest) and the JSON API."""
    if not 1 <= port <= 65535:
        typer.echo(
            f"error: --port must be between 1 and 65535, got {port}; e.g. --port 8000", err=True
        )
        raise typer.Exit(2)
    if not _is_loopback(host):
        typer.echo(
            f"warning: --host {host} makes the app reachable from other machines; it has no "
            "login and can start refreshes. Use 127.0.0.1 unless you mean it.",
            err=True,
        )
    import uvicorn

    from bondthesis.server import create_app

    config = Settings.from_env()
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    typer.echo(f"bondthesis on {url} (store {config.store_path}); Ctrl-C stops it")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # On a loopback address, answer only to the loopback names (no DNS rebinding); on another
    # address the reader chose to be reachable under whatever name the network gives it.
    allowed = ["127.0.0.1", "localhost", "::1", "[::1]", host] if _is_loopback(host) else None
    uvicorn.run(
        create_app(config, allowed_hosts=allowed), host=host, port=port, log_level="warning"
    )
