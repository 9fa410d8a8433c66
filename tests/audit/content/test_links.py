"""Broken services: status classification, findings grouped by page, the link checker on the sample web."""

from __future__ import annotations

import asyncio
import socket
from datetime import datetime

import pytest

from audit.content.links import SOFT_404, UNREACHABLE, broken_service_findings, classify
from core.models import Link, Page
from crawler.linkcheck import LinkCheckConfig, check_urls, is_soft_404, run_linkcheck
from sampleweb.server import SampleWeb
from sampleweb.world import generate

AS_OF = datetime(2026, 11, 23, 10, 0)


@pytest.mark.parametrize(
    ("status", "verdict"),
    [(None, "unchecked"), (200, "ok"), (301, "ok"), (403, "unverified"), (429, "unverified"), (418, "unverified"),
     (404, "broken"), (500, "broken"), (SOFT_404, "broken"), (UNREACHABLE, "broken")],
)
def test_status_classification_treats_403_and_429_as_unverified(status, verdict):
    assert classify(status) == verdict


def test_findings_are_grouped_by_page_and_list_unverified_links_beside_broken_ones():
    links = [
        ("http://a.gov.cn/", Link("http://a.gov.cn/gjj", "公积金查询", 404)),
        ("http://a.gov.cn/", Link("http://a.gov.cn/bdc", "不动产登记预约", SOFT_404)),
        ("http://a.gov.cn/", Link("http://a.gov.cn/12345", "12345在线", 403)),
        ("http://a.gov.cn/", Link("http://a.gov.cn/sb", "社保查询", 200)),
        ("http://b.gov.cn/", Link("http://b.gov.cn/x", "只是被拒绝", 429)),
    ]
    findings = broken_service_findings(links, AS_OF, "test")
    assert [f.subject_key for f in findings] == ["http://a.gov.cn/"]
    evidence = findings[0].evidence
    assert [b["text"] for b in evidence["broken"]] == ["公积金查询", "不动产登记预约"]
    assert evidence["broken"][1]["reason"].startswith("soft 404")
    assert [u["text"] for u in evidence["unverified"]] == ["12345在线"]
    assert findings[0].kind == "broken_service" and findings[0].severity == "deduction"
    assert (evidence["url"], evidence["page"], evidence["as_of"]) == ("http://a.gov.cn/", "http://a.gov.cn/", str(AS_OF))


def test_soft_404_is_recognised_by_title_or_short_body_not_by_a_long_article():
    assert is_soft_404("<html><head><title>页面不存在</title></head><body></body></html>")
    assert is_soft_404("<html><body><div>您访问的页面不存在或已被删除。</div></body></html>")
    article = "<html><head><title>通知</title></head><body>" + "热线电话0746-404" + "正文内容。" * 200 + "</body></html>"
    assert not is_soft_404(article)


@pytest.fixture(scope="module")
def web():
    world = generate(seed=7, accounts=10, posts=5, now=AS_OF)
    with SampleWeb(world) as server:
        yield server


def test_link_checker_on_sample_web_service_links(web):
    base = f"{web.base_url}/gov/yz/links"
    with socket.socket() as closed:  # bound, never listening: refused while held (a freed port could be taken)
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/x"
        urls = [f"{base}/ok", f"{base}/broken", f"{base}/soft404", f"{base}/forbidden", dead, "mailto:a@b.cn"]
        statuses = asyncio.run(check_urls(urls, LinkCheckConfig(timeout=5, concurrency=2)))
    assert statuses == {f"{base}/ok": 200, f"{base}/broken": 404, f"{base}/soft404": SOFT_404,
                        f"{base}/forbidden": 403, dead: UNREACHABLE}


def test_run_linkcheck_records_statuses_that_become_one_finding_per_page(web, store):
    page_url = f"{web.base_url}/gov/yz/index.html"
    links = [Link(f"{web.base_url}/gov/yz/links/{k}", k) for k in ("ok", "broken", "soft404", "forbidden")]
    store.upsert_pages([Page(url=page_url, site="yz", title="首页", text="首页", links=links)])
    run_linkcheck(store, LinkCheckConfig(timeout=5))
    findings = broken_service_findings(store.iter_links(), AS_OF, "test")
    assert len(findings) == 1
    assert sorted(b["text"] for b in findings[0].evidence["broken"]) == ["broken", "soft404"]
    assert [u["text"] for u in findings[0].evidence["unverified"]] == ["forbidden"]
