"""Injected-spam inspector: hiding variants, title/link/script injection, clones, plain text, low false alarms."""

from __future__ import annotations

import pytest

from audit.content.spam import SpamInspector, cloaking
from audit.content.textmap import decode
from tests.paths import FIXTURES

CONTENT = FIXTURES / "content"
SPAM = '<a href="http://www.88pj-bet.example/">澳门葡京</a> <a href="http://amjs-casino.example/">百家乐</a> 真人视讯'
ARTICLE = "<p>11月20日，市政府召开常务会议，研究部署冬季安全生产工作。</p>"


def page(body: str, head: str = "<title>关于做好冬季安全生产工作的通知_永州市人民政府</title>") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{ARTICLE}{body}</body></html>"


@pytest.fixture
def inspector() -> SpamInspector:
    return SpamInspector(sites=["http://www.yz.gov.cn/"])


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        (f'<div style="display:none">{SPAM}</div>', "hidden_display_none"),
        (f'<div style="DISPLAY: none;">{SPAM}</div>', "hidden_display_none"),
        (f"<div hidden>{SPAM}</div>", "hidden_display_none"),
        (f'<div style="visibility:hidden;height:0;overflow:hidden">{SPAM}</div>', "hidden_visibility"),
        (f'<div style="height:0px;overflow:hidden">{SPAM}</div>', "hidden_visibility"),
        (f'<div style="position:absolute;left:-9999px;top:-9999px">{SPAM}</div>', "offscreen"),
        (f'<div style="text-indent:-5000px">{SPAM}</div>', "offscreen"),
        (f'<p style="font-size:0px;line-height:0">{SPAM}</p>', "zero_font"),
        (f'<span style="font-size:1px">{SPAM}</span>', "zero_font"),
        (f'<marquee height="1" width="1" scrollamount="3000">{SPAM}</marquee>', "tiny_marquee"),
        (f'<marquee style="width:2px;height:2px">{SPAM}</marquee>', "tiny_marquee"),
        (f'<style>.xq {{ display : none }}</style><div class="box xq">{SPAM}</div>', "hidden_display_none"),
        (f'<style>#seo{{position:absolute;top:-800px}}</style><div id="seo">{SPAM}</div>', "offscreen"),
    ],
)
def test_hidden_spam_is_flagged_with_technique_quote_and_place(inspector, block, kind):
    report = inspector.inspect(page(block), "http://www.yz.gov.cn/art/1.html")
    assert report.compromised
    hidden = [e for e in report.evidence if e.kind == kind]
    assert hidden, report.evidence
    assert "百家乐" in hidden[0].text and hidden[0].where
    assert {"葡京", "百家乐", "真人视讯"} <= set(report.terms)


def test_hidden_navigation_without_spam_is_clean(inspector):
    menu = '<ul style="display:none"><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul>'
    assert not inspector.inspect(page(menu), "http://www.yz.gov.cn/").compromised


def test_gambling_terms_in_title_are_title_injection(inspector):
    head = '<title>澳门葡京_百家乐_真人视讯</title><meta name="keywords" content="澳门葡京,百家乐">'
    report = inspector.inspect(page("", head))
    assert report.compromised
    assert {e.where.split(" [")[0].split(" > ")[-1] for e in report.evidence} >= {"title", "meta"}


def test_gambling_terms_in_breadcrumb_are_title_injection(inspector):
    crumb = '<div class="breadcrumb">当前位置：首页 > 时时彩计划 > 通知公告</div>'
    kinds = [e.kind for e in inspector.inspect(page(crumb)).evidence]
    assert kinds == ["title_injection"]


def test_visible_block_of_gambling_links_to_other_domains_is_link_block(inspector):
    block = f'<div class="friend-links">友情链接：{SPAM} <a href="http://lhc-online.example/">六合彩</a></div>'
    report = inspector.inspect(page(block), "http://www.yz.gov.cn/")
    assert [e.kind for e in report.evidence] == ["link_block"]
    assert "http://www.88pj-bet.example/" in report.evidence[0].text
    assert "div.friend-links" in report.evidence[0].where


def test_links_to_government_lottery_sites_are_not_a_link_block(inspector):
    links = ('<div><a href="http://www.lottery.gov.cn/">中国体育彩票</a> <a href="http://www.cwl.gov.cn/">中国福利彩票</a>'
             ' <a href="http://www.mca.gov.cn/">彩票公益金</a></div>')
    assert not inspector.inspect(page(links), "http://www.yz.gov.cn/").compromised


@pytest.mark.parametrize(
    ("script", "kind"),
    [
        ('var ua = navigator.userAgent.toLowerCase(); if (ua.indexOf("baiduspider") > -1) {'
         ' document.write("<a href=http://x.example>百家乐</a>"); }', "ua_cloaking"),
        ('if (/baidu|sogou|so.com/.test(document.referrer)) { window.location.href = "http://x.example"; }',
         "referrer_redirect"),
        ('document.write("<a href=http://x.example>澳门葡京 百家乐</a>");', "script_injection"),
    ],
)
def test_cloaking_and_spam_writing_scripts_are_flagged(inspector, script, kind):
    report = inspector.inspect(page(f"<script>{script}</script>"))
    assert [e.kind for e in report.evidence] == [kind]


def test_ordinary_scripts_are_clean(inspector):
    script = "<script>var _hmt = _hmt || []; document.getElementById('date').innerHTML = new Date();</script>"
    assert not inspector.inspect(page(script)).compromised


def test_spam_shown_only_to_crawlers_is_ua_cloaking():
    browser = page("")
    spider = page(f'<div class="seo">{SPAM}</div>')
    found = cloaking(browser, spider, "http://www.yz.gov.cn/a.html")
    assert found is not None and found.kind == "ua_cloaking" and "百家乐" in found.terms
    assert cloaking(browser, browser) is None


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("永州市2026年度体育彩票公益金使用情况公告",
         "<p>根据《彩票管理条例》，现将本级体育彩票公益金使用情况公告如下。中国福利彩票和中国体育彩票均为国家公益彩票。</p>"),
        ("我市开展打击网络赌博专项行动", "<h1>我市严厉打击网络赌博 查处百家乐、六合彩等赌博案件12起</h1><p>公安机关依法取缔赌场3处。</p>"),
        ("全民健身运动会棋牌项目比赛举行", "<p>本次比赛设象棋、围棋、桥牌等棋牌项目。</p>"),
        ("扫黄打非工作会议召开", "<p>会议要求持续打击色情、赌博等违法犯罪活动，净化网络环境。</p>"),
    ],
)
def test_legitimate_mentions_of_lottery_gambling_or_porn_are_clean(inspector, title, body):
    report = inspector.inspect(page(body, f"<title>{title}</title>"), "http://www.yz.gov.cn/a.html")
    assert not report.compromised, report.evidence


def test_gbk_page_is_decoded_and_its_hidden_spam_found(inspector):
    decoded, encoding = decode((CONTENT / "gbk_compromised.html").read_bytes())
    assert encoding == "gb18030" and "无锡市人民政府" in decoded
    report = inspector.inspect(decoded, "http://www.wuxi.gov.cn/a.html")
    assert [e.kind for e in report.evidence] == ["hidden_display_none"]


def test_traditional_chinese_spam_matches_the_simplified_lexicon(inspector):
    report = inspector.inspect(page("", "<title>澳門葡京_百家樂_彩票計劃</title>"))
    assert report.compromised and "百家乐" in report.terms


def test_plain_text_dump_with_injected_line_is_flagged_at_that_line(inspector):
    report = inspector.inspect((CONTENT / "plain_compromised.txt").read_text(encoding="utf-8"))
    assert [(e.kind, e.where) for e in report.evidence] == [("text_injection", "line 4")]
    assert "www.88pj-bet.example" in report.evidence[0].text


def test_plain_text_public_welfare_lottery_notice_is_clean(inspector):
    assert not inspector.inspect((CONTENT / "plain_clean.txt").read_text(encoding="utf-8")).compromised


def test_government_content_on_a_foreign_host_is_a_clone():
    inspector = SpamInspector(sites=["http://www.yz.gov.cn/index.html"], gov_domains=("yongzhou.example",))
    html = page('<div class="footer">主办单位：永州市人民政府办公室</div>')
    clone = inspector.inspect(html, "http://yz-gov.example/news/1.html")
    assert [e.kind for e in clone.evidence] == ["clone"] and "永州市人民政府" in clone.evidence[0].text
    for own in ("http://www.yz.gov.cn/news/1.html", "http://www.yongzhou.example/a.html", "http://sub.hunan.gov.cn/"):
        assert not inspector.inspect(html, own).compromised
    company = page("<p>普通企业网站</p>", "<title>某某科技有限公司</title>")
    assert not inspector.inspect(company, "http://yz-gov.example/").compromised
    titled = inspector.inspect(page(""), "http://yz-gov.example/")  # title ends in 永州市人民政府
    assert [e.kind for e in titled.evidence] == ["clone"]


def test_configured_site_is_a_url_prefix_on_a_shared_host():
    inspector = SpamInspector(sites=["http://127.0.0.1:8000/gov/yz/index.html"])
    html = page('<div>版权所有：永州市人民政府</div>')
    assert not inspector.inspect(html, "http://127.0.0.1:8000/gov/yz/news/a.html").compromised
    assert inspector.inspect(html, "http://127.0.0.1:8000/clone/yz/news/a.html").compromised
