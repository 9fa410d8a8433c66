"""A webhook receiver on 127.0.0.1 (port 0) that records requests and answers from a script."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Records (path, headers, body); answers with `answers` in order (status, json body), then 200 {}.
    With `hold`, each answer waits until that event is set; `arrived` is set at the first request.
    A request is recorded on the server's own thread: wait_for_requests(n) before counting those a client
    gave up on (it may have timed out before the server even accepted the connection)."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]] | None = None,
                 hold: threading.Event | None = None):
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.answers = list(answers or [])
        self.hold = hold
        self.arrived = threading.Event()
        self._recorded = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._recorded:
                    receiver.requests.append((self.path, dict(self.headers), body))
                    receiver._recorded.notify_all()
                receiver.arrived.set()
                if receiver.hold is not None:
                    receiver.hold.wait()
                status, answer = receiver.answers.pop(0) if receiver.answers else (200, {})
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for_requests(self, count: int, timeout: float = 60.0) -> None:
        """Until `count` requests are recorded; fails after `timeout` s (a bound, not a speed claim)."""
        with self._recorded:
            if not self._recorded.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"the receiver recorded {len(self.requests)} requests, not {count}")

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, _, body in self.requests]
