"""The page in headless Chromium (Debian's, through Playwright): log in, search, page, filter by date,
open an account page with its evidence and chart, export XLSX and read it back. Screenshots go to
tmp/artefacts/ (gitignored) as test artefacts.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from openpyxl import load_workbook

from core.models import Account, Finding, Post, RegistryEntry
from index.sqlite import SqliteBackend
from ops.evidence.browser import chromium, chromium_path
from search_api.app import app

ARTEFACTS = Path(__file__).resolve().parents[2] / "tmp" / "artefacts"
pytestmark = pytest.mark.browser


@pytest.fixture
def server(api_env: Path, keys: dict[str, str]) -> Iterator[str]:
    """The API on a free loopback port over a store of 45 医保 posts of one account."""
    if not os.access(chromium_path(), os.X_OK):
        pytest.skip(f"no chromium at {chromium_path()}")
    store = SqliteBackend(api_env / "api.db")
    store.setup()
    store.upsert_registry([RegistryEntry("永州医保", "weibo", "77", owner="永州市医疗保障局", registry_no="YZ-077")])
    store.upsert_accounts([Account("weibo", "77", "永州医保", url="https://weibo.example/77")])
    start = datetime(2026, 9, 1, 9)
    store.upsert_posts([Post("weibo", "77", f"p{n}", url=f"https://weibo.example/77/{n}", text=f"医保缴费第{n}期提醒",
                             published_at=start + timedelta(days=2 * n)) for n in range(45)])
    store.save_findings([Finding("dormant", "veto", "account", "weibo:77", "account.dormant", "t",
                                 {"last_post_at": "2026-10-29 09:00", "days_silent": 33})],
                        rule_ids=["account.dormant"], as_of=datetime(2026, 12, 1))
    store.close()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # a bound for a server that never starts, not a speed claim
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=60)
    assert not thread.is_alive(), "uvicorn did not stop"


def test_an_investigator_works_through_the_page(server: str, keys: dict[str, str]) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with chromium() as browser:
        page = browser.new_page(accept_downloads=True)
        page.goto(f"{server}/?q=医保")
        assert "/login" in page.url
        page.fill("input[name=key]", keys["investigator"])
        page.click("form.login button")
        page.wait_for_selector("#summary")
        assert "q=%E5%8C%BB%E4%BF%9D" in page.url and "共 45 条" in page.inner_text("#summary")
        assert page.locator(".hit mark").count() >= 20
        page.screenshot(path=str(ARTEFACTS / "search.png"), full_page=True)

        page.click("#next")
        page.wait_for_selector("#summary")
        assert "cursor=" in page.url and page.locator(".hit").count() == 20
        page.go_back()
        assert "cursor=" not in page.url

        page.fill("input[name=since]", "2026-10-01")
        page.fill("input[name=until]", "2026-10-10")
        page.click("form.search button")
        page.wait_for_selector("#summary")
        assert "since=2026-10-01" in page.url and "共 5 条" in page.inner_text("#summary")  # Oct 1, 3, 5, 7, 9

        with page.expect_download() as download_info:
            page.click("#export-xlsx")
        sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
        rows = list(sheet.values)
        assert rows[0][0] == "查询 query" and "since=2026-10-01" in rows[0][1] and len(rows) == 2 + 5

        page.click(".hit .meta a")
        page.wait_for_selector("#timeline svg")
        assert page.locator("#timeline svg rect").count() == 26
        assert "休眠 dormant" in page.inner_text(".evidence") and "YZ-077" in page.inner_text("#facts")
        page.screenshot(path=str(ARTEFACTS / "account.png"), full_page=True)

        page.click("nav a[href='/ui/findings']")
        page.wait_for_selector("#summary")
        assert "共 1 条问题" in page.inner_text("#summary") and "单项否决 veto" in page.inner_text(".evidence")
        page.screenshot(path=str(ARTEFACTS / "findings.png"), full_page=True)
    print(f"\nbrowser test: {time.monotonic() - started:.1f} s")


def test_swagger_ui_works_offline_under_the_csp(server: str, keys: dict[str, str]) -> None:
    """/docs renders every operation from this server's files alone: no other host asked, no CSP refusal."""
    host = server.split("//")[1]
    elsewhere: list[str] = []
    refused: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        context.add_cookies([{"name": "govwatch_key", "value": keys["viewer"], "url": server}])
        context.route("**/*", lambda route: route.continue_() if route.request.url.split("/")[2] == host
                      else (elsewhere.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(f"{server}/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.locator(".opblock").count() >= 13 and "govwatch" in page.inner_text(".info")
        page.screenshot(path=str(ARTEFACTS / "docs.png"), full_page=False)
    assert elsewhere == [] and refused == []
