"""crawler.pages.page_info and published: title, publication date, text, links, mentions of one page."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from crawler.pages.page_info import page_info
from crawler.pages.published import find_published, parse_page_date

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
ARTICLE_URL = "http://127.0.0.1:8000/gov/wx/news/202611/t20261120_1.html"


def test_gbk_government_article() -> None:
    """A gb2312-labelled GBK article: meta title and PubDate, site/column, absolute links, mentions."""
    info = page_info((PAGES / "gbk_article.html").read_bytes(), ARTICLE_URL)
    assert info.encoding == "gb18030"
    assert info.title == "无锡市召开政务新媒体工作推进会"
    assert info.published == date(2026, 11, 20) and info.published_at == datetime(2026, 11, 20, 9, 30)
    assert (info.site, info.column) == ("无锡市人民政府", "政务动态")
    assert "镕" in info.text and "var " not in info.text
    assert [link.url for link in info.links] == [
        "http://127.0.0.1:8000/gov/wx/index.html", "http://127.0.0.1:8000/gov/wx/news/index.html",
        "http://127.0.0.1:8000/gov/wx/links/ok", "http://www.gov.cn/",
    ]  # fmt: skip
    assert [(a.name, a.platform) for a in info.accounts] == [
        ("平安宜兴", "wechat_channels"), ("无锡医保", "wechat"), ("无锡发布", "weibo"),
    ]  # fmt: skip
    assert all(a.page_url == ARTICLE_URL for a in info.accounts)


def test_big5_traditional_matrix() -> None:
    """Big5 page: glossed 發(fā)布日期 is found, table names are reported in simplified characters."""
    info = page_info((PAGES / "big5_matrix.html").read_bytes())
    assert info.encoding == "big5hkscs"
    assert info.published == date(2026, 11, 18)
    assert ("永州发布", "wechat") in [(a.name, a.platform) for a in info.accounts]
    assert ("平安永州", "douyin") in [(a.name, a.platform) for a in info.accounts]
    assert "瀏(liú)覽" in info.decoded  # decoded stays as given so offsets map back


def test_plain_text_in_gb18030() -> None:
    """Plain text: first line is the title; a 来源 line's date beats 成文日期; lists and tables read."""
    info = page_info((PAGES / "plain_list.txt").read_bytes())
    assert info.title == "关于公布全市政务新媒体名录的通知" and info.html == ""
    assert info.published == date(2026, 11, 12)
    assert {(a.name, a.platform) for a in info.accounts} == {
        ("无锡发布", "wechat"), ("无锡医保", "wechat"), ("无锡发布", "weibo"), ("平安无锡", "weibo"),
        ("宜兴发布", "douyin"),
    }  # fmt: skip


def test_title_without_meta_drops_site_name() -> None:
    """<title>标题_站点</title> gives the title without the site name."""
    html = "<html><head><title>关于印发方案的通知_永州市人民政府</title></head><body>正文</body></html>"
    assert page_info(html).title == "关于印发方案的通知"


@pytest.mark.parametrize(
    ("text", "expected", "evidence"),
    [
        ("成文日期：2024-03-15\n发布日期：2024-03-21", datetime(2024, 3, 21), "label:发布日期"),
        (
            "生成日期：2024-03-15 公开日期：2024年3月21日 09:30",
            datetime(2024, 3, 21, 9, 30),
            "label:公开日期",
        ),
        ("发文日期：2024年3月21日\n成文日期：2024年3月1日", datetime(2024, 3, 21), "label:发文日期"),
        ("成文日期：2024-03-15\n2024-03-21 来源：市政府办", datetime(2024, 3, 21), "source_line"),
        ("成文日期：二〇二四年三月十五日", datetime(2024, 3, 15), "label:成文日期"),
        ("发布时间：２０２４－０３－２１", datetime(2024, 3, 21), "label:发布时间"),
        ("[发布日期] 2024.3.21", datetime(2024, 3, 21), "label:发布日期"),
        ("发布日期\t2024/03/21 10:00:05", datetime(2024, 3, 21, 10, 0, 5), "label:发布日期"),
        ("日期：2024-02-30 发布日期：2024-03-01", datetime(2024, 3, 1), "label:发布日期"),
    ],
)
def test_visible_date_forms_and_priority(text: str, expected: datetime, evidence: str) -> None:
    """公开/发布/发文日期 win over 生成/成文日期; all common date forms parse; impossible dates are skipped."""
    found = find_published({}, text)
    assert found is not None and (found.at, found.evidence) == (expected, evidence)


def test_meta_pubdate_wins_and_iso_offsets_become_china_time() -> None:
    """meta PubDate beats visible labels; an ISO UTC time is converted to naive China time."""
    found = find_published({"pubdate": "2026-11-20 09:30"}, "发布日期：2020-01-01")
    assert found is not None and found.at == datetime(2026, 11, 20, 9, 30)
    assert parse_page_date("2024-03-20T17:30:00Z") == datetime(2024, 3, 21, 1, 30)


def test_url_date_is_the_last_resort() -> None:
    """A TRS-style /t20261120_1.html URL dates a page that says nothing else."""
    found = find_published({}, "正文", ARTICLE_URL)
    assert found is not None and found.at == datetime(2026, 11, 20)
    assert find_published({}, "正文") is None
