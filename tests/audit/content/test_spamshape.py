"""Spam as attackers write it: look-alike government hosts, spam at the top, dense runs of spam titles."""

from __future__ import annotations

import pytest

from audit.content.spam import SpamInspector

ARTICLE = "<p>" + "市政府召开常务会议，研究部署当前重点工作。" * 5 + "</p>"


def inspect(body: str, title: str = "关于做好防汛工作的通知") -> list[str]:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    report = SpamInspector().inspect(html, "https://www.example.gov.cn/a.html")
    return [e.kind for e in report.evidence]


@pytest.mark.parametrize(
    "href", ["http://www.example.gov.cn.cp8888.com/", "https://zwfw-gov.cn.bet9527.cc/index.html",
             "http://gov.cn.xyz123.top/"],
)
def test_a_lone_link_to_a_host_dressed_as_government_is_spam(href: str) -> None:
    """Even alone and with government-sounding anchor text."""
    assert inspect(f"{ARTICLE}<p><a href='{href}'>政务服务网</a></p>") == ["fake_government_host"]


@pytest.mark.parametrize(
    "href", ["http://www.cwl.gov.cn/ygkj/", "https://www.lottery.gov.cn/", "http://www.sxgov.cn/",
             "https://www.gov.cn/zhengce/"],
)
def test_real_government_and_lottery_links_stay_clean(href: str) -> None:
    """Public-welfare lottery sites and ordinary hosts ending in gov.cn are not look-alikes."""
    assert inspect(f"{ARTICLE}<p><a href='{href}'>中国福利彩票 体育彩票 开奖公告</a></p>") == []


def test_visible_gambling_text_at_the_top_of_the_body() -> None:
    assert inspect("<p>澳门新葡京娱乐官网-真人百家乐在线开户，注册即送体验金</p>" + ARTICLE) == ["top_of_body"]


def test_anti_gambling_notice_at_the_top_is_clean() -> None:
    assert inspect("<p>严厉打击网络赌博违法犯罪，远离百家乐等赌博游戏</p>" + ARTICLE) == []


def test_dense_run_of_porn_titles_is_spam_without_a_known_phrase() -> None:
    """Six short titles on the site's own paths: the list itself gives it away."""
    titles = ["国产偷拍视频在线观看", "成人影院免费观看", "少妇人妻中文字幕", "色综合久久天天综合",
              "一级毛片免费视频", "激情小说图片专区"]
    items = "".join(f"<li><a href='/s/{i}.htm'>{t}</a></li>" for i, t in enumerate(titles))
    assert inspect(ARTICLE + f"<ul>{items}</ul>") == ["spam_list"]


def test_spam_list_after_the_closing_html_tag_is_read() -> None:
    items = "".join(f"<a href='/v/{i}.html'>{t}</a> " for i, t in enumerate(
        ["日韩无码高清在线", "人妻熟女中文字幕", "国产精品久久久", "欧美性爱大片", "丝袜美腿制服诱惑"]))
    html = f"<html><head><title>通知</title></head><body>{ARTICLE}</body></html><div>{items}</div>"
    assert SpamInspector().inspect(html, "").compromised


def test_list_of_lottery_results_on_a_lottery_page_is_clean() -> None:
    """A page about lotteries lists lottery titles legitimately."""
    items = "".join(f"<li><a href='/kj/{i}.html'>双色球第{i}期开奖公告 体育彩票</a></li>" for i in range(8))
    assert inspect(ARTICLE + f"<ul>{items}</ul>", title="中国福利彩票开奖公告") == []
