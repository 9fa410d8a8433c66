"""A crawl with the project's own settings (crawler/settings.py), in a process of its own, against a loopback
site: its redirects carry the Referer without a warning (crawler/middlewares/redirect.py) and its garbage
collector runs as crawler/gcpolicy.py sets it. What these unit-test elsewhere, seen end to end."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.paths import ROOT

PAGES = {  # path: (status, Location, body)
    "/start": (200, None, '<a href="/moved">moved</a>'),
    "/moved": (302, "/meta", ""),
    "/meta": (200, None, '<html><head><meta http-equiv="refresh" content="0; url=/final"></head></html>'),
    "/final": (200, None, "<p>done</p>"),
}


class Site(BaseHTTPRequestHandler):
    referers: dict[str, str | None] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        type(self).referers[self.path] = self.headers.get("Referer")
        status, location, body = PAGES.get(self.path, (404, None, ""))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        data = body.encode()
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def crawled() -> Iterator[tuple[str, dict[str, Any], str]]:
    """(base URL, what the crawl printed, its stderr); Site.referers holds what the site was sent."""
    Site.referers = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        done = subprocess.run([sys.executable, "-m", "tests.crawler.project_crawl", base], cwd=ROOT,
                              capture_output=True, text=True, timeout=240, check=False)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr[-3000:]
    yield base, json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_redirects_of_a_project_crawl_carry_the_referer_and_log_no_warning(crawled: tuple[str, Any, str]) -> None:
    base, state, stderr = crawled
    assert Site.referers["/moved"] == f"{base}/start"  # the link's page
    assert Site.referers["/meta"] == f"{base}/moved"  # a 302: what Scrapy's own layers send
    assert Site.referers["/final"] == f"{base}/meta"  # a meta refresh: likewise
    assert [url for url, _ in state["seen"]] == [f"{base}/start", f"{base}/final"]
    assert "Referer" not in stderr and "RefererMiddleware" not in stderr


def test_a_project_crawl_raises_the_young_threshold_and_freezes_its_start_up_objects(
        crawled: tuple[str, Any, str]) -> None:
    _, state, _ = crawled
    assert state["gc_threshold"] > 700  # Python's default young threshold: raised
    assert state["gc_frozen"] > 10_000  # the imported modules and what they hold: never scanned again
