"""Rate limits hold across API processes: two uvicorn servers on one keys file share each key's bucket."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_server() -> tuple[subprocess.Popen[str], str]:
    """`uvicorn search_api.app:app` on a free port, with this test's environment (store, keys, config)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:app", "--host", "127.0.0.1", "--port", "0",
         "--no-access-log"], cwd=ROOT, env=os.environ.copy(), stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # uvicorn names the port it bound on stderr; EOF means it died
        found = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
        if found:
            return proc, f"http://127.0.0.1:{found.group(1)}"
    proc.communicate(timeout=10)
    raise AssertionError(f"uvicorn did not start (exit {proc.returncode})")


@pytest.fixture
def two_servers(api_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    (api_env / "gw.toml").write_text("[api]\nrate_per_minute = 1\nrate_burst = 3\n", encoding="utf-8")
    monkeypatch.setenv("GOVWATCH_CONFIG", str(api_env / "gw.toml"))
    started: list[tuple[subprocess.Popen[str], str]] = []
    try:
        started = [start_server(), start_server()]
        yield [url for _, url in started]
    finally:
        for proc, _ in started:
            proc.terminate()
            try:
                proc.communicate(timeout=60)  # drains and closes its stderr pipe
            except subprocess.TimeoutExpired:  # not left running, nor the other one unstopped
                proc.kill()
                proc.communicate()


def test_a_key_gets_its_burst_once_across_two_servers(two_servers: list[str], keys: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {keys['viewer']}"}
    answers = [httpx.get(f"{two_servers[n % 2]}/accounts", headers=headers, timeout=30) for n in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]  # burst 3 in all, not 3 per server
    assert 50 <= int(answers[3].headers["retry-after"]) <= 60  # one token a minute
    other = {"Authorization": f"Bearer {keys['investigator']}"}
    assert httpx.get(f"{two_servers[1]}/accounts", headers=other, timeout=30).status_code == 200
