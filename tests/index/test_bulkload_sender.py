"""send_lines' sending thread with a fake client (no node): whatever stops the thread, the load
raises instead of returning a partial count."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import StoreError
from index.elastic.bulkload import send_lines

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
    assert send_lines(client, "posts", LINES, max_bytes=40) == 6  # type: ignore[arg-type]
    assert client.calls > 1  # several bodies


def test_errors_without_an_error_item_still_fail_the_load() -> None:
    client = FakeClient(ok=1, answer={"errors": True, "items": []})
    with pytest.raises(StoreError, match="posts: bulk load rejected 0 documents; first: \\(no error item"):
        send_lines(client, "posts", LINES, max_bytes=40)  # type: ignore[arg-type]


def test_a_failure_outside_the_bulk_call_is_raised_not_a_partial_count() -> None:
    client = FakeClient(ok=1, answer=None)  # None.get(...) fails in the sending thread, after one body
    with pytest.raises(StoreError, match="posts: bulk load stopped after [1-9] documents: AttributeError") as info:
        send_lines(client, "posts", LINES, max_bytes=40)  # type: ignore[arg-type]
    assert isinstance(info.value.__cause__, AttributeError)
