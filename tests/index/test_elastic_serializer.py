"""index/elastic/serializer.py: orjson in the client means the same JSON as the client's own serializer."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from elasticsearch.serializer import JSONSerializer

from index.elastic.connect import EsConfig, make_client
from index.elastic.serializer import OrjsonSerializer

BODIES = [
    {"query": {"match_phrase": {"search": {"query": "工作", "boost": 0.4137}}}, "size": 20, "from": 0,
     "sort": [{"_score": "desc"}, {"seq": "desc"}], "search_after": [12.5, 1796212772081176146, "weibo", "id\u3000"]},
    {"published_at": datetime(2026, 3, 1, 8, 30, 5, 120, tzinfo=UTC), "day": date(2026, 3, 1),
     "naive": datetime(2026, 3, 1, 8, 30), "id": uuid.UUID(int=7), "share": Decimal("0.25"), "ok": True, "none": None},
    [{"index": "p"}, {"size": 0, "track_total_hits": True, "terminate_after": 10001}],
]


@pytest.mark.parametrize("body", BODIES)
def test_bodies_mean_what_the_clients_json_makes_of_them(body: object) -> None:
    ours, theirs = OrjsonSerializer().dumps(body), JSONSerializer().dumps(body)
    assert json.loads(ours) == json.loads(theirs)


def test_answers_read_as_the_standard_library_reads_them() -> None:
    answer = json.dumps({"hits": {"hits": [{"_source": {"title": "通知", "text": "ｆｕｌｌ\u3000width"}, "_score": 3.0517,
                                            "sort": [3.0517, 1796212772081176146]}]}, "took": 3}, ensure_ascii=False)
    assert OrjsonSerializer().loads(answer) == json.loads(answer)
    assert OrjsonSerializer().loads(answer.encode()) == json.loads(answer)


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    assert OrjsonSerializer().loads('{"v": NaN, "big": 123456789012345678901234567890}')["big"] == 123456789012345678901234567890
    assert json.loads(OrjsonSerializer().dumps({1: "int key"})) == {"1": "int key"}
    assert OrjsonSerializer().dumps('{"already": "a body"}') == '{"already": "a body"}'
    ndjson = b'{"create":{"_id":"a"}}\n{"t":"\xe5\xb7\xa5"}\n'  # send_lines' bulk bodies are bytes
    assert OrjsonSerializer().dumps(ndjson) == JSONSerializer().dumps(ndjson) == ndjson


def test_the_backend_client_uses_it() -> None:
    client = make_client(EsConfig(url="http://127.0.0.1:9"))
    assert isinstance(client.transport.serializer, OrjsonSerializer)
    assert isinstance(client.transport.deserializer.serializers["application/json"], OrjsonSerializer)


def test_model_objects_fail_as_before_and_a_non_finite_float_is_written_as_null() -> None:
    from dataclasses import dataclass
    from datetime import time

    from elasticsearch.exceptions import SerializationError

    @dataclass
    class Model:
        a: int

    for bad in ({"x": Model(1)}, {"t": time(8, 30)}):
        with pytest.raises(SerializationError):
            JSONSerializer().dumps(bad)
        with pytest.raises(SerializationError):
            OrjsonSerializer().dumps(bad)
    assert OrjsonSerializer().dumps({"b": float("nan")}) == '{"b":null}'  # the client wrote NaN (refused by ES)
