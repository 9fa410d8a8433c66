"""A small misbehaving HTTP server on 127.0.0.1 in front of the sample web, for fault-injection tests.

Each request whose path matches a rule gets that rule's fault; the others are
passed through to the sample web (with its address rewritten to this one):

- `500`: an Internal Server Error page;
- `hang`: the connection stays open and silent until the server stops;
- `reset`: the connection is closed with a TCP reset;
- `truncated`: a Content-Length for the whole body, half of it, then close;
- `garbage`: 200 with a well-formed answer of the wrong shape (JSON without the data a parser wants,
  an HTML page saying 系统维护中, an XML document that is no feed);
- `empty`: 200 with a well-formed, empty Weibo post list.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GARBAGE_JSON = b'{"ok": 1, "code": 0, "ret": 0, "data": {"notice": "\xe7\xb3\xbb\xe7\xbb\x9f\xe7\xbb\xb4\xe6\x8a\xa4"}}'
GARBAGE_HTML = "<html><head><title>系统维护中</title></head><body><p>系统维护中，请稍后再试。</p></body></html>"
EMPTY_WEIBO_LIST = b'{"ok": 1, "data": {"cardlistInfo": {}, "cards": []}}'


class FaultyWeb:
    """Serves the sample web at `upstream` through faults chosen by path rules (first match wins)."""

    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.rules: list[tuple[re.Pattern[str], str]] = []
        self.stopping = threading.Event()
        self.counts: dict[str, int] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.faulty = self  # type: ignore[attr-defined]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def set_rules(self, rules: list[tuple[str, str]]) -> None:
        """[(path regex, fault)]; an empty list passes everything through."""
        self.rules = [(re.compile(pattern), fault) for pattern, fault in rules]

    def fault_for(self, path: str) -> str:
        fault = next((f for pattern, f in self.rules if pattern.search(path)), "pass")
        self.counts[fault] = self.counts.get(fault, 0) + 1
        return fault

    def __enter__(self) -> FaultyWeb:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802  # http.server's naming
        faulty: FaultyWeb = self.server.faulty  # type: ignore[attr-defined]
        fault = faulty.fault_for(self.path)
        if fault == "hang":
            faulty.stopping.wait(30)
            self.close_connection = True
            return
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if fault == "500":
            self._send(500, "text/html; charset=utf-8", b"<html><body>Internal Server Error</body></html>")
            return
        status, ctype, body = self._upstream(faulty)
        if fault == "garbage":
            status, body = 200, self._garbage(ctype)
        elif fault == "empty":
            status, ctype, body = 200, "application/json", EMPTY_WEIBO_LIST
        self._send(status, ctype, body, truncate=fault == "truncated")

    def _upstream(self, faulty: FaultyWeb) -> tuple[int, str, bytes]:
        request = urllib.request.Request(faulty.upstream + self.path, headers={"User-Agent": self.headers["User-Agent"] or ""})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, ctype, body = answer.status, answer.headers.get("Content-Type", ""), answer.read()
        except urllib.error.HTTPError as exc:
            status, ctype, body = exc.code, exc.headers.get("Content-Type", ""), exc.read()
        return status, ctype, body.replace(faulty.upstream.encode(), faulty.base_url.encode())

    @staticmethod
    def _garbage(ctype: str) -> bytes:
        if "json" in ctype:
            return GARBAGE_JSON
        if "xml" in ctype or "rss" in ctype or "atom" in ctype:
            return b'<?xml version="1.0"?><status><maintenance>true</maintenance></status>'
        return GARBAGE_HTML.encode("utf-8")

    def _send(self, status: int, ctype: str, body: bytes, truncate: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        if truncate:
            self.close_connection = True
