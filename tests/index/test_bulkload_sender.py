"""send_lines' sending thread with a fake client (no node): whatever stops the thread, the load
raises instead of returning a partial count; each request waits the store's shard wait."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.errors import StoreError
from index.elastic import ElasticsearchBackend, EsConfig
from index.elastic.bulkload import send_lines

NOWHERE = "http://127.0.0.1:9"  # nothing listens: every request is answered by the test's fake

LINES = [f'{{"create":{{"_id":"p{i}"}}}}\n{{"n":{i}}}\n' for i in range(6)]


class FakeClient:
    """Answers bulk requests from a list: the first `ok` bodies succeed, then `answer` comes back."""

    def __init__(self, ok: int, answer: Any) -> None:
        self.ok, self.answer, self.calls = ok, answer, 0

    def bulk(self, **_: Any) -> Any:
        self.calls += 1
        return {"errors": False} if self.calls <= self.ok else self.answer


def test_all_bodies_accepted_counts_every_document() -> None:
    client = FakeClient(ok=10, answer=None)
    assert send_lines(client, "posts", LINES, max_bytes=40, shard_wait="1s") == 6  # type: ignore[arg-type]
    assert client.calls > 1  # several bodies


def test_errors_without_an_error_item_still_fail_the_load() -> None:
    client = FakeClient(ok=1, answer={"errors": True, "items": []})
    with pytest.raises(StoreError, match="posts: bulk load rejected 0 documents; first: \\(no error item"):
        send_lines(client, "posts", LINES, max_bytes=40, shard_wait="1s")  # type: ignore[arg-type]


def test_a_failure_outside_the_bulk_call_is_raised_not_a_partial_count() -> None:
    client = FakeClient(ok=1, answer=None)  # None.get(...) fails in the sending thread, after one body
    with pytest.raises(StoreError, match="posts: bulk load stopped after [1-9] documents: AttributeError") as info:
        send_lines(client, "posts", LINES, max_bytes=40, shard_wait="1s")  # type: ignore[arg-type]
    assert isinstance(info.value.__cause__, AttributeError)


def test_every_bulk_request_of_a_load_carries_the_stores_shard_wait(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """As the writer's requests do (test_writer_fake_bulk.py): a red index's items answer 503 before the client
    gives up on the whole request. Faked under the real client, so what is checked is the request it sends."""
    store = ElasticsearchBackend(EsConfig(url=NOWHERE, spool=str(tmp_path / "spool.db")))
    requests: list[tuple[str, str, dict[str, Any]]] = []

    def perform_request(method: str, url: str, params: Any = None, **_: Any) -> Any:
        requests.append((method, url, dict(params or {})))
        return {"errors": False}

    monkeypatch.setattr(store.client.transport, "perform_request", perform_request)
    try:
        wait = store.writer.shard_wait
        assert send_lines(store.client, store.index("posts"), LINES, max_bytes=40, shard_wait=wait) == 6
    finally:
        store.writer.spool.close()
    assert len(requests) > 1  # several bodies, each with the wait
    assert {(method, url) for method, url, _ in requests} == {("POST", f"/{store.index('posts')}/_bulk")}
    assert [params.get("timeout") for *_, params in requests] == [wait.encode()] * len(requests)  # the client encodes it
