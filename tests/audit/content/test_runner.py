"""The content audit stores typo, wording-error, spam and broken-service findings per page, and resolves fixed ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from audit.content.runner import RULE_IDS, run_content_audit
from core.config import Settings, Sources
from core.models import Link, Page, RegistryEntry

AS_OF = datetime(2026, 11, 23, 10, 0)
SETTINGS = replace(Settings(), sources=Sources(gov_sites=("http://www.yz.gov.cn/",)))


def _pages(typo_text: str) -> list[Page]:
    spam_html = ('<html><head><title>通知</title></head><body><p>正文</p>'
                 '<div style="display:none"><a href="http://x.example/">百家乐</a> 澳门葡京</div></body></html>')
    return [
        Page(url="http://www.yz.gov.cn/a.html", title="会议", text=typo_text, published_at=AS_OF),
        Page(url="http://www.yz.gov.cn/b.html", title="通知", text="正文", html=spam_html, published_at=AS_OF,
             links=[Link("http://www.yz.gov.cn/gone", "公积金查询", 404)]),
    ]


def test_findings_per_page_and_kind_with_rule_ids(store):
    store.upsert_registry([RegistryEntry(name="潞州发布", platform="weibo", owner="潞州区人民政府")])
    store.upsert_pages(_pages("会议要求想法设法推进工作。李强总书记出席。潞州推进城市更新。"))
    summary = run_content_audit(store, SETTINGS, AS_OF)
    assert dict(summary.by_kind) == {"typo": 1, "wording_error": 1, "spam_injection": 1, "broken_service": 1}
    typo = store.list_findings(kind="typo")[0]
    assert typo.rule_id in RULE_IDS and typo.subject_key == "http://www.yz.gov.cn/a.html"
    assert [t["text"] for t in typo.evidence["typos"]] == ["想法设法"]  # 潞州 is a known place
    spam = store.list_findings(kind="spam_injection")[0]
    assert spam.severity == "veto" and spam.evidence["evidence"][0]["kind"] == "hidden_display_none"


def test_rerun_after_the_page_is_fixed_resolves_the_finding(store):
    store.upsert_pages(_pages("会议要求想法设法推进工作。"))
    run_content_audit(store, SETTINGS, AS_OF)
    store.upsert_pages([Page(url="http://www.yz.gov.cn/a.html", title="会议", text="会议要求想方设法推进工作。")])
    summary = run_content_audit(store, SETTINGS, AS_OF)
    assert summary.delta.resolved == 1
    assert store.list_findings(kind="typo") == []
