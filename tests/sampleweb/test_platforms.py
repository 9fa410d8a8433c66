"""Douyin (JS-only), Bilibili (dynamic feed) and feed routes, and the Weibo user search."""

from __future__ import annotations

import json
import shutil
import subprocess

import feedparser
import pytest

from sampleweb.platforms import douyin_signature
from tests.sampleweb.conftest import fetch, fetch_json


def test_douyin_raw_html_carries_no_account_data(web, world):
    acc = world.on_platform("douyin")[0]
    status, ctype, body, _ = fetch(web, f"/douyin/user/{acc.account_id}")
    html = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    assert acc.name not in html and acc.posts[0].post_id not in html and 'data-e2e="post"' not in html
    assert f"{web.base_url}/douyin/user/{acc.account_id}" in world.ground_truth(web.base_url)["js_only"]


def test_douyin_data_api_needs_the_page_scripts_signature(web, world):
    acc = world.on_platform("douyin")[0]
    assert fetch(web, f"/douyin/web/api/profile?sec_uid={acc.account_id}&_signature=1")[0] == 403
    data = fetch_json(web, f"/douyin/web/api/profile?sec_uid={acc.account_id}&_signature={douyin_signature(acc.account_id)}")
    assert data["user"]["nickname"] == acc.name and len(data["aweme_list"]) == len(acc.posts)
    assert data["aweme_list"][0]["is_top"] == 1  # 无锡交警 pins a recent video


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is not installed")
def test_douyin_page_renders_profile_and_posts_in_a_browser(web, world):
    acc = world.on_platform("douyin")[0]
    args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--virtual-time-budget=5000",
            "--dump-dom", f"{web.base_url}/douyin/user/{acc.account_id}"]
    dom = subprocess.run(args, capture_output=True, text=True, timeout=60).stdout
    assert 'data-rendered="1"' in dom and f'<h1 data-e2e="user-name">{acc.name}</h1>' in dom
    assert dom.count('data-e2e="post"') == len(acc.posts) and 'data-pinned="1"' in dom


def test_bilibili_feed_pages_by_offset_until_has_more_is_false(web, world):
    acc = next(a for a in world.on_platform("bilibili") if a.name == "永州消防")
    ids: list[str] = []
    pinned: list[str] = []
    offset = ""
    for _ in range(10):
        data = fetch_json(web, f"/bilibili/x/polymer/web-dynamic/v1/feed/space?host_mid={acc.account_id}&offset={offset}")
        assert data["code"] == 0
        for item in data["data"]["items"]:
            assert isinstance(item["modules"]["module_author"]["pub_ts"], int)
            (pinned if item["modules"].get("module_tag", {}).get("text") == "置顶" else ids).append(item["id_str"])
        if not data["data"]["has_more"]:
            break
        offset = data["data"]["offset"]
    assert len(pinned) == 1 and len(ids) == len(set(ids)) == sum(not p.is_pinned for p in acc.posts)


def test_bilibili_profile_and_comment_switch(web, world):
    closed = next(a for a in world.on_platform("bilibili") if not a.interaction_enabled)
    info = fetch_json(web, f"/bilibili/x/space/acc/info?mid={closed.account_id}")["data"]
    assert info["name"] == closed.name and info["official"]["role"] == 6 and info["comment_forbidden"] is True
    assert fetch_json(web, "/bilibili/x/space/acc/info?mid=42")["code"] == -404


@pytest.mark.parametrize("fmt", ["xml", "atom", "json"])
def test_feeds_parse_with_account_name_and_post_ids(web, world, fmt):
    acc = next(a for a in world.accounts if a.platform == "toutiao")
    status, ctype, body, _ = fetch(web, f"/feeds/toutiao/{acc.account_id}.{fmt}")
    assert status == 200 and "charset=utf-8" in ctype
    if fmt == "json":
        doc = json.loads(body)
        title, ids = doc["title"], [i["id"] for i in doc["items"]]
        assert doc["items"][0]["date_published"].endswith("+08:00")
    else:
        parsed = feedparser.parse(body)
        assert not parsed.bozo
        title, ids = parsed.feed.title, [e.id for e in parsed.entries]
    assert title == acc.name and ids == [p.post_id for p in acc.posts if not p.is_pinned][:50]


def test_sources_list_every_platforms_start_points(web, world):
    src = fetch_json(web, "/sources.json")
    assert len(src["douyin_profiles"]) == len(world.on_platform("douyin"))
    assert set(src["bilibili_uids"]) == {a.account_id for a in world.on_platform("bilibili")}
    feed_ids = {url.rsplit("/", 1)[1].split(".")[0] for url in src["feeds"]}
    assert feed_ids == {a.account_id for a in world.accounts if a.platform in ("toutiao", "kuaishou")}


def test_weibo_user_search_finds_impersonators_and_pages(web, world):
    names: list[str] = []
    page = 1
    while users := fetch_json(web, f"/weibo/api/search?q=%E6%B0%B8%E5%B7%9E&page={page}")["data"]["users"]:  # 永州
        assert len(users) <= 10
        names += [u["screen_name"] for u in users]
        page += 1
    expected = [a.name for a in world.on_platform("weibo") if a.state != "missing"
                and ("永州" in a.name or "永州" in a.spec.verified_reason)]
    assert names == expected and "永州公安★官方" in names and page > 1
