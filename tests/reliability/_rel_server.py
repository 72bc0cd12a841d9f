"""A local HTTP server on 127.0.0.1 that misbehaves on request, for the reliability suite.

Each path answers with a scripted :class:`Fault` (or a function of the request): slow drips,
hangs (bounded), huge or gzip-bombed bodies streamed without building them in memory, broken
gzip, truncated bodies, redirect loops, error pages that echo the request (to catch secrets).
Every wait is bounded, so the server always stops by itself.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # before the status line (a hang, bounded)
    drip_s: float = 0.0  # between single bytes of the body
    truncate_to: int | None = None  # announce len(body), send this many bytes, close
    stream_bytes: int = 0  # stream this many zero bytes (chunks of 64 kB) instead of ``body``
    gate: threading.Event | None = None  # wait (<= 10 s) for the test before answering


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


Script = Fault | Callable[[Request], Fault]


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzipped (a few kB on the wire)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


class RelServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Script]] = {}
        self.seen: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                request = Request(parts.path, parse_qs(parts.query), dict(self.headers))
                fault = server.next_fault(request)
                with contextlib.suppress(OSError):  # the client hung up: that is its right
                    self._send(fault)
                self.close_connection = True

            do_POST = do_GET

            def _send(self, fault: Fault) -> None:
                if fault.gate is not None:
                    fault.gate.wait(timeout=10)
                if fault.delay_s:
                    time.sleep(fault.delay_s)
                self.send_response(fault.status)
                for name, value in fault.headers.items():
                    self.send_header(name, value)
                if fault.stream_bytes:
                    self.send_header("Content-Length", str(fault.stream_bytes))
                    self.end_headers()
                    chunk = b"\0" * 65536
                    left = fault.stream_bytes
                    while left > 0:
                        self.wfile.write(chunk[: min(left, len(chunk))])
                        left -= len(chunk)
                    return
                self.send_header("Content-Length", str(len(fault.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                body = fault.body if fault.truncate_to is None else fault.body[: fault.truncate_to]
                if fault.drip_s:
                    for index in range(len(body)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(fault.drip_s)
                else:
                    self.wfile.write(body)
                self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, path: str, *faults: Script) -> None:
        """Answers of ``path`` in turn; the last one repeats."""
        with self._lock:
            self.routes[path] = list(faults)

    def next_fault(self, request: Request) -> Fault:
        with self._lock:
            self.seen.append(request)
            queue = self.routes.get(request.path)
            if not queue:
                return Fault(404, b"not found")
            script = queue.pop(0) if len(queue) > 1 else queue[0]
        return script(request) if callable(script) else script

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(r.path == path for r in self.seen)

    def __enter__(self) -> RelServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def lines(rows: Iterator[str] | list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()
