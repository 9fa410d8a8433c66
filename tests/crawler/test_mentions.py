"""crawler.pages.mentions: account mentions in every way pages write them."""

from __future__ import annotations

import pytest

from crawler.pages.htmltext import parse_html, table_rows
from crawler.pages.mentions import extract_mentions, mentions_in_html, mentions_in_rows, normalise


def pairs(text: str) -> list[tuple[str, str]]:
    return [(m.name, m.platform) for m in extract_mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('欢迎关注"永州人社"微信号，了解最新政策', [("永州人社", "wechat")]),
        ("抖音号“永州文旅”发布了视频", [("永州文旅", "douyin")]),
        ("请搜索「平安宜兴」视频号观看直播", [("平安宜兴", "wechat_channels")]),
        ('扫码关注微信公众号"无锡医保"', [("无锡医保", "wechat")]),
        ("新浪微博：@无锡发布", [("无锡发布", "weibo")]),
        ("新浪微博@平安永州 每日发布警情通报", [("平安永州", "weibo")]),
        ("微信公众号：无锡发布、无锡医保", [("无锡发布", "wechat"), ("无锡医保", "wechat")]),
        ('"永州人社"微信号 "永州文旅"抖音号', [("永州人社", "wechat"), ("永州文旅", "douyin")]),
        ("1.无锡发布（微信公众号）\n2.无锡发布（新浪微博）", [("无锡发布", "wechat"), ("无锡发布", "weibo")]),
        ("请关注永州发布微信公众号获取更多信息", [("永州发布", "wechat")]),
        ("“永州日报”官方微博", [("永州日报", "weibo")]),
        ("今日头条号“零陵融媒”", [("零陵融媒", "toutiao")]),
    ],
)
def test_inline_forms(text: str, expected: list[tuple[str, str]]) -> None:
    """Quoted names before or after the platform word, colon lists, @names and parenthesised platforms."""
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "微信：扫描下方二维码",
        "官方微博：weibo.com/wxfb",
        "微信：13812345678",
        "通过微信公众号发布信息",
        "关注这个公众号，每天都有新内容",
        "关注新浪微博",
        "分享到：\n新浪微博\nQQ空间\n腾讯微博",
        "发布日期：2024-03-21 来源：永州市人民政府",
    ],
)
def test_not_mentions(text: str) -> None:
    """Instructions, URLs, phone numbers, pronouns and share buttons are not accounts."""
    assert pairs(text) == []


def test_traditional_page_with_converter_glosses() -> None:
    """Traditional text with pinyin glosses (瀏覽次數(shù)) reads as simplified; names come out simplified."""
    text = "瀏(liú)覽(lǎn)次數(shù)：356 歡迎關(guān)注「永州發布」微信號和抖音號「平安永州」"
    assert normalise("瀏覽次數(shù)：356").startswith("浏览次数：356")
    assert pairs(text) == [("永州发布", "wechat"), ("平安永州", "douyin")]


def test_glosses_only_after_chinese_and_with_tones() -> None:
    """(APP) and (2024) are text, not converter glosses."""
    assert normalise("客户端(APP) 年份(2024)") == "客户端(APP) 年份(2024)"


def test_plain_text_list_under_heading() -> None:
    """A "微信公众号：" line followed by one name per line; the list ends at the first non-name line."""
    text = "微信公众号：\n无锡发布\n2. 无锡医保\n\n正文开始了，这是一个很长的句子。"
    assert pairs(text) == [("无锡发布", "wechat"), ("无锡医保", "wechat")]


def test_text_table_with_header() -> None:
    """Tab-separated rows with 账号名称 / 平台 headers pair each name with its row's platform."""
    text = "序号\t账号名称\t平台\t主办单位\n1\t无锡发布\t微信公众号\t宣传部\n2\t无锡发布\t新浪微博\t宣传部"
    mentions = extract_mentions(text, "http://x/matrix")
    assert [(m.name, m.platform) for m in mentions] == [("无锡发布", "wechat"), ("无锡发布", "weibo")]
    assert mentions[0].page_url == "http://x/matrix" and "宣传部" in mentions[0].context


def test_rows_with_platform_columns_keep_blank_cells() -> None:
    """A header of platforms (one column each): a blank cell does not shift names into the wrong column."""
    rows = [["微信公众号", "新浪微博", "抖音"], ["无锡发布", "", "平安无锡"]]
    assert [(m.name, m.platform) for m in mentions_in_rows(rows)] == [
        ("无锡发布", "wechat"),
        ("平安无锡", "douyin"),
    ]


def test_html_rowspan_table_lists_and_dl() -> None:
    """A rowspan platform cell applies to every row it spans; <h3>+<ul> and <dl> lists are read."""
    tree = parse_html(
        "<table><tr><th>平台</th><th>账号名称</th></tr>"
        "<tr><td rowspan=2>微信公众号</td><td>永州发布</td></tr><tr><td>永州人社</td></tr>"
        "<tr><td>抖音</td><td>永州文旅</td></tr></table>"
        "<h3>政务微博</h3><ul><li>平安宜兴</li><li>宜兴发布</li></ul>"
        "<dl><dt>视频号</dt><dd>道县发布</dd><dt>B站</dt><dd>江华发布</dd></dl>"
    )
    assert table_rows(next(tree.iter("table")))[2] == ["微信公众号", "永州人社"]
    assert [(m.name, m.platform) for m in mentions_in_html(tree)] == [
        ("永州发布", "wechat"), ("永州人社", "wechat"), ("永州文旅", "douyin"),
        ("平安宜兴", "weibo"), ("宜兴发布", "weibo"), ("道县发布", "wechat_channels"), ("江华发布", "bilibili"),
    ]  # fmt: skip


def test_duplicates_collapse_to_first_mention() -> None:
    """The same account named twice is one mention, with the first context."""
    mentions = extract_mentions('关注"永州发布"微信公众号。\n再次提醒关注"永州发布"公众号')
    assert len(mentions) == 1 and mentions[0].context.startswith("关注")
