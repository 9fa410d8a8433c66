"""The Elasticsearch node the test suite runs against (scripts/es-node.sh), once per session.

With GOVWATCH_ES_URL already set, that cluster is used and nothing is started. Otherwise the
node is started on first use and stopped at the end of the session. A machine without Java
skips the Elasticsearch tests with the reason; with CI=true a node that cannot start fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import ROOT

SCRIPT = ROOT / "scripts" / "es-node.sh"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and the Elasticsearch node is unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def node_env(home: Path) -> dict[str, str]:
    """The environment scripts/es-node.sh runs with for the node whose state lives in `home`."""
    return {**os.environ, "ES_NODE_HOME": str(home)}


def run_script(home: Path, command: str, timeout: float = 400) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), command], env=node_env(home), capture_output=True, text=True,
                          timeout=timeout, check=False)


def start_node(home: Path) -> str:
    """Start (or find running) the node in `home`; its URL, or a skip/failure saying why not."""
    if not shutil.which("java"):
        _unavailable("Elasticsearch tests need Java 17 (scripts/setup.sh installs openjdk-17-jre-headless)")
    done = run_script(home, "start")
    if done.returncode != 0:
        _unavailable(f"scripts/es-node.sh start failed: {done.stderr.strip()[-800:]}")
    return done.stdout.strip().splitlines()[-1]


def es_url_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Body of the session fixture `es_url` (tests/conftest.py)."""
    preset = os.environ.get("GOVWATCH_ES_URL")
    if preset:
        yield preset
        return
    home = tmp_path_factory.mktemp("es-node")
    url = start_node(home)
    os.environ["GOVWATCH_ES_URL"] = url
    os.environ["GOVWATCH_ES_NODE_HOME"] = str(home)
    try:
        yield url
    finally:
        os.environ.pop("GOVWATCH_ES_URL", None)
        os.environ.pop("GOVWATCH_ES_NODE_HOME", None)
        run_script(home, "stop", timeout=60)
