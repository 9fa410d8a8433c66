"""Against the sample web's ground truth: every compromised page flagged with evidence, no clean page flagged."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from audit.content.spam import SpamInspector, cloaking
from audit.content.textmap import decode
from crawler.linkcheck import SPIDER_UA
from sampleweb.server import SampleWeb
from sampleweb.world import generate


@pytest.fixture(scope="module")
def truth_and_pages():
    world = generate(seed=7, accounts=10, posts=5, now=datetime(2026, 11, 23, 10, 0))
    with SampleWeb(world) as web, httpx.Client(timeout=10) as client:
        truth = client.get(f"{web.base_url}/ground_truth.json").json()
        sources = client.get(f"{web.base_url}/sources.json").json()
        pages = []
        for item in truth["pages"]:
            browser = decode(client.get(item["url"]).content)[0]
            spider = decode(client.get(item["url"], headers={"User-Agent": SPIDER_UA}).content)[0]
            pages.append((item, browser, spider))
    return sources, pages


def _inspect(sources, item, browser, spider):
    report = SpamInspector(sources["gov_sites"]).inspect(browser, item["url"])
    evidence = list(report.evidence)
    found = cloaking(browser, spider, item["url"])
    if found is not None:
        evidence.append(found)
    return evidence


def test_every_compromised_page_is_flagged_with_evidence_of_its_kind(truth_and_pages):
    sources, pages = truth_and_pages
    compromised = [p for p in pages if p[0]["compromised"]]
    assert len({k for p in compromised for k in p[0]["kinds"]}) >= 9  # every kind the sample web plants
    for item, browser, spider in compromised:
        evidence = _inspect(sources, item, browser, spider)
        kinds = {e.kind for e in evidence}
        assert set(item["kinds"]) & kinds or ("title_injection" in item["kinds"] and kinds), (item, kinds)
        assert all(e.text for e in evidence)


def test_no_clean_page_is_flagged(truth_and_pages):
    sources, pages = truth_and_pages
    flagged = [(item["url"], [e.kind for e in _inspect(sources, item, browser, spider)])
               for item, browser, spider in pages if not item["compromised"]]
    assert [f for f in flagged if f[1]] == []
    assert len(flagged) > 20
