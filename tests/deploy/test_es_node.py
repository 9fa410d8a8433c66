"""scripts/es-node.sh and the test fixture's node: nodes left by killed sessions are stopped, nothing else is.

A stand-in process carries the node's command-line mark (-basePath HOME/data), so these run
without Java; tests/index run the real node.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.es_node import run_script, stop_stale_nodes, stopped_on_sigterm

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").is_file(), reason="reads processes from /proc")
SLEEP = "import time; time.sleep(300)"


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; any still running at the end is killed."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def launch(started: list[subprocess.Popen[bytes]], *args: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", SLEEP, *args], start_new_session=True)
    started.append(proc)
    deadline = time.monotonic() + 10
    while SLEEP.encode() not in Path(f"/proc/{proc.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
        time.sleep(0.02)  # until it runs python, not the fork of this process
    return proc


def fake_node(started: list[subprocess.Popen[bytes]], home: Path) -> subprocess.Popen[bytes]:
    """A process that looks like the node es-node.sh started in `home`, with its pid file."""
    home.mkdir(parents=True, exist_ok=True)
    proc = launch(started, "-basePath", f"{home}/data", "-clusterName", "govwatch-test")
    (home / "pid").write_text(f"{proc.pid}\n")
    return proc


def session(root: Path, name: str, pid: int | None) -> Path:
    """A pytest numbered session folder whose .lock names `pid` (None: no lock, the session ended)."""
    folder = root / name
    folder.mkdir(parents=True)
    if pid is not None:
        (folder / ".lock").write_text(str(pid))
    return folder


def exited(proc: subprocess.Popen[bytes]) -> bool:
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_stop_ends_this_homes_node_and_leaves_a_process_that_reused_its_pid(
        tmp_path: Path, started: list[subprocess.Popen[bytes]]) -> None:
    home = tmp_path / "es-node"
    home.mkdir()
    other = launch(started)  # the node is long gone and its pid now belongs to this program
    (home / "pid").write_text(f"{other.pid}\n")
    assert "not running" in run_script(home, "stop", timeout=60).stdout
    assert other.poll() is None
    node = fake_node(started, home)
    assert f"stopped pid {node.pid}" in run_script(home, "stop", timeout=60).stdout and exited(node)
    assert not (home / "pid").exists()


def test_nodes_of_killed_or_ended_sessions_are_stopped_and_a_running_sessions_node_is_not(
        tmp_path: Path, started: list[subprocess.Popen[bytes]]) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    root = tmp_path / "pytest-of-me"
    ended = fake_node(started, session(root, "pytest-2", None) / "es-node0")
    killed = fake_node(started, session(root, "pytest-3", int(gone.stdout)) / "es-node0")
    running = fake_node(started, session(root, "pytest-4", os.getpid()) / "es-node0")  # this session
    assert stop_stale_nodes(root) == [root / "pytest-2" / "es-node0", root / "pytest-3" / "es-node0"]
    assert exited(ended) and exited(killed) and running.poll() is None
    assert stop_stale_nodes(root) == []


def test_sigterm_stops_the_node_then_interrupts_the_session(
        tmp_path: Path, started: list[subprocess.Popen[bytes]]) -> None:
    home = tmp_path / "es-node0"
    node = fake_node(started, home)
    before = signal.getsignal(signal.SIGTERM)
    with stopped_on_sigterm(home), pytest.raises(KeyboardInterrupt, match="was stopped"):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)  # the handler runs here
    assert exited(node) and signal.getsignal(signal.SIGTERM) == before
