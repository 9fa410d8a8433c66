"""The sample web's HTTP server: ThreadingHTTPServer on 127.0.0.1 (port 0) in a daemon thread."""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sampleweb import feeds, gov, platforms, wechat, weibo
from sampleweb.hostile import RateLimiter
from sampleweb.registry import registry_csv, registry_xlsx
from sampleweb.routing import Request, Response, json_response, not_found, text_response
from sampleweb.world import World

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROUTERS = (gov.route, wechat.route, weibo.route, platforms.route, feeds.route)


def sources(world: World, base_url: str) -> dict[str, Any]:
    """Spider start points shaped like core.config.Sources, with absolute URLs."""
    return {
        "gov_sites": [f"{base_url}/gov/{site}/index.html" for site in world.articles],
        "wechat_list_urls": [wechat.list_url(base_url, a) for a in world.on_platform("wechat")],
        "weibo_api": f"{base_url}/weibo",
        "weibo_uids": [a.account_id for a in world.on_platform("weibo")],
        "douyin_profiles": [platforms.douyin_url(base_url, a) for a in world.on_platform("douyin")],
        "bilibili_api": f"{base_url}/bilibili",
        "bilibili_uids": [a.account_id for a in world.on_platform("bilibili")],
        "feeds": [feeds.feed_url(base_url, a, ("xml", "atom", "json")[i % 3])
                  for i, a in enumerate(a for a in world.accounts if a.platform in feeds.FEED_ONLY)],
        "search_api": f"{base_url}/weibo/api/search",
        "search_keywords": ["永州", "无锡"],
    }


def dispatch(world: World, req: Request, limiter: RateLimiter | None = None) -> Response:
    """The response for any path: rate limit, the world's files, then each site family's routes."""
    if limiter is not None and world.rate_limit and (limited := limiter.check(req)):
        return limited
    if req.path == "/ground_truth.json":
        return json_response(world.ground_truth(req.base_url))
    if req.path == "/sources.json":
        return json_response(sources(world, req.base_url))
    if req.path == "/registry.csv":
        return text_response(registry_csv(world), "text/csv")
    if req.path == "/registry_gb18030.csv":
        return text_response(registry_csv(world), "text/csv", "gb18030")
    if req.path == "/registry.xlsx":
        return Response(200, XLSX, registry_xlsx(world))
    for router in ROUTERS:
        found = router(world, req)
        if found is not None:
            return found
    return not_found()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 (link checkers ask HEAD first)
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        parts = urlsplit(self.path)
        req = Request(parts.path, dict(parse_qsl(parts.query)), {k.lower(): v for k, v in self.headers.items()},
                      self.client_address[0], self.server.base_url)
        try:
            resp = dispatch(self.server.world, req, self.server.limiter)
        except Exception:  # a bug in a route must not kill the server thread
            log.exception("sample web: error serving %s", self.path)
            resp = Response(500, "text/plain; charset=utf-8", b"internal error")
        if resp.delay:
            time.sleep(resp.delay)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(resp.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sample web: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, world: World):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.world = world
        self.limiter = RateLimiter(world.rate_limit_per_second)
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"


class SampleWeb:
    """Serves a World on 127.0.0.1 at a free port while the context is open.

    `base_url` is known once entered; leaving the context shuts the server down
    and joins its thread.
    """

    def __init__(self, world: World):
        self.world = world
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SampleWeb is not running; use it as a context manager or call start()")
        return self._server.base_url

    def start(self) -> SampleWeb:
        """Bind a free port and serve in a daemon thread."""
        self._server = _Server(self.world)
        self._thread = threading.Thread(target=self._server.serve_forever, name="sampleweb", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SampleWeb:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
