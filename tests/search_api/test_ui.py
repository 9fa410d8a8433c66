"""The server-rendered page: search state in the URL, highlights, safe links, evidence, chart, Chinese labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

Clients = Callable[[str | None], TestClient]


def test_posts_page_shows_highlights_accounts_facets_and_exports(filled: Path, client_for: Clients) -> None:
    html = client_for("investigator").get("/", params={"q": "医保", "until": "2026-11-20"}).text
    assert "<mark>医保</mark>" in html and 'href="/ui/accounts/wechat/gh_1"' in html and "永州市人社局" in html
    assert "微信公众号 wechat (2)" in html and "休眠 dormant" in html
    assert 'href="/posts?q=%E5%8C%BB%E4%BF%9D&amp;until=2026-11-20&amp;format=xlsx"' in html
    viewer_html = client_for("viewer").get("/", params={"q": "医保"}).text
    assert "format=xlsx" not in viewer_html  # exports are for investigators


def test_a_bad_query_is_shown_on_the_page(filled: Path, client_for: Clients) -> None:
    response = client_for("viewer").get("/", params={"q": "！！！", "since": "2026-02-30"})
    assert response.status_code == 200 and 'class="error"' in response.text


def test_account_page_has_evidence_chart_and_no_javascript_links(filled: Path, client_for: Clients) -> None:
    html = client_for("investigator").get("/ui/accounts/wechat/gh_1").text
    assert "<svg" in html and "<rect" in html and "YZ-001" in html and "last_post" in html
    assert "javascript:" not in html.split("<main>")[1].replace("javascript:alert(1)", "")  # shown only as text
    assert 'href="javascript' not in html and "https://yz.gov.cn/m.html" in html
    assert client_for("viewer").get("/ui/accounts/wechat/none").status_code == 404


def test_findings_view_highlights_spam_and_lists_broken_links(filled: Path, client_for: Clients) -> None:
    html = client_for("investigator").get("/ui/findings", params={"subject": "page"}).text
    assert '<mark class="spam">澳门赌场</mark>' in html and "&lt;script&gt;" in html and "<script>" not in html
    assert "服务功能无法使用 broken_service" in html and "<td>404</td>" in html
    assert client_for("viewer").get("/ui/findings").status_code == 403


def test_impersonation_checker_gives_reasons_in_chinese_and_english(filled: Path, client_for: Clients) -> None:
    html = client_for("investigator").get("/ui/impersonation", params={"name": "永洲人社", "platform": "wechat"}).text
    assert "疑似冒用 impersonation" in html and "同音字" in html and "homophone characters" in html
    data = client_for("investigator").get("/impersonation", params={"name": "永洲人社", "platform": "wechat"}).json()
    assert data["candidates"][0]["reasons_zh"][0].startswith("同音字")


def test_accounts_page_filters_in_the_url(filled: Path, client_for: Clients) -> None:
    html = client_for("viewer").get("/ui/accounts", params={"registered": "no"}).text
    assert "永洲人社" in html and ">永州人社<" not in html and "共 1 个账号" in html
