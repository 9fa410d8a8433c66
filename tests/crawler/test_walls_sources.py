"""Login-wall detection and source identification from URLs."""

from __future__ import annotations

import re

import pytest

from crawler.pages.walls import login_wall_reason, mentions_captcha
from crawler.sources import source_of

WEIBO_WALL = '<html><head><title>微博-出错了</title></head><body><div class="login"><p>登录后查看更多内容</p></div></body></html>'
GOV_HOME = "<html><body><a href='/login'>用户登录</a><p>" + "政务公开 " * 200 + "</p></body></html>"


def test_html_login_page_instead_of_json_is_a_wall() -> None:
    """An API request answered with an HTML 登录 page is a login wall."""
    assert login_wall_reason(
        "http://x/weibo/api/container/getIndex?value=1", "text/html", WEIBO_WALL, expects_json=True
    ) == ("html_instead_of_json")


def test_redirect_to_passport_is_a_wall() -> None:
    """Landing on a passport / login URL is a wall whatever the body says."""
    assert (
        login_wall_reason("https://passport.weibo.cn/signin/login", "text/html", "", expects_json=False)
        == "login_url"
    )


def test_captcha_page_is_a_wall() -> None:
    """A short page asking for 安全验证 is a captcha wall even on a government site."""
    assert (
        login_wall_reason("http://gov/x.html", "text/html", "<p>请完成安全验证</p>", expects_json=False)
        == "captcha"
    )


@pytest.mark.parametrize(
    "text",
    ["请输入验证码", "人机验证", "CAPTCHA", "g-reCaptcha-response", "<p>访问验证</p>", "capt验cha", "capcha", "验 证码",
     "ｃａｐｔｃｈａ", "安全验 证", "ſ captcha"],
)
def test_the_captcha_words_are_found_as_the_case_insensitive_regex_finds_them(text: str) -> None:
    """mentions_captcha (plain searches) agrees with the regex it replaced, case and non-ASCII letters included."""
    regex = re.compile(r"验证码|安全验证|访问验证|人机验证|captcha", re.I)
    assert mentions_captcha(text) == bool(regex.search(text))
    assert mentions_captcha("政务" * 9000 + text) == bool(regex.search(text))


@pytest.mark.parametrize(
    ("url", "body", "expects_json"),
    [
        ("http://gov/index.html", GOV_HOME, False),  # a 用户登录 link in a portal header is not a wall
        ("http://x/weibo/api/container/getIndex", '{"ok": 1, "data": {"text": "请登录"}}', True),
        (
            "http://gov/news/t1.html",
            "<p>" + "验证码找回说明 " * 200 + "</p>",
            False,
        ),  # long page mentioning it
    ],
)
def test_ordinary_pages_are_not_walls(url: str, body: str, expects_json: bool) -> None:
    """Login words in JSON data or in a long page do not make a wall."""
    assert login_wall_reason(url, "text/html", body, expects_json=expects_json) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://127.0.0.1:5/weibo/api/container/getIndex?type=uid&value=123&containerid=107603123",
            ("weibo", "123"),
        ),
        ("https://m.weibo.cn/api/container/getIndex?type=uid&value=42", ("weibo", "42")),
        ("http://h/bilibili/x/polymer/web-dynamic/v1/feed/space?host_mid=77&offset=", ("bilibili", "77")),
        ("https://api.bilibili.com/x/space/acc/info?mid=88", ("bilibili", "88")),
        ("http://h/wechat/list?biz=MzA1&offset=10", ("wechat", "MzA1")),
        ("http://h/douyin/user/MS4wLjAB", ("douyin", "MS4wLjAB")),
        ("https://www.douyin.com/user/MS4wLjAC?from=x", ("douyin", "MS4wLjAC")),
        ("http://h/feeds/toutiao/yzfb.xml", ("toutiao", "yzfb")),
        ("http://h/gov/yz/index.html", ("website", "")),
    ],
)
def test_source_of_url(url: str, expected: tuple[str, str]) -> None:
    """Platform and account id are read from real and sample-web URL shapes."""
    assert source_of(url) == expected
