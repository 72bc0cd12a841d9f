"""A JSON webhook receiver on 127.0.0.1 (a thread), and a store of the snapshot cut at a date."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.store import Store
from bondthesis.sources.snapshot import read_snapshot

# The earlier cut: the store as it would have been at the end of 2025.
CUT = date(2025, 12, 31)


@dataclass
class Receiver:
    """A JSON webhook that records what it is sent and answers with ``status``."""

    port: int
    status: int = 200
    messages: list[dict[str, str]] = field(default_factory=list)
    attempts: int = 0

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def lines(self) -> list[str]:
        """Every line of every accepted message body."""
        return [line for m in self.messages for line in m["message"].splitlines()]


@contextmanager
def serve() -> Iterator[Receiver]:
    """Run a receiver in a thread for the block."""
    state = Receiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.attempts += 1
            if state.status < 300:
                state.messages.append(json.loads(body))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write_cut_store(store: Store, folder: Path, cut: date) -> None:
    """The snapshot's series and tables, keeping only rows dated on or before ``cut``."""
    content = read_snapshot(folder)
    limit = pd.Timestamp(cut)
    with store.batch():
        for key, (rows, source) in content.series.items():
            kept = rows[pd.to_datetime(rows["date"]) <= limit]
            if len(kept):
                store.write_series(get_spec(key), kept, served_by=f"snapshot:{source}")
        if content.auctions is not None:
            auctions = content.auctions
            known = pd.to_datetime(auctions["auction_date"].fillna(auctions["issue_date"]))
            store.write_table("auctions", auctions[(known <= limit).to_numpy()])
        if content.holdings_13f is not None:
            holdings = content.holdings_13f
            known = pd.to_datetime(holdings["filing_date"].fillna(holdings["period_end"]))
            store.write_table("holdings_13f", holdings[(known <= limit).to_numpy()])
