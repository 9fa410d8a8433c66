"""A tiny hostile HTTP server for middleware tests: rate limits with Retry-After and a login wall.

The sample web grows the same behaviours (CONTRACT.md "Hostile behaviour");
this one is small and exact so tests can count retries.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WALL = "<html><head><title>微博-出错了</title></head><body><p>登录后查看更多内容</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        parts = urlsplit(self.path)
        uid = parse_qs(parts.query).get("value", [""])[0]
        with self.server.lock:
            self.server.hits[uid] = self.server.hits.get(uid, 0) + 1
            hits = self.server.hits[uid]
        if uid == "999":
            self._send(200, "text/html; charset=utf-8", WALL.encode())
        elif uid == "418" and hits <= 2:  # the first two requests are rate-limited
            self._send(418, "text/plain", b"slow down", {"Retry-After": "1"})
        elif uid == "429" and hits <= 1:
            self._send(429, "text/plain", b"too many", {"Retry-After": "0"})
        else:
            body = {"ok": 1, "data": {"userInfo": {"id": int(uid or 1), "screen_name": f"用户{uid}"}}}
            self._send(200, "application/json", json.dumps(body).encode())

    def _send(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server signature)
        pass


class HostileServer(ThreadingHTTPServer):
    """Serves on 127.0.0.1, port 0; `hits` counts requests per uid."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
