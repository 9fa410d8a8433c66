"""Screenshots of compromised and browser-rendered pages, rendered offline from the stored snapshot."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from core.models import Finding
from index.sqlite import SqliteBackend
from ops.evidence.browser import chromium_path
from ops.evidence.screenshots import decode, screenshot_targets, take_screenshots
from ops.evidence.store import EvidenceStore

pytestmark = pytest.mark.browser
T0 = datetime(2026, 11, 23, 9)
PAGE = "http://gov.test/gov/yz/news/1.html"
SPAM = ("<html><body><h1>政务公开</h1><div style='position:absolute;left:-9999px'>"
        "<a href='http://casino.example/'>博彩</a><img src='http://casino.example/x.png'></div></body></html>")


def test_compromised_and_rendered_pages_get_one_png_each(store: SqliteBackend, tmp_path: Path) -> None:
    if not os.access(chromium_path(), os.X_OK):
        pytest.skip(f"no chromium at {chromium_path()}")
    evidence = EvidenceStore(tmp_path / "evidence")
    evidence.put(PAGE, SPAM.encode("gb18030"), T0, content_type="text/html; charset=gb18030")
    evidence.put("http://douyin.test/user/abc", "<html><p>渲染后的主页</p></html>".encode(), T0,
                 subject="douyin:abc", rendered=True, content_type="text/html")
    evidence.put("http://gov.test/plain.html", b"<html>plain</html>", T0)  # neither: no screenshot
    store.save_findings([Finding("spam_injection", "veto", "page", PAGE, "page.spam_injection", "t")],
                        rule_ids=["page.spam_injection"], as_of=T0)
    targets = screenshot_targets(store, evidence)
    assert sorted(t.url for t in targets) == ["http://douyin.test/user/abc", PAGE]
    assert take_screenshots(evidence, targets, T0) == 2
    [shot] = evidence.find(url=PAGE, kind="screenshot")
    png = evidence.read(shot.sha256)
    assert png is not None and png.startswith(b"\x89PNG") and shot.content_type == "image/png"
    assert evidence.find(subject="douyin:abc", kind="screenshot")
    assert screenshot_targets(store, evidence) == []  # taken once, not again on the next run
    evidence.close()


def test_decode_uses_the_declared_charset_then_utf8_then_gb18030() -> None:
    assert decode("政务".encode("gb18030"), "text/html; charset=gbk") == "政务"
    assert decode("政务".encode(), "") == "政务"
    assert decode("政务".encode("gb18030"), "text/html") == "政务"
