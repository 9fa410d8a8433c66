"""The write path on the real node: fields an older mapping lacks, migrations under writes, bad documents."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any

import pytest
from elasticsearch import ConnectionError as EsConnectionError

from core.errors import StoreError
from core.models import Account
from index.elastic import ElasticsearchBackend, EsConfig, mappings
from index.elastic import docs as D
from index.elastic import indices as I
from index.elastic.bulkload import post_line
from tests.es_node import run_folder, run_lock, run_lock_taken
from tests.index.backends import on_posts_v3, stored_posts, weibo_post

pytestmark = pytest.mark.es


def test_a_malformed_post_is_counted_and_every_other_post_of_the_upsert_is_written(es: ElasticsearchBackend) -> None:
    es.upsert_posts([weibo_post(str(i), "医保") for i in range(5)])
    batch = ([weibo_post(str(i), "医保 新") for i in range(5)] + [weibo_post("bad", "坏", comments="many")]
             + [weibo_post("lone", "半个字 \ud800")] + [weibo_post(str(i), "新") for i in range(10, 15)])
    with pytest.raises(StoreError, match=r"2 of 12 documents refused \(every other one was written\); first: weibo:"):
        es.upsert_posts(batch)
    texts = {pid: text for pid, (text, _, _) in stored_posts(es).items()}
    assert texts == {**{str(i): "医保 新" for i in range(5)}, **{str(i): "新" for i in range(10, 15)}}


def test_writes_queued_while_away_from_a_store_on_posts_v3_are_replayed_into_it(es: ElasticsearchBackend) -> None:
    """The spool keeps each action whole; the replay leaves out what the store's mapping lacks, as live writes do."""
    on_posts_v3(es)
    away = ElasticsearchBackend(EsConfig(url="http://127.0.0.1:9", prefix=es.prefix, spool=es.config.spool))
    away.writer.attempts, away.writer.backoff = 1, 0.01
    assert away.upsert_posts([weibo_post(str(i), "医保") for i in range(30)]).inserted == 30
    away.writer.spool.close()
    assert es.pending_writes() == 0 and es.writer.spool.rejected() == []
    assert sorted(stored_posts(es)) == sorted(str(i) for i in range(30))
    I.migrate(es.client, es.prefix, "posts")  # and once migrated, a replay writes `hit`
    away = ElasticsearchBackend(EsConfig(url="http://127.0.0.1:9", prefix=es.prefix, spool=es.config.spool))
    away.writer.attempts, away.writer.backoff = 1, 0.01
    away.upsert_posts([weibo_post("new", "医保")])
    away.writer.spool.close()
    assert es.pending_writes() == 0
    assert stored_posts(es)["new"] == ("医保", False, True)


def test_the_mapping_is_read_once_and_a_write_after_the_alias_moved_is_written_whole(
        es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is on v3; the writer read its mapping, then `index migrate posts` (another process) moved the
    alias before the write: the write lands in v4 without `hit`, seen in the bulk answer and written again whole."""
    on_posts_v3(es)
    reads, get_mapping = [], es.client.indices.get_mapping

    def counted(**kw: Any) -> Any:
        reads.append(kw)
        return get_mapping(**kw)

    monkeypatch.setattr(es.client.indices, "get_mapping", counted)
    for i in range(3):
        es.upsert_posts([weibo_post(f"a{i}", "医保")])
    assert reads == [{"index": es.index("posts")}]  # once, not once per batch
    other = ElasticsearchBackend(EsConfig(url=es.config.url, prefix=es.prefix, spool=es.config.spool + ".2"))
    other.migrate("posts")
    other.close()
    es.upsert_posts([weibo_post("b", "医保"), weibo_post("a0", "医保", is_pinned=True), weibo_post("a1", "医保 改")])
    assert stored_posts(es) == {"a0": ("医保", True, True), "a1": ("医保 改", False, True), "a2": ("医保", False, True),
                          "b": ("医保", False, True)}
    assert len(reads) == 2  # read again once the answer named another index


def unavailable(answer: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """A bulk answer with `items` turned into 503s, as for a shard not yet started."""
    for item in items:
        op = next(iter(item))
        item[op] = {"_index": item[op]["_index"], "_id": item[op]["_id"], "status": 503,
                    "error": {"type": "unavailable_shards_exception", "reason": "primary shard is not active"}}
        answer["errors"] = True
    return answer


@contextmanager
def bulk_answered(es: ElasticsearchBackend, answer: Callable[..., Any]) -> Iterator[None]:
    """While inside, each bulk request is answered by `answer(real_bulk, *args, **kw)` and the writer tries it
    twice, quickly; after, the real bulk is back and the writer may replay its spool at once (retry_now)."""
    es.writer.attempts, es.writer.backoff = 2, 0.01
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(es.client, "bulk", partial(answer, es.client.bulk))
        yield
    es.writer.retry_now()


def test_items_acknowledged_before_the_cluster_went_away_are_neither_queued_nor_counted_twice(
        es: ElasticsearchBackend) -> None:
    """The first request's answer has 503s for some items; the retry finds the cluster gone."""
    calls = []

    def flaky(bulk: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        calls.append(1)
        if len(calls) > 1:
            raise EsConnectionError("N/A", "gone", None)
        answer = bulk(*args, **kw)  # written; the last 4 answered 503 as a shard that is not yet started would
        return unavailable(answer, answer["items"][-4:])

    with bulk_answered(es, flaky):
        assert es.upsert_posts([weibo_post(str(i), "医保") for i in range(10)]).inserted == 10
        assert len(es.writer.spool) == 4
    assert es.pending_writes() == 0 and len(stored_posts(es)) == 10


def test_an_item_whose_shard_stays_unavailable_waits_in_the_spool(es: ElasticsearchBackend) -> None:
    def one_unavailable(bulk: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        answer = bulk(*args, **kw)
        one = [item for item in answer["items"] if next(iter(item.values()))["_id"] == "weibo:1"]
        if one:
            es.client.delete(index=es.index("posts"), id="weibo:1")  # not written after all
        return unavailable(answer, one)

    with bulk_answered(es, one_unavailable):
        assert es.upsert_posts([weibo_post(str(i), "医保") for i in range(3)]).inserted == 3
        assert len(es.writer.spool) == 1
    assert es.pending_writes() == 0 and sorted(stored_posts(es)) == ["0", "1", "2"]


@pytest.fixture
def red_posts(es: ElasticsearchBackend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The posts alias on a new index whose primary shard no node may hold (red, on the real node) until the test
    ends; the writer waits 1 s for a shard (its shard_wait and probe_wait), not 20 s and 5 s. Meanwhile the run's
    node lock is held: `scripts/es-node.sh start` (another worker's first Elasticsearch test) would take the red
    node for a hung one and restart it, and the red index, recovered from its data path, would keep it red."""
    es.writer.shard_wait = es.writer.probe_wait = "1s"
    with run_lock(run_folder(tmp_path_factory)):
        red = f"{es.prefix}-posts-red"
        settings = {**mappings.body("posts"), "settings": {**mappings.body("posts")["settings"],
                                                           "index.routing.allocation.require._name": "nowhere"}}
        es.client.indices.create(index=red, **settings, wait_for_active_shards="0")
        posts = I.current_index(es.client, es.prefix, "posts")
        es.client.indices.update_aliases(body={"actions": [{"remove": {"index": posts, "alias": es.index("posts")}},
                                                           {"add": {"index": red, "alias": es.index("posts")}}]})
        try:
            yield red
        finally:  # the alias back on the green index, so the store's close replays what waits there
            es.client.indices.delete(index=red)
            es.client.indices.put_alias(index=posts, name=es.index("posts"))


def test_an_index_whose_shard_stays_unavailable_holds_back_its_own_writes_only(
        es: ElasticsearchBackend, red_posts: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Real node, real 503s (unavailable_shards_exception): the posts index is red until its shard may be allocated.
    Its writes wait in the spool, in order; the accounts written meanwhile, or queued behind them while the
    cluster was away, are not held back by them. The product's own bulk requests, nothing injected."""
    assert run_lock_taken(run_folder(tmp_path_factory))  # no node start of the run while the node is red
    es.writer.offline_pause, es.writer.attempts, es.writer.backoff = 3600, 2, 0.01  # tried once, then not again
    assert es.upsert_posts([weibo_post("a", "医保 旧")]).inserted == 1
    assert es.writer.spool.targets() == [es.index("posts")]
    changes, new = D.account_update(Account(platform="weibo", account_id="2", name="号二"), datetime.now())
    es.writer.spool.push([{"_op_type": "update", "_index": es.index("accounts"), "_id": "weibo:2",
                           "doc": changes, "upsert": new}])  # queued after the post
    assert es.upsert_accounts([Account(platform="weibo", account_id="1", name="号")]).inserted == 1
    assert es.get_account("weibo", "1") is not None  # written, not queued behind the posts
    assert es.get_account("weibo", "2") is not None  # replayed before that write, the post left waiting
    es.upsert_posts([weibo_post("a", "医保 新"), weibo_post("b", "医保")])  # queued behind the first
    assert len(es.writer.spool) == 3
    es.writer.retry_now()
    es.client.indices.put_settings(index=red_posts, body={"index.routing.allocation.require._name": None})
    es.client.cluster.health(index=red_posts, wait_for_status="green", timeout="60s")
    assert es.pending_writes() == 0
    assert {pid: text for pid, (text, _, _) in stored_posts(es).items()} == {"a": "医保 新", "b": "医保"}


def test_an_index_still_red_is_tried_by_one_short_request_less_and_less_often(
        es: ElasticsearchBackend, red_posts: str) -> None:
    """Real node, red posts index. A live write waits shard_wait for its shard, its retry probe_wait (ES's default
    is a minute); a later try of the index is one request that waits probe_wait; each failed try doubles the
    pause before the next (the writer's clock is the test's)."""
    now, waits = [0.0], []  # the posts requests' shard wait
    es.writer.clock, es.writer.offline_pause, es.writer.shard_wait = (lambda: now[0]), 10.0, "2s"

    def noted(bulk: Callable[..., Any], **kw: Any) -> Any:
        if f'"{es.index("posts")}"' in kw["body"]:
            waits.append(kw.get("timeout"))
        return bulk(**kw)

    with bulk_answered(es, noted):
        es.upsert_posts([weibo_post("a", "医保")])
        assert waits == ["2s", "1s"]  # the writer's 2 attempts: the shard wait, then the probe's
        for now[0], tries in ((9.0, 2), (10.0, 3), (29.0, 3), (30.0, 4), (69.0, 4), (70.0, 5)):
            assert es.pending_writes() == 1 and len(waits) == tries, now[0]
    assert waits[2:] == ["1s"] * 3


def test_writes_the_cluster_takes_never_write_the_spool_file(es: ElasticsearchBackend,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each spool write is an fsync'd transaction: the common case must not pay one per chunk."""
    def no_push(actions: Any) -> int:
        raise AssertionError(f"queued {list(actions)}")

    monkeypatch.setattr(es.writer.spool, "push", no_push)
    assert es.upsert_posts([weibo_post(str(i), "医保") for i in range(3)]).inserted == 3
    assert es.upsert_accounts([Account(platform="weibo", account_id="1", name="号")]).inserted == 1


def test_a_replayed_action_refused_for_good_is_set_aside_not_dropped(es: ElasticsearchBackend) -> None:
    es.writer.spool.push([{"_op_type": "create", "_index": es.index("posts"), "_id": "weibo:bad",
                           **{**D.post_doc(weibo_post("bad", "坏")), "comments": "many"}},
                          {"_op_type": "create", "_index": es.index("posts"), "_id": "weibo:ok",
                           **D.post_doc(weibo_post("ok", "好"))}])
    assert es.pending_writes() == 0
    assert sorted(stored_posts(es)) == ["ok"]
    [(action, error)] = es.writer.spool.rejected()
    assert action["_id"] == "weibo:bad" and error["type"] == "mapper_parsing_exception"


def test_a_bulk_load_without_full_text_never_builds_the_hit_value(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_hit(shown: dict[str, Any]) -> str:
        raise AssertionError("hit built for a store that keeps no hit")

    monkeypatch.setattr(D, "hit_value", no_hit)
    action, doc = post_line(weibo_post("a", "医保"), full_text=False).splitlines()
    assert json.loads(action) == {"create": {"_id": "weibo:a"}}
    assert {"search", "hit"}.isdisjoint(json.loads(doc)) and json.loads(doc)["text"] == "医保" and "seq" in json.loads(doc)


def test_posts_that_exist_are_written_whole_when_reading_them_back_fails(es: ElasticsearchBackend) -> None:
    """The creates answered 409 (the posts exist), then the cluster went away before they were read back."""
    es.upsert_posts([weibo_post("a", "医保 旧"), weibo_post("b", "医保")])

    def gone(**kw: Any) -> Any:
        raise EsConnectionError("N/A", "gone", None)

    es.client.mget = gone  # type: ignore[method-assign]
    assert es.upsert_posts([weibo_post("a", "医保 新"), weibo_post("c", "医保")]).inserted == 1
    assert {pid: text for pid, (text, _, _) in stored_posts(es).items()} == {"a": "医保 新", "b": "医保", "c": "医保"}


def test_an_update_that_lost_a_race_with_another_writer_is_retried_then_reported(es: ElasticsearchBackend) -> None:
    """Two crawl processes updating one account: ES retries the update (retry_on_conflict); one still refused
    (409 on an update, not a create of an existing post) is a failure, not taken for 'already there'."""
    bodies = []

    def conflicting(bulk: Callable[..., Any], body: Any, *args: Any, **kw: Any) -> Any:
        bodies.append(body)
        answer = bulk(*args, body=body, **kw)
        item = answer["items"][0]
        item["update"] = {"_id": item["update"]["_id"], "status": 409,
                          "error": {"type": "version_conflict_engine_exception", "reason": "version conflict"}}
        answer["errors"] = True
        return answer

    refused = "1 of 2 writes failed; first: weibo:1: .*version_conflict"
    with bulk_answered(es, conflicting), pytest.raises(StoreError, match=refused):
        es.upsert_accounts([Account(platform="weibo", account_id=str(i), name=f"号{i}") for i in (1, 2)])
    assert all('"retry_on_conflict":5' in line for line in bodies[0].splitlines()[::2])
