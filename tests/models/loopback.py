"""A loopback HTTP server for tests of model clients: scripted answers per path, every request
recorded (method, path, headers, decoded JSON body).

Stdlib only (`http.server.ThreadingHTTPServer`), bound to 127.0.0.1 on an ephemeral port, served
from a daemon thread, and bounded: a use is a `with Loopback() as server:` block, idle
connections time out, a delayed answer wakes up as soon as the server stops, and leaving the
block stops it. Usage:

    with Loopback() as server:
        server.script("/v1/chat/completions", Reply(429), Reply(body={...}))
        ...  # a client pointed at server.url
        assert len(server.requests) == 2

A path's replies are given in order and the last one repeats; a reply may also be a function
of the request (to answer with what was asked for). Unscripted paths get a 404.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One scripted answer: status, body (dict or list: JSON; str or bytes: sent as is),
    a delay before answering, extra headers."""

    status: int = 200
    body: Any = None
    delay_s: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()

    def payload(self) -> tuple[bytes, str]:
        """The body's bytes and content type."""
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), "text/plain"
        if self.body is None and self.status >= 400:
            return json.dumps({"error": {"message": f"scripted {self.status}"}}).encode(), \
                "application/json"
        return json.dumps(self.body).encode("utf-8"), "application/json"


@dataclass(frozen=True)
class Request:
    """One request as the server saw it; header names are lower-case."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


Script = Reply | Callable[[Request], Reply]


@dataclass
class Loopback:
    """The server; see the module docstring."""

    request_timeout_s: float = 5.0
    requests: list[Request] = field(default_factory=list)
    _scripts: dict[str, list[Script]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, no trailing slash."""
        assert self._server is not None, "the server is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, path: str, *replies: Script) -> None:
        """Answer requests to `path` with these replies in order, the last one repeating."""
        with self._lock:
            self._scripts[path] = list(replies)

    def to(self, path: str) -> list[Request]:
        """The requests sent to a path."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def answer(self, request: Request) -> Reply:
        """Record the request and pick its reply."""
        with self._lock:
            self.requests.append(request)
            queue = self._scripts.get(request.path)
            if not queue:
                return Reply(404, {"error": {"message": f"no script for {request.path}"}})
            script = queue.pop(0) if len(queue) > 1 else queue[0]
        return script(request) if callable(script) else script

    def __enter__(self) -> Loopback:
        self._stop.clear()
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def _handler(loopback: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = loopback.request_timeout_s

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's naming)
            self._serve()

        def do_POST(self) -> None:  # noqa: N802
            self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            parts = urlsplit(self.path)
            request = Request(self.command, parts.path, parse_qs(parts.query),
                              {k.lower(): v for k, v in self.headers.items()}, body)
            reply = loopback.answer(request)
            if reply.delay_s and loopback._stop.wait(reply.delay_s):
                self.close_connection = True
                return
            payload, content_type = reply.payload()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler
