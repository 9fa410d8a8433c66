"""bench/node_threads.py: a node's CPU split by thread group, read from a JDK 17 thread dump."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from bench import node_threads as T

DUMP = '''2026-12-03 01:27:10
Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):

"C2 CompilerThread0" #14 daemon prio=9 os_prio=0 cpu=12590.27ms elapsed=66.75s tid=0x1 nid=0x2 waiting
"C1 CompilerThread0" #15 daemon prio=9 os_prio=0 cpu=2265.06ms elapsed=66.75s tid=0x1 nid=0x3 waiting
"elasticsearch[Node 1][search][T#1]" #60 daemon prio=5 os_prio=0 cpu=17.13ms elapsed=41.91s tid=0x1 nid=0x4 waiting
"elasticsearch[Node 1][transport_worker][T#2]" #31 daemon prio=5 os_prio=0 cpu=1326.96ms elapsed=58.68s tid=0x1
"elasticsearch[Node 1][write][T#1]" #55 daemon prio=5 os_prio=0 cpu=3451.78ms elapsed=41.99s tid=0x1 nid=0x6
"VM Thread" os_prio=0 cpu=1036.88ms elapsed=66.76s tid=0x1 nid=0x7 runnable
'''


def test_threads_are_grouped_by_what_they_do() -> None:
    assert T.group("elasticsearch[Node 1][search][T#3]") == "search"
    assert T.group("elasticsearch[Node 1][http_server_worker][T#1]") == "network"
    assert T.group("C2 CompilerThread1") == "jit"
    assert T.group("VM Thread") == "gc"
    assert T.group("elasticsearch[Node 1][management][T#1]") == "other"


def test_a_dump_is_summed_per_group_and_differences_are_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: "/usr/bin/jcmd")
    monkeypatch.setattr(T, "_is_jvm", lambda pid: True)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, DUMP, ""))
    before = T.snapshot(123)
    assert before == pytest.approx({"search": 17.13, "network": 1326.96, "jit": 14855.33, "gc": 1036.88,
                                    "other": 3451.78})
    after = {**before, "jit": before["jit"] + 200.0, "search": before["search"] + 100.0}
    assert T.since(before, after, 100) == "search 1.0, network 0.0, jit 2.0, gc 0.0, other 0.0 ms a request"
    assert T.since(None, after, 100) == ""
    assert T.snapshot(None) is None


@pytest.mark.es
def test_the_suites_node_gives_its_threads(es_url: str) -> None:
    """The node of this machine is found by its URL and split; a process that is no JVM gives no split."""
    from elasticsearch import Elasticsearch

    from bench.search_es import _local_pid

    with Elasticsearch(es_url) as client:
        pid = _local_pid(client, es_url)
    if pid is None and not os.environ.get("GOVWATCH_ES_NODE_HOME"):  # a cluster given from outside (es_node.py)
        pytest.skip("GOVWATCH_ES_URL names a node that is not one local process")
    assert pid is not None  # the node this session started is always one local process
    split = T.snapshot(pid) if shutil.which("jcmd") else None
    if split is not None:  # a JDK with jcmd (the suite's node runs on one; a bare JRE has none)
        assert split["jit"] > 0 and split["network"] > 0  # it compiled code and answered HTTP
    assert T.snapshot(os.getpid()) is None  # no JVM: not attached to (jcmd's SIGQUIT would end this process)


def test_major_page_faults_are_read_from_proc() -> None:
    faults = T.major_faults(os.getpid())
    assert faults is None or faults >= 0  # None only without /proc (not Linux)
    if os.path.exists("/proc/self/stat"):
        assert faults is not None
    assert T.major_faults(None) is None
