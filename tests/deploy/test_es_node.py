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
    deadline = time.monotonic() + 60
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
        proc.wait(timeout=60)
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


def test_the_runs_own_node_is_left_alone_without_a_pytest_lock(
        tmp_path: Path, started: list[subprocess.Popen[bytes]]) -> None:
    # --basetemp=DIR: the run's folder holds no .lock, so it reads as an ended session's (review r12 N1); beside
    # it lie other runs' --basetemp folders and bench homes, lockless too (review r13 R13-2)
    root = tmp_path / "bases"
    own = fake_node(started, session(root, "pytest-7", None) / "es-node0")
    ended = fake_node(started, session(root, "pytest-6", None) / "es-node0")
    other_run = fake_node(started, session(root, "bt", None) / "es-node0")
    bench = fake_node(started, root / "bench" / "es-node")
    assert stop_stale_nodes(root, own=root / "pytest-7") == [root / "pytest-6" / "es-node0"]
    assert exited(ended) and own.poll() is None and other_run.poll() is None and bench.poll() is None


def test_sigterm_stops_the_node_then_interrupts_the_session(
        tmp_path: Path, started: list[subprocess.Popen[bytes]]) -> None:
    home = tmp_path / "es-node0"
    node = fake_node(started, home)
    before = signal.getsignal(signal.SIGTERM)
    with stopped_on_sigterm(home), pytest.raises(KeyboardInterrupt, match="was stopped"):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)  # the handler runs here
    assert exited(node) and signal.getsignal(signal.SIGTERM) == before


# A stand-in for `java`: serves /_cluster/health on -baseHttpPort + 1 for the cluster named on its command
# line (or FAKE_CLUSTER, to play another home's node), green or the colour in the file FAKE_COLOUR names,
# so `start` runs its real wait loop without Java.
FAKE_JAVA = """#!{python}
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
args = sys.argv[1:]
port = int(args[args.index("-baseHttpPort") + 1]) + 1
name = os.environ.get("FAKE_CLUSTER") or args[args.index("-clusterName") + 1]
colour = os.environ.get("FAKE_COLOUR")  # a file whose text is the colour to answer (else green)
class Health(BaseHTTPRequestHandler):
    def do_GET(self):
        status = open(colour).read().strip() if colour and os.path.exists(colour) else "green"
        body = json.dumps({{"cluster_name": name, "status": status}}, separators=(",", ":")).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
HTTPServer(("127.0.0.1", port), Health).serve_forever()
"""
# `cat` slowed down for the class path only: the launch then stays this script's own process (not yet
# java) for two seconds, as under `nice` on a busy machine.
SLOW_CAT = """#!/bin/sh
case "$1" in *classpath.txt) sleep 2 ;; esac
exec {cat} "$@"
"""


def fake_tools(tmp_path: Path, home: Path, slow_cat: bool = True) -> dict[str, str]:
    """PATH with the stand-in java (and the slow cat) first; a class path the script takes as resolved."""
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tools = [("java", FAKE_JAVA.format(python=sys.executable))]
    tools += [("cat", SLOW_CAT.format(cat=shutil.which("cat")))] if slow_cat else []
    for name, text in tools:
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    home.mkdir()
    (home / "classpath.txt").write_text(sys.executable)  # newer than the pom, every entry exists
    return {**os.environ, "ES_NODE_HOME": str(home), "PATH": f"{bin_dir}:{os.environ['PATH']}", "ES_NODE_WAIT": "8"}


def es_node(env: dict[str, str], command: str) -> subprocess.CompletedProcess[str]:
    script = Path(__file__).resolve().parents[2] / "scripts" / "es-node.sh"
    return subprocess.run(["bash", str(script), command], env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def test_start_waits_while_the_launch_has_not_yet_become_the_node(tmp_path: Path) -> None:
    env = fake_tools(tmp_path, tmp_path / "es-node")
    try:
        done = es_node(env, "start")
        assert done.returncode == 0, done.stderr  # the old loop said "node exited during start-up" here
        assert done.stdout.strip().splitlines()[-1].startswith("http://127.0.0.1:")
        assert es_node(env, "status").returncode == 0
    finally:
        assert "stopped pid" in es_node(env, "stop").stdout


def test_start_does_not_take_another_clusters_node_on_its_port_for_its_own(tmp_path: Path) -> None:
    env = {**fake_tools(tmp_path, tmp_path / "es-node", slow_cat=False), "FAKE_CLUSTER": "someone-elses-node"}
    try:
        done = es_node(env, "start")  # the old health check printed "started" and that node's URL
        assert done.returncode == 1 and "no cluster health after 8s" in done.stderr
        assert not (tmp_path / "es-node" / "pid").exists()  # its own launch was stopped
    finally:
        es_node(env, "stop")


def test_start_reuses_its_node_turned_red_instead_of_restarting_it(tmp_path: Path) -> None:
    """A red index (a test's, or a full disk's) keeps this home's node red; a restart would recover that index
    from the data path and never see yellow: `start` (another xdist worker's first Elasticsearch test) must
    not kill the node for it, but give it ES_NODE_WAIT and reuse it."""
    colour = tmp_path / "colour"
    env = {**fake_tools(tmp_path, tmp_path / "es-node", slow_cat=False), "FAKE_COLOUR": str(colour)}
    try:
        first = es_node(env, "start")
        assert first.returncode == 0, first.stderr
        pid = (tmp_path / "es-node" / "pid").read_text()
        colour.write_text("red")
        again = es_node({**env, "ES_NODE_WAIT": "2"}, "start")
        assert again.returncode == 0 and "still red after 2s: reused as it is" in again.stderr, again.stderr
        assert again.stdout.strip() == first.stdout.strip().splitlines()[-1]
        assert (tmp_path / "es-node" / "pid").read_text() == pid  # the same process, not a new one
    finally:
        assert "stopped pid" in es_node(env, "stop").stdout


RE_ENTER = """
import sys
from pathlib import Path
from tests.es_node import run_lock, run_lock_taken

folder = Path(sys.argv[1])

with run_lock(folder):
    with run_lock(folder):  # what the SIGTERM handler's release does while a test holds the lock
        pass
    print("inner left, still held:", run_lock_taken(folder))
print("outer left, still held:", run_lock_taken(folder))
"""


def test_the_run_lock_can_be_taken_again_by_its_holder_and_is_kept_until_the_outer_exit(tmp_path: Path) -> None:
    """Before, the inner take waited for the process's own lock forever (flock belongs to the open file)."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", RE_ENTER, str(tmp_path)], cwd=root, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["inner left, still held: True", "outer left, still held: False"]
