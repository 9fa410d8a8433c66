"""The HTTP server: each route's content, content type and encoding, paging cursors, hostile answers."""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.request
from datetime import timedelta, timezone

import pytest
from openpyxl import load_workbook

from sampleweb.server import SampleWeb
from tests.sampleweb.conftest import fetch, fetch_json


def get(web, path: str) -> tuple[int, str, bytes, dict]:
    return fetch(web, path)


def get_json(web, path: str):
    return fetch_json(web, path)


def test_server_binds_loopback_port_and_shuts_down_cleanly(world):
    with SampleWeb(world) as one:
        url = one.base_url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert get(one, "/sources.json")[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/sources.json", timeout=2)


def test_ground_truth_route_matches_world_and_uses_absolute_page_urls(web, world):
    truth = get_json(web, "/ground_truth.json")
    assert truth["accounts"] == world.ground_truth()["accounts"]
    assert truth["pages"][0]["url"].startswith(web.base_url + "/gov/")


def test_every_account_is_reachable_from_sources_or_a_matrix_page(web, world):
    src = get_json(web, "/sources.json")
    assert src["weibo_api"] == web.base_url + "/weibo"
    reachable = {f"weibo:{uid}" for uid in src["weibo_uids"]}
    for url in src["wechat_list_urls"]:
        data = get_json(web, url.removeprefix(web.base_url))
        reachable.add(f"wechat:{data['user_name']}")
    matrix = "".join(get(web, f"/gov/{s}/matrix.html")[2].decode() for s in ("yz", "wx"))
    unreached = [a.key for a in world.accounts if a.key not in reachable and a.name not in matrix]
    assert unreached == []


def test_registry_csv_utf8_gb18030_and_xlsx_carry_chinese_headers_and_platforms(web, world):
    status, ctype, body, _ = get(web, "/registry.csv")
    assert ctype == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0][:3] == ["账号名称", "平台", "账号ID"] and len(rows) == len(world.registry) + 1
    assert {r[1] for r in rows[1:]} >= {"微信公众号", "新浪微博", "抖音", "哔哩哔哩", "今日头条", "快手"}
    assert "已注销" in {r[7] for r in rows[1:]}
    _, ctype, gb, _ = get(web, "/registry_gb18030.csv")
    assert ctype.endswith("gb18030") and gb.decode("gb18030") == body.decode("utf-8")
    _, _, xlsx, _ = get(web, "/registry.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[1]][:2] == ["账号名称", "平台"] and sheet.max_row == len(rows)


def test_news_list_pages_chain_by_next_link_to_every_article(web, world):
    path, seen = "/gov/yz/news/index.html", []
    while path:
        status, ctype, body, _ = get(web, path)
        assert status == 200 and ctype == "text/html; charset=utf-8"
        html = body.decode()
        seen += re.findall(r'href="(/gov/yz/news/\d{6}/t\d{8}_\d+\.html)"', html)
        nxt = re.search(r'href="(index_\d+\.html)">下一页', html)
        path = f"/gov/yz/news/{nxt.group(1)}" if nxt else ""
    assert seen == [a.path for a in world.articles["yz"]]


def test_article_page_has_cms_meta_and_visible_date(web, world):
    article = world.articles["wx"][3]
    html = get(web, article.path)[2].decode()
    assert f'<meta name="PubDate" content="{article.published_at:%Y-%m-%d %H:%M}">' in html
    assert '<meta name="SiteName" content="无锡市人民政府">' in html
    assert f"发布日期：{article.published_at:%Y-%m-%d}" in html and 'class="article-content"' in html


def test_matrix_page_lists_accounts_in_table_and_prose(web):
    html = get(web, "/gov/yz/matrix.html")[2].decode()
    assert "<td>永州人社</td><td>微信公众号</td>" in html and "关注“永州人社”微信号" in html
    assert "<td>冷水滩发布</td>" in html  # listed, though missing from the registry


def test_weibo_since_id_paging_terminates_and_returns_every_post_once(web, world):
    acc = next(a for a in world.accounts if a.name == "无锡发布")
    base = f"/weibo/api/container/getIndex?type=uid&value={acc.account_id}&containerid=107603{acc.account_id}"
    ids: list[str] = []
    pinned: list[str] = []
    since, pages = None, 0
    while pages < 20:
        data = get_json(web, base + (f"&since_id={since}" if since else ""))["data"]
        for card in data["cards"]:
            (pinned if card["mblog"].get("isTop") else ids).append(card["mblog"]["id"])
        pages += 1
        since = data["cardlistInfo"].get("since_id")
        if not since:
            break
    assert pages == 3 and len(ids) == len(set(ids)) == 30 and len(pinned) == 1


def test_weibo_created_at_uses_relative_forms(web, world):
    acc = next(a for a in world.accounts if a.name == "无锡发布")
    data = get_json(web, f"/weibo/api/container/getIndex?type=uid&value={acc.account_id}&containerid=107603{acc.account_id}")
    forms = [c["mblog"]["created_at"] for c in data["data"]["cards"]]
    assert any(f == "刚刚" or f.endswith(("分钟前", "小时前")) for f in forms)
    assert any(f.startswith("昨天 ") for f in forms) and "3天前" in forms


def test_weibo_missing_uid_and_login_wall(web, world):
    assert get_json(web, "/weibo/api/container/getIndex?type=uid&value=1234") == {"ok": 0, "msg": "这里还没有内容"}
    gone = next(a for a in world.accounts if a.state == "missing")
    assert get_json(web, f"/weibo/api/container/getIndex?type=uid&value={gone.account_id}")["ok"] == 0
    walled = next(a for a in world.accounts if a.state == "needs_credentials")
    status, ctype, body, _ = get(web, f"/weibo/api/container/getIndex?type=uid&value={walled.account_id}")
    assert status == 200 and ctype.startswith("text/html") and "登录" in body.decode()
    assert f"weibo:{walled.account_id}" in world.ground_truth()["needs_credentials"]


def test_wechat_list_pages_and_article_variables(web, world):
    acc = next(a for a in world.accounts if a.name == "健康无锡")
    offset, urls = 0, []
    while offset is not None:
        data = get_json(web, f"/wechat/list?biz={acc.biz}&offset={offset}")
        assert data["ret"] == 0 and data["user_name"] == acc.account_id and data["comment_enabled"] is False
        urls += [a["url"] for a in data["articles"]]
        offset = data["next_offset"]
    assert len(urls) == 30
    html = get(web, urls[0].removeprefix(web.base_url))[2].decode()
    post = acc.posts[0]
    assert 'var nickname = "健康无锡";' in html and f'var user_name = "{acc.account_id}";' in html
    china = timezone(timedelta(hours=8))
    assert re.search(r'var ct = "(\d+)";', html).group(1) == str(int(post.published_at.replace(tzinfo=china).timestamp()))
    assert 'id="js_content"' in html and ("原创" in html) is post.is_original


def test_unknown_path_is_404(web):
    assert get(web, "/nowhere")[0] == 404


def test_head_requests_get_the_status_without_a_body(web):
    import urllib.request

    for path, status in (("/gov/yz/links/ok", 200), ("/gov/yz/links/forbidden", 403), ("/gov/yz/links/broken", 404)):
        request = urllib.request.Request(web.base_url + path, method="HEAD")
        try:
            with urllib.request.urlopen(request, timeout=5) as resp:
                code, body = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            code, body = err.code, err.read()
        assert (code, body) == (status, b"")
