"""The Elasticsearch node the test suite runs against (scripts/es-node.sh), once per session.

With GOVWATCH_ES_URL already set, that cluster is used and nothing is started; every index the
session created in it is deleted at the end (created_indices_dropped), since that node may be a
bench's or another person's and must not fill up with test indices. Otherwise the
node is started on first use and stopped at the end of the session, or on SIGTERM (a `timeout`
ending the run). A session killed outright leaves its node running: the next session that starts
one first stops the nodes of sessions that are gone (stop_stale_nodes). A machine without Java
skips the Elasticsearch tests with the reason; with CI=true a node that cannot start fails them.

Under pytest-xdist (`-n 2`) the workers share one node: it lives in the run's folder (the controller's
numbered session folder, which holds each worker's popen-gwN), is started by the first worker that
needs it under a file lock, and is stopped by the last worker that used it (a count beside it). Each
test's indices have a prefix of their own, so tests on both workers use it at once; a test that kills
its node gets one of its own there (node_to_kill).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ops.liveness import process_exists
from tests.paths import ROOT

if TYPE_CHECKING:  # imported where used: a build without the Elasticsearch client still collects
    from index.elastic import ElasticsearchBackend

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


def session_alive(session: Path) -> bool:
    """Is the pytest session that made this numbered folder (pytest-N) still running?

    pytest writes its pid in the folder's .lock and removes it at a normal exit, so a lock naming a
    process that is gone (or no pytest) is a killed session; no lock is a session that ended.
    """
    try:
        pid = int((session / ".lock").read_text())
    except (OSError, ValueError):
        return False
    if not process_exists(pid):
        return False
    return pytest_process(pid)


def pytest_process(pid: int) -> bool:
    """Does `pid` run pytest: its command line names pytest, or its parent's does (a pytest-xdist
    worker's command line is execnet's)?"""
    try:
        if b"pytest" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return True
        parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        return b"pytest" in Path(f"/proc/{parent}/cmdline").read_bytes()
    except OSError:  # no /proc here: the pid exists, take it for the session
        return not Path("/proc/self").exists()


def stop_stale_nodes(root: Path, own: Path | None = None) -> list[Path]:
    """Stop the nodes earlier sessions under `root` (pytest's folder of numbered session folders)
    started and left running; their homes. A node of a session still running (another checkout's
    tests on this machine) is left alone, and so is every node in `own`, this run's folder: under
    `--basetemp` it has no pytest lock naming this session, yet another worker may already use its node.
    Only pytest's numbered folders (pytest-N) are read: beside a `--basetemp` folder lie other runs' and
    benches' homes, which hold no lock either."""
    stopped = []
    for pidfile in sorted(root.glob("pytest-*/es-node*/pid")):
        home = pidfile.parent
        if own is not None and home.parent.resolve() == own.resolve():
            continue
        if not session_alive(home.parent) and "stopped pid" in run_script(home, "stop", timeout=60).stdout:
            stopped.append(home)
    return stopped


@contextmanager
def stopped_on_sigterm(home: Path, stop: Callable[[], object] | None = None) -> Iterator[None]:
    """While inside: SIGTERM stops the node in `home` (or calls `stop`: a worker's release of the node it
    shares), then interrupts the session as Ctrl-C would (pytest then tears down what else it started)."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def on_term(signum: int, frame: object) -> None:
        if stop is None:
            run_script(home, "stop", timeout=60)
            raise KeyboardInterrupt(f"SIGTERM: the Elasticsearch node in {home} was stopped")
        stop()
        raise KeyboardInterrupt(f"SIGTERM: the Elasticsearch node in {home} was released (stopped unless another worker uses it)")

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the whole run: the session's base temp folder, or under pytest-xdist the
    controller's (each worker's own is popen-gwN inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def run_lock(folder: Path) -> Iterator[None]:
    """One process of the run at a time (the workers of one pytest-xdist run) while inside.

    Re-entrant within a process: flock belongs to the open file, so a second flock from the process that
    holds it (the SIGTERM handler's release while a test holds the lock) would wait for itself forever."""
    key = folder.resolve()
    if key in _HELD:
        yield
        return
    with open(folder / "es-node.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
            fcntl.flock(handle, fcntl.LOCK_UN)


_HELD: set[Path] = set()  # run folders whose lock this process holds (run_lock)


def run_lock_taken(folder: Path) -> bool:
    """Whether the run's node lock is held now, by another process or by this one's run_lock (a new open file
    is another holder to flock)."""
    with open(folder / "es-node.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def count_users(folder: Path, change: int) -> int:
    """Add `change` to the number of the run's processes using its node (inside run_lock); the new number."""
    counter = folder / "es-node.users"
    users = (int(counter.read_text()) if counter.exists() else 0) + change
    counter.write_text(str(users))
    return users


def es_url_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Body of the session fixture `es_url` (tests/conftest.py)."""
    preset = os.environ.get("GOVWATCH_ES_URL")
    if preset:
        with created_indices_dropped(preset):
            yield preset
        return
    folder = run_folder(tmp_path_factory)
    home = folder / "es-node0"
    with run_lock(folder):
        for stale in stop_stale_nodes(folder.parent, own=folder):
            print(f"stopped the Elasticsearch node a killed test session left running in {stale}")
        url = start_node(home)  # another worker's node of this run when it is running already
        count_users(folder, 1)
    os.environ["GOVWATCH_ES_URL"] = url
    os.environ["GOVWATCH_ES_NODE_HOME"] = str(home)
    released = False

    def release() -> None:  # once per process: on SIGTERM, or at the session's end
        nonlocal released
        if not released:
            released = True
            with run_lock(folder):
                if count_users(folder, -1) == 0:
                    run_script(home, "stop", timeout=60)

    try:
        with stopped_on_sigterm(home, release):
            yield url
    finally:
        os.environ.pop("GOVWATCH_ES_URL", None)
        os.environ.pop("GOVWATCH_ES_NODE_HOME", None)
        release()


def node_to_kill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Body of the fixture `node_to_kill`: (URL, home) of a node a test may kill and restart. The
    session's node in a serial run; under pytest-xdist a node of the test's own, since the other
    worker's tests use the session's node meanwhile."""
    session_home = os.environ.get("GOVWATCH_ES_NODE_HOME")
    if not session_home:
        pytest.skip("needs the node this test session started (GOVWATCH_ES_URL was given from outside)")
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield os.environ["GOVWATCH_ES_URL"], Path(session_home)
        return
    # in the run's folder, where the next session's stop_stale_nodes finds it if this one is killed
    home = run_folder(tmp_path_factory) / f"es-node-own-{os.environ['PYTEST_XDIST_WORKER']}"
    try:
        with stopped_on_sigterm(home):
            yield start_node(home), home
    finally:
        run_script(home, "stop", timeout=60)


@contextmanager
def created_indices_dropped(url: str) -> Iterator[list[str]]:
    """While inside, note every index this process creates (index.elastic.indices, also for a migration);
    at the end delete those still there. Indices that existed before are never touched."""
    from index.elastic import indices as I  # here: a build without the Elasticsearch client still collects

    created: list[str] = []
    create = I._create

    def noted(client: Any, index: str, name: str) -> None:
        create(client, index, name)
        created.append(index)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(I, "_create", noted)
        try:
            yield created
        finally:
            drop_indices(url, created)


def drop_indices(url: str, names: list[str], chunk: int = 50) -> None:
    """Delete the indices `names` (those still there), a few dozen per request: one cluster update each."""
    from index.elastic.connect import EsConfig, make_client

    client = make_client(EsConfig(url=url, timeout=120))
    try:
        for start in range(0, len(names), chunk):
            client.indices.delete(index=",".join(names[start:start + chunk]), ignore_unavailable=True)
    finally:
        client.close()


@contextmanager
def es_store(url: str, tmp_path: Path) -> Iterator[ElasticsearchBackend]:
    """A set-up ElasticsearchBackend on a fresh index prefix of the suite's node; at the end every index
    under its prefix is dropped, those a migration left behind (write-blocked) and made by hand too."""
    from index.elastic import test_backend

    store = test_backend(url, tmp_path)
    store.setup()
    try:
        yield store
    finally:
        try:
            store.close()  # first: its last replay of the spool must not make an index anew under a deleted alias
        finally:  # even when the close fails (its replay or refresh)
            drop_prefix(url, store.prefix)


def drop_prefix(url: str, prefix: str) -> None:
    """Delete every index named `<prefix>-…`, by name: a wildcard delete is refused where
    action.destructive_requires_name is on (Elasticsearch 8's default)."""
    from index.elastic.connect import EsConfig, make_client

    client = make_client(EsConfig(url=url, timeout=120))
    try:
        names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True))
    finally:
        client.close()
    drop_indices(url, names)
