"""What the backend's part modules (search, writes, lookups …) use of ElasticsearchBackend.

Each part is handed the backend and annotates it with this protocol instead of importing
index/elastic/backend.py, which imports every part: the imports, type-only ones included,
form no circle (tests/test_layers.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from elasticsearch import Elasticsearch

from index.elastic.writer import BulkWriter, Outcome


class EsStore(Protocol):
    client: Elasticsearch
    writer: BulkWriter

    def index(self, name: str) -> str:
        """The index (alias) that holds one kind of document."""
        ...

    def fresh(self, *names: str) -> None:
        """Make this process's writes to `names` visible to searches."""
        ...

    def scan(self, name: str, sort: list[Any], query: dict[str, Any] | None = None,
             source: Any = True, page: int = 2000) -> Iterator[dict[str, Any]]:
        """Every matching document's _source in `sort` order."""
        ...

    def _write(self, name: str, actions: Iterable[dict[str, Any]], check: bool = True) -> list[Outcome]:
        """Write bulk actions (refused for a read-only store); check=False: refused ones are the caller's to report."""
        ...
