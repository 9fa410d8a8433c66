"""Index settings for a large load (a bench store, `index copy`), restored when it is done.

During a load nobody needs to search the new documents each second, nor an fsync per request:
- `refresh_interval: -1`: no new searchable segment every second (each one is merged later);
- `translog.durability: async`: the translog is fsynced every 5 s instead of per bulk request
  (a crash loses at most those seconds of the load, which is then run again);
- `number_of_replicas: 0`: no copy to write while loading;
- bigger bulk requests (BulkWriter.chunk), fewer round trips.
Afterwards the previous settings come back (null = the index default) and the indices are
refreshed, so what was loaded is searchable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.elastic.backend import ElasticsearchBackend

LOAD_SETTINGS = {"refresh_interval": "-1", "translog.durability": "async", "number_of_replicas": 0}
LOAD_CHUNK = 2000  # actions per bulk request while loading (about 1 MB of posts)


@contextmanager
def bulk_load(backend: ElasticsearchBackend, names: tuple[str, ...]) -> Iterator[None]:
    """Load settings on the indices `names` for the `with` block, the previous ones restored after."""
    indices = ",".join(backend.index(n) for n in names)
    found = backend.client.indices.get_settings(index=indices, name=[f"index.{k}" for k in LOAD_SETTINGS],
                                                flat_settings=True)
    before: dict[str, dict[str, Any]] = {
        index: {k: body["settings"].get(f"index.{k}") for k in LOAD_SETTINGS} for index, body in found.items()}
    chunk = backend.writer.chunk
    backend.client.indices.put_settings(index=indices, body={"index": LOAD_SETTINGS})
    backend.writer.chunk = max(chunk, LOAD_CHUNK)
    try:
        yield
    finally:
        backend.writer.chunk = chunk
        for index, settings in before.items():
            backend.client.indices.put_settings(index=index, body={"index": settings})
        backend.client.indices.refresh(index=indices)
