"""`index migrate` on the real node while another process writes: nothing written during the move is lost."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import ConnectionError as EsConnectionError

from index.elastic import ElasticsearchBackend, test_backend
from index.elastic import indices as I
from tests.index.backends import on_posts_v3, stored_posts, weibo_post

pytestmark = pytest.mark.es


@contextmanager
def written_during_the_reindex(es: ElasticsearchBackend, write: Callable[[ElasticsearchBackend], object],
                               monkeypatch: pytest.MonkeyPatch) -> Iterator[ElasticsearchBackend]:
    """While inside, a migration's reindex is followed, before the switch, by `write(writer)`: writes of another
    process (the writer yielded) to the store, which go to the old index."""
    writer = test_backend(es.config.url, Path(es.config.spool).parent / "w")
    writer.prefix = es.prefix
    reindex = es.client.reindex

    def copy_then_write(**kw: Any) -> Any:
        answer = reindex(**kw)
        write(writer)
        return answer

    monkeypatch.setattr(es.client, "reindex", copy_then_write)
    try:
        yield writer
    finally:
        writer.close()


def test_posts_created_or_changed_while_migrate_copies_them_end_up_in_the_new_index(
        es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes go on to the old index during the reindex; those after the copy must not be lost, nor overwrite a
    write made to the new index after the switch."""
    on_posts_v3(es)
    es.upsert_posts([weibo_post("a", "医保 旧"), weibo_post("b", "医保"), weibo_post("c", "医保"),
                     weibo_post("d", "医保 旧")])

    def during(writer: ElasticsearchBackend) -> None:  # the alias still points to v3
        writer.upsert_posts([weibo_post("a", "医保 新"), weibo_post("b", "医保", is_pinned=True),
                             weibo_post("d", "医保 中"), weibo_post("e", "医保")])

    with written_during_the_reindex(es, during, monkeypatch) as writer:
        add_block = es.client.indices.add_block

        def switched_then_written(**kw: Any) -> Any:  # after the switch, before the catch-up: a write to v4
            writer.upsert_posts([weibo_post("d", "医保 最新")])
            return add_block(**kw)

        monkeypatch.setattr(es.client.indices, "add_block", switched_then_written)
        done = I.migrate(es.client, es.prefix, "posts")
    assert done["to"] == I.current_index(es.client, es.prefix, "posts") == f"{es.prefix}-posts-v4"
    assert stored_posts(es) == {"a": ("医保 新", False, True), "b": ("医保", True, True), "c": ("医保", False, True),
                                "d": ("医保 最新", False, True), "e": ("医保", False, True)}


def test_a_migrate_stopped_after_its_switch_finishes_its_catch_up_when_run_again(
        es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cluster went away during the catch-up: the alias is on v4 already, so a rerun without --force has
    nothing to reindex, yet must still copy what was written to v3 during the reindex."""
    on_posts_v3(es)
    es.upsert_posts([weibo_post("a", "医保 旧")])

    def gone(**kw: Any) -> Any:
        raise EsConnectionError("N/A", "gone", None)

    with written_during_the_reindex(es, lambda w: w.upsert_posts([weibo_post("a", "医保 新"), weibo_post("b", "医保")]),
                                    monkeypatch):
        monkeypatch.setattr(es.client, "mget", gone)  # the catch-up's first read of the new index
        with pytest.raises(EsConnectionError):
            I.migrate(es.client, es.prefix, "posts")
    monkeypatch.undo()
    assert I.current_index(es.client, es.prefix, "posts") == f"{es.prefix}-posts-v4"
    assert stored_posts(es) == {"a": ("医保 旧", False, True)}  # switched, not caught up
    again = I.migrate(es.client, es.prefix, "posts")
    assert (again["from"], again["to"], again["copied"], again["skipped"]) == (
        f"{es.prefix}-posts-v3", f"{es.prefix}-posts-v4", 2, False)
    assert stored_posts(es) == {"a": ("医保 新", False, True), "b": ("医保", False, True)}
    assert I.migrate(es.client, es.prefix, "posts")["skipped"]  # done: nothing left to do


def test_a_catch_up_whose_old_index_was_deleted_by_hand_is_given_up_with_a_warning(
        es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A migrate stopped after its switch, then the old index deleted by an operator: the next migrate says there
    is nothing to catch up from and clears the note, instead of failing on it (and every later one too)."""
    on_posts_v3(es)
    es.upsert_posts([weibo_post("a", "医保")])

    def gone(**kw: Any) -> Any:
        raise EsConnectionError("N/A", "gone", None)

    with written_during_the_reindex(es, lambda w: w.upsert_posts([weibo_post("b", "医保")]), monkeypatch):
        monkeypatch.setattr(es.client, "mget", gone)
        with pytest.raises(EsConnectionError):
            I.migrate(es.client, es.prefix, "posts")
    monkeypatch.undo()
    es.client.indices.delete(index=f"{es.prefix}-posts-v3")
    with caplog.at_level(logging.WARNING, logger="index.elastic.indices"):
        again = I.migrate(es.client, es.prefix, "posts")
    assert (again["from"], again["copied"], again["skipped"]) == (f"{es.prefix}-posts-v3", 0, False)
    assert f"{es.prefix}-posts-v3" in caplog.text and "is gone" in caplog.text
    assert I.migrate(es.client, es.prefix, "posts")["skipped"]  # the note was cleared
    assert stored_posts(es) == {"a": ("医保", False, True)}
