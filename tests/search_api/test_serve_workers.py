"""`govwatch serve` runs one worker process per core by default (--workers N to choose), each answering."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from govwatch.cli import main
from govwatch.commands.serve import default_workers

ROOT = Path(__file__).resolve().parents[2]


def workers(pid: int) -> list[int]:
    """uvicorn's worker processes under `pid` (Linux /proc): children started by multiprocessing's spawn_main,
    not its resource tracker."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat, command = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
            except OSError:  # ended meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
                out.append(int(entry.name))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answered(proc: subprocess.Popen[bytes], port: int, key: str) -> bool:
    """True once `govwatch serve` answers on `port`; False if it ended first (the port was taken).
    The answer must be ours: /health with govwatch's body, and this test's key accepted (it is only in this
    test's keys file, so another server on the port refuses it)."""
    deadline = time.monotonic() + 120  # a bound for a serve that stays up but never answers
    while proc.poll() is None:
        if time.monotonic() > deadline:
            pytest.fail("govwatch serve did not answer in 120 s")
        try:
            health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
            if health.status_code == 200 and health.json() == {"status": "ok"}:
                status = httpx.get(f"http://127.0.0.1:{port}/accounts", timeout=30,
                                   headers={"Authorization": f"Bearer {key}"}).status_code
                if status in (200, 401):
                    return status == 200
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts worker processes through Linux /proc")
def test_serve_starts_the_workers_asked_for_and_each_answers(api_env: Path, keys: dict[str, str]) -> None:
    for _ in range(5):  # the port is free when chosen, not when serve binds it: another one if it was taken
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "govwatch", "serve", "--port", str(port), "--workers", "2",
                                 "--log-level", "warning"], cwd=ROOT, env=os.environ.copy())
        if answered(proc, port, keys["viewer"]):
            break
        proc.terminate()  # another server's port: this one is given up
        proc.wait(timeout=30)
    else:
        pytest.fail("govwatch serve did not start on a free port in 5 tries")
    try:
        deadline = time.monotonic() + 120
        while len(workers(proc.pid)) < 2 and time.monotonic() < deadline:  # the second may still be starting
            time.sleep(0.3)
        assert len(workers(proc.pid)) == 2
        headers = {"Authorization": f"Bearer {keys['viewer']}"}
        with httpx.Client(headers=headers, timeout=30) as http:
            assert {http.get(f"http://127.0.0.1:{port}/posts", params={"q": "医保"}).status_code
                    for _ in range(6)} == {200}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert workers(proc.pid) == []


def test_the_default_is_one_worker_per_core_and_zero_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert default_workers() == len(os.sched_getaffinity(0))
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--workers", "0"])
    assert exit_.value.code == 2 and "--workers must be 1 or more, not 0" in capsys.readouterr().err
