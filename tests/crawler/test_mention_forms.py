"""Account mentions in the forms real pages use: unquoted, @name, ids in brackets, QR captions, links."""

from __future__ import annotations

import pytest

from crawler.pages.mention_forms import profile_of
from crawler.pages.mentions import extract_mentions
from crawler.pages.page_info import page_info


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("据永州发布微信公众号消息，我市将举行招聘会。", {("wechat", "永州发布", "")}),
        ("请关注永州人社公众号（yzrsj2018）了解政策。", {("wechat", "永州人社", "yzrsj2018")}),
        ("欢迎关注@平安永州 官方微博。", {("weibo", "平安永州", "")}),
        ("永州发布微信二维码", {("wechat", "永州发布", "")}),
        ("市文旅局抖音号“永州文旅”推出短视频。", {("douyin", "永州文旅", "")}),
        ("无锡發布官方微博发布通知。", {("weibo", "无锡发布", "")}),  # traditional page, simplified name
        ("扫描下方永州发布微信二维码，获取更多资讯。", {("wechat", "永州发布", "")}),
        ("永州发布\n微信号 yzfabu\n功能介绍 发布权威信息", {("wechat", "永州发布", "yzfabu")}),  # a profile card
        ("相关信息可关注永州文旅BILIBILI官方账号。", {("bilibili", "永州文旅", "")}),
        ("也可搜索平安永州抖音账号观看直播。", {("douyin", "平安永州", "")}),
        ("永州发布官方微信 永州文旅官方抖音", {("wechat", "永州发布", ""), ("douyin", "永州文旅", "")}),  # QR captions
    ],
)
def test_mention_forms(sentence: str, want: set[tuple[str, str, str]]) -> None:
    assert {(m.platform, m.name, m.account_id) for m in extract_mentions(sentence)} == want


@pytest.mark.parametrize(
    "sentence",
    ["电影《流浪地球》官方微博发布了新海报。", "《新闻联播》抖音号今日开通。", "留言将由公众号筛选后显示。",
     "关注这个公众号，你的效率会提高。", "长按二维码向我转账。", "点击分享到新浪微博。",
     "请关注《永州故事》B站官方账号。", "不要关注微博账号的粉丝数。", "欢迎关注官方微信。",
     "联系邮箱 webmaster@yongzhou.gov.cn", "请持续关注@永州发布"],  # no platform word, not a platform page
)
def test_no_accounts_from_titles_pronouns_or_instructions(sentence: str) -> None:
    """《book/film/show titles》, pronouns and instructions next to a platform word are not accounts."""
    assert extract_mentions(sentence) == []


def test_profile_links_give_the_account_by_its_id() -> None:
    html = ("<html><body><p>正文</p><a href='https://weibo.com/u/1234567890'>永州发布的新浪微博</a>"
            "<a href='//space.bilibili.com/651070904'><img src='a.png'></a>"
            "<a href='https://www.douyin.com/user/MS4wLjABAAAAxyz'>永州文旅</a>"
            "<a href='https://mp.weixin.qq.com/mp/profile_ext?action=home&amp;__biz=MzA3ODk=#wechat_redirect'>永州人社</a>"
            "<a href='https://weibo.com/login.php'>登录</a><a href='http://[broken'>x</a></body></html>")
    found = {(m.platform, m.name, m.account_id) for m in page_info(html.encode()).accounts}
    assert found == {("weibo", "永州发布", "1234567890"), ("bilibili", "651070904", "651070904"),
                     ("douyin", "永州文旅", "MS4wLjABAAAAxyz"), ("wechat", "永州人社", "MzA3ODk=")}


def test_toutiao_author_links_on_a_page_saved_without_its_address() -> None:
    """A saved Toutiao page links its articles absolutely and its authors relatively (/c/user/…): the
    relative links resolve against the host most links go to, and "新华网客户端 ⋅" loses its separator."""
    articles = "".join(f"<a href='https://www.toutiao.com/group/{n}/'>新闻{n}</a>" for n in range(3))
    html = (f"<html><body>{articles}<a href='/c/user/token/MS4wLjABAAAAabc/'>&nbsp;永州公安&nbsp;⋅</a>"
            "<a href='/c/user/3350881978/' class='user-name'>@永州发布</a><a href='/c/user/token/'>x</a></body></html>")
    found = {(m.platform, m.name, m.account_id) for m in page_info(html.encode()).accounts}
    assert found == {("toutiao", "永州公安", "MS4wLjABAAAAabc"), ("toutiao", "永州发布", "3350881978")}


def test_relative_profile_links_need_a_known_origin() -> None:
    """Without <base>, a canonical address or a dominant host, /c/user/1 is no Toutiao link; with one it is."""
    bare = "<html><body><a href='https://a.gov.cn/'>a</a><a href='https://b.gov.cn/'>b</a><a href='/c/user/1234/'>x</a></body></html>"
    assert page_info(bare.encode()).accounts == []
    based = bare.replace("<body>", "<head><link rel='canonical' href='https://www.toutiao.com/a1/'></head><body>")
    assert [(m.platform, m.account_id) for m in page_info(based.encode()).accounts] == [("toutiao", "1234")]


def test_profile_of_other_links_is_none() -> None:
    assert profile_of("https://weibo.com/p/100808abc") is None
    assert profile_of("https://www.gov.cn/zhengce/") is None
    assert profile_of("https://weibo.com/jongkookk") == ("weibo", "jongkookk")


def test_names_with_markup_are_not_accounts() -> None:
    assert extract_mentions("微信公众号：“<span>永州发布</span>”") == []


def test_a_weibo_post_names_accounts_by_n_links_and_follow_quotes() -> None:
    """On m.weibo.cn, <a href='/n/NAME'>@NAME</a> is the account NAME (no id); 关注“NAME” is a Weibo account;
    the 网页链接 wrapper (weibo.cn/sinaurl?u=…) is no account."""
    post = ("<div>转发抽奖，通过 <a href='/n/永州发布'>@永州发布</a> 开奖。更多活动可关注“永州文旅”。"
            "<a href='https://weibo.cn/sinaurl?u=http%3A%2F%2Fexample.cn'>网页链接</a></div>")
    found = page_info(post.encode(), url="https://m.weibo.cn/detail/1").accounts
    assert {(m.platform, m.name, m.account_id) for m in found} == {("weibo", "永州发布", ""), ("weibo", "永州文旅", "")}


def test_at_names_on_a_platform_page_are_accounts_there() -> None:
    """A Bilibili dynamic's plain "@NAME" is a Bilibili account; an e-mail address is not a mention."""
    text = "更多情报请持续关注@永州文旅，联系 service@example.cn"
    found = extract_mentions(text, "https://t.bilibili.com/123")
    assert [(m.platform, m.name) for m in found] == [("bilibili", "永州文旅")]


def test_follow_quotes_on_a_government_page_name_no_platform() -> None:
    assert extract_mentions("欢迎关注“永州文旅”。", "http://www.yongzhou.gov.cn/a.html") == []
