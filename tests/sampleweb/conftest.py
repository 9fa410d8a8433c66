"""A demo-scale world served once per module, and small HTTP helpers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime

import pytest

from sampleweb.server import SampleWeb
from sampleweb.world import World, generate

NOW = datetime(2026, 11, 23, 10, 0)


@pytest.fixture(scope="module")
def world() -> World:
    world = generate(seed=7, accounts=40, posts=30, now=NOW)
    world.rate_limit = False
    return world


@pytest.fixture(scope="module")
def web(world):
    with SampleWeb(world) as running:
        yield running


def fetch(web, path: str, user_agent: str = "") -> tuple[int, str, bytes, dict]:
    """(status, content type, body, headers) of GET base_url + path; HTTP errors are answers too."""
    headers = {"User-Agent": user_agent} if user_agent else {}
    request = urllib.request.Request(web.base_url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read(), dict(err.headers)


def fetch_json(web, path: str):
    status, ctype, body, _ = fetch(web, path)
    assert status == 200 and ctype.startswith("application/json"), (path, status, ctype)
    return json.loads(body)
