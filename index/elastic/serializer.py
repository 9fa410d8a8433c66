"""The client's JSON, through orjson: the same documents, at a fraction of the API's CPU.

Reading a search's answer (20 hits with their text) and writing its body took a good part of
the API's CPU per /posts with the standard library's json (the client's default serializer).
`OrjsonSerializer` is that serializer with orjson doing the work; anything orjson refuses
(NaN in an answer, an integer beyond 64 bits, a dict with non-string keys, a type it does not
know and the client's `default` cannot make plain) goes through the standard library's json as
before. Dataclasses and datetimes are passed to the client's `default`, as the client did (a
model object passed by mistake still fails). One difference is left: orjson writes a NaN or an
infinite float in a body as null, where the client wrote NaN (which Elasticsearch refuses), so
such a value is stored as missing instead of failing the write (tests/index/test_elastic_serializer.py).
A .venv without orjson (made before it was pinned; scripts/setup.sh installs it) logs so once and
uses the standard library.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

from elasticsearch.serializer import JSONSerializer

orjson: ModuleType | None
try:
    import orjson
except ImportError:  # a .venv made before orjson was pinned (scripts/setup.sh installs it): json as before
    orjson = None
    logging.getLogger(__name__).warning("orjson is not installed: the Elasticsearch client uses json (slower); "
                                        "run scripts/setup.sh")
_OPTIONS = (orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME) if orjson is not None else 0


class OrjsonSerializer(JSONSerializer):  # type: ignore[misc]  # the client's classes are untyped
    """JSONSerializer (mimetype application/json) whose loads and dumps use orjson."""

    def loads(self, s: str | bytes) -> Any:
        if orjson is not None:
            try:
                return orjson.loads(s)
            except orjson.JSONDecodeError:
                pass
        return super().loads(s if isinstance(s, str) else s.decode())

    def dumps(self, data: Any) -> Any:  # str, or the bytes it was given (typed str upstream, returns bytes too)
        if isinstance(data, str | bytes):  # a body already serialised, e.g. bulk NDJSON (as the client's own dumps)
            return data
        if orjson is not None:
            try:
                return str(orjson.dumps(data, default=self.default, option=_OPTIONS).decode())
            except TypeError:  # orjson.JSONEncodeError is a TypeError
                pass
        return str(super().dumps(data))  # never bytes: those were returned above
