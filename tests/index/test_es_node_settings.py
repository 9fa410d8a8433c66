"""The node scripts/es-node.sh starts for the tests counts breaker reservations, not the heap in use.

With -XX:+UseSerialGC the heap holds garbage until it fills; a real-memory parent breaker then refused a
reused 1 GiB node's requests with 429 "Data too large" on a second run of tests/index.
"""

from __future__ import annotations

import json
import os
import urllib.request

import pytest


def test_the_parent_breaker_of_the_started_node_counts_reservations(es_url: str) -> None:
    if not os.environ.get("GOVWATCH_ES_NODE_HOME"):
        pytest.skip("GOVWATCH_ES_URL names a node these tests did not start")
    with urllib.request.urlopen(f"{es_url}/_nodes/settings?filter_path=nodes.*.settings.indices", timeout=30) as answer:
        nodes = json.load(answer)["nodes"]
    assert [node["settings"]["indices"]["breaker"]["total"]["use_real_memory"] for node in nodes.values()] == ["false"]
