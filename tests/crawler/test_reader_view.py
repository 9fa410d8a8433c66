"""Titles, dates and main text as a reader sees them, on pages written like real CMS pages."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.pages.htmltext import element_text, parse_html
from crawler.pages.page_info import page_info

ARTICLE = "<p>" + "市政府召开常务会议，研究部署当前重点工作，会议强调要抓好各项任务落实。" * 3 + "</p>"
NAV = "<ul>" + "".join(f"<li><a href='/c{i}'>栏目{i}</a></li>" for i in range(12)) + "</ul>"
CONTENT = "<div class='content'>" + ARTICLE * 3 + "</div>"  # long enough for the main-text extractor


def page(head: str, body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def test_text_after_an_inline_script_in_the_same_element_is_kept() -> None:
    """<div>来源<script>…</script>发布时间：…</div>: the date line after the script stays."""
    tree = parse_html("<div>来源：市政府办<script>var a = 1;</script> 发布时间：2024-05-13</div>")
    assert "发布时间：2024-05-13" in element_text(tree)
    info = page_info(page("", "<div>来源：市政府办<script>document.write('x')</script>发布时间：2024-05-13</div>" + ARTICLE))
    assert info.published == date(2024, 5, 13)


@pytest.mark.parametrize(
    ("title", "shown", "want"),
    [
        ("关于开展安全检查的通知_永州市人民政府", "关于开展安全检查的通知", "关于开展安全检查的通知"),
        ("关于开展安全检查的通知--通知公告--永州市人民政府", "关于开展安全检查的通知", "关于开展安全检查的通知"),
        ("工商部门初定广告属于虚假宣传-搜狐财经", "工商部门初定广告属于虚假宣传", "工商部门初定广告属于虚假宣传"),
        ("多维博客 » 播客热潮迅速蔓延", "播客热潮迅速蔓延", "播客热潮迅速蔓延"),
        ("两会｜政府工作报告全文 - 某某网", "两会｜政府工作报告全文", "两会｜政府工作报告全文"),
    ],
)
def test_title_is_the_headline_without_site_or_column_names(title: str, shown: str, want: str) -> None:
    """The part of <title> the page also shows as its headline, whatever the separator."""
    info = page_info(page(f"<title>{title}</title>", f"<div class='nav'>首页 | 通知公告</div><h1>{shown}</h1>{ARTICLE}"))
    assert info.title == want


def test_a_blog_post_title_before_at_and_the_blog_name() -> None:
    """"Post @ Blog :: Platform ::" (a blog host's <title>): the post, not the platform's logo line."""
    info = page_info(page("<title>秋日登山记 (2) @ 某某的家 :: 某客邦 ::</title>",
                          "<div>某客邦</div><div>某某的家</div><h2>秋日登山记 (2)</h2>" + ARTICLE))
    assert info.title == "秋日登山记 (2)"


def test_article_title_meta_markup_is_read_as_text() -> None:
    """<meta name="ArticleTitle" content="<p>…</p>">: the markup is not part of the title."""
    info = page_info(page('<meta name="ArticleTitle" content="&lt;p&gt;关于做好防汛工作的通知&lt;/p&gt;">'
                          "<title>首页</title>", ARTICLE))
    assert info.title == "关于做好防汛工作的通知"


def test_headline_above_the_text_when_the_title_names_only_the_site() -> None:
    """<title>某某论坛</title>, then 主题：headline, a by-line, the article."""
    info = page_info(page("<title>CCTV.com- 央视论坛 :: null</title>",
                          "<div>首页 &gt; 论坛</div><div>主题： 导游为什么热衷于让你购物</div>"
                          "<div>作者：某某 时间：2005-08-22 19:13:18</div>" + ARTICLE))
    assert info.title == "导游为什么热衷于让你购物"


def test_a_wiki_title_is_the_part_its_h1_shows_not_the_tagline() -> None:
    """<title>词条 - 某某百科，自由的百科全书</title> with the tagline printed under the <h1>."""
    info = page_info(page("<title>永州发布 - 某某百科，自由的百科全书</title>",
                          "<h1>永州发布</h1><div>某某百科，自由的百科全书</div>" + ARTICLE))
    assert info.title == "永州发布"


def test_paging_marks_icon_glyphs_and_blog_trailers_leave_the_title() -> None:
    """Discuz "(页 1)", a private-use icon glyph after the headline line, BlogDriver's "标题- -"."""
    discuz = page_info(page("<title>下岗职工再就业研究(页 1) - 学术前沿 - 某某论坛 - powered by Discuz! Archiver</title>",
                            "<div>某某论坛 » 学术前沿 » 下岗职工再就业研究</div><div>下岗职工再就业研究</div>" + ARTICLE))
    assert discuz.title == "下岗职工再就业研究"
    glyph = page_info(page("<title>投身外交(3)_读书频道_某某网</title>", "<div>投身外交(3)\ue004</div>" + ARTICLE))
    assert glyph.title == "投身外交(3)"
    blog = page_info(page("<title></title>", NAV + "<h1>某某的博客</h1><h2>谁来为拆房“埋单”？- -</h2>" + CONTENT))
    assert blog.title == "谁来为拆房“埋单”？"


def test_title_printed_twice_and_furniture_above_the_text() -> None:
    """A <title> the page prints again as its headline is kept whole (no cut at "—"); button rows,
    breadcrumbs and user panels above the text are not headlines."""
    twice = page_info(page("<title>对比试车—测试两款小车(图)</title>",  # broken markup echoes <title> first
                           "<div>对比试车—测试两款小车(图)</div><div>首页 &gt;&gt; 汽车频道</div><div>对比试车—测试两款小车(图)</div>"
                           "<div>2003年11月12日16:36 某某报</div><div>页面功能 【我来说两句】【推荐】【打印】</div>" + ARTICLE))
    assert twice.title == "对比试车—测试两款小车(图)"
    panel = page_info(page("<title>从原理想开去 - 奇闻异事 - 某某社区</title>",
                           "<div>积分：235</div><div>看我还写了啥？</div><div>我收藏的：图片 音乐</div>" + ARTICLE))
    assert panel.title == "从原理想开去"


def test_a_heading_that_names_the_site_confirms_no_headline() -> None:
    """<h1>某某网</h1> opening the text is the site's name (last part of <title>), not the headline."""
    info = page_info(page("<title>防汛工作部署会召开 - 某某网</title>",
                          "<div class='content'><h1>某某网</h1><p>防汛工作部署会召开</p>" + ARTICLE * 3 + "</div>"))
    assert info.title == "防汛工作部署会召开"


def test_dates_under_a_headline_with_full_width_punctuation_and_on_a_byline() -> None:
    """The headline "谁来埋单？" is found in text read as NFKC ("?"); a 作者 line far below dates the page;
    a forum reply's 作者 line does not."""
    asked = page_info(page("<title>谁来埋单？</title>", NAV + "<h2>谁来埋单？</h2><div>本报记者 王某</div>"
                           "<div>2003-7-24 某某晚报</div>" + CONTENT))
    assert asked.published == date(2003, 7, 24)
    byline = page_info(page("<title>通知</title>", CONTENT + "<div>作者：王某 2024年3月21日</div>"))
    assert byline.published == date(2024, 3, 21)
    reply = page_info(page("<title>通知</title>", CONTENT + "<div>回复 作者：网友 2024年3月22日</div>"))
    assert reply.published is None


def test_a_birth_date_under_a_name_does_not_date_the_page() -> None:
    """An encyclopedia entry or a profile: the date under the name is a birth date, not the page's."""
    born = "<h1>某某某</h1><ul><li>1968年5月2日（农历1968年四月初六）</li><li>某省某市</li></ul>"
    assert page_info(page("<title>某某某</title>", NAV + born + CONTENT)).published is None
    said = "<h1>某某某</h1><div>某某某，1968年5月2日出生于某省某市。</div>"
    assert page_info(page("<title>某某某</title>", NAV + said + CONTENT)).published is None
    dated = "<h1>某某某</h1><div>2024年5月2日（星期四） 来源：某市政府</div>"
    assert page_info(page("<title>某某某</title>", NAV + dated + CONTENT)).published == date(2024, 5, 2)


def test_the_first_line_of_the_text_is_the_headline_when_the_page_prints_it_twice() -> None:
    info = page_info(page("", "<div>首页 组织机构 工作动态</div><div>推荐 我要说说</div>"
                          "<div>某市儿童心理发展调查报告</div><div>http://www.example.cn/ 2005-03-06</div>"
                          "<div class='content'><p>某市儿童心理发展调查报告</p>" + ARTICLE + "</div>"))
    assert info.title == "某市儿童心理发展调查报告"


@pytest.mark.parametrize(
    ("body", "head", "want"),
    [
        ("<h1>通知</h1><div>2024-03-21 09:30 市政府办</div>", "", date(2024, 3, 21)),  # unlabelled, under the title
        ("<h1>通知</h1><div>来源：新华社</div><div>作者：王某 2024年3月21日</div>", "", date(2024, 3, 21)),
        ("<h1>通知</h1><div>发布：24-5-13 17:07</div>", "", date(2024, 5, 13)),
        ("<h1>通知</h1>", '<script type="application/ld+json">{"datePublished": "2024-03-21T08:00:00+08:00"}</script>',
         date(2024, 3, 21)),
        ("<h1>通知</h1><script>var ct = \"1710979200\";</script>", "", date(2024, 3, 21)),
        ("<h1>通知</h1><div>成文日期：2024-03-01</div><div>发布日期：2024-03-05</div>", "", date(2024, 3, 5)),
        ("<h1>通知</h1><div>联系电话：0746-8223344</div>", "", None),  # no date: says so, never guesses
        # the headline's second showing carries the date (the first is <title> over the menus)
        ("<div>通知？</div><div>首页</div><div>新闻</div><div>图片</div><div>音乐</div><div>更多</div><div>社区</div>"
         "<div>通知？\t2005-09-11 18:04:42 楼主</div>", "", date(2005, 9, 11)),
        # a reader's comment "发表人：… 发表时间：…" does not date the page; the date under the title does
        ("<h1>通知</h1><div>2004-12-10 阅读1054次</div>" + ARTICLE + "<div>发表人：网友 发表时间：2004-12-11 9:51</div>",
         "", date(2004, 12, 10)),
    ],
)
def test_publication_date_forms(body: str, head: str, want: date | None) -> None:
    """Unlabelled dates under the title or after 来源/作者, JSON-LD, WeChat var ct, two-digit years;
    发布 beats 成文; no date gives None."""
    info = page_info(page("<title>通知</title>" + head, body + ARTICLE))
    assert info.published == want


def test_main_text_leaves_out_navigation_and_footer() -> None:
    """The article body, not the menu or the licence line, is what content checks read."""
    nav = "<ul>" + "".join(f"<li><a href='/c{i}'>栏目{i}</a></li>" for i in range(12)) + "</ul>"
    footer = "<div class='footer'>版权所有：永州市人民政府办公室 备案号：湘ICP备00000000号</div>"
    info = page_info(page("<title>通知</title>", nav + "<div class='main'>" + ARTICLE * 2 + "</div>" + footer))
    assert "会议强调" in info.body_text
    assert "栏目3" not in info.body_text and "版权所有" not in info.body_text
