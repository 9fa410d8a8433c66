"""Where a local Elasticsearch node spends its CPU: per thread group, from `jcmd <pid> Thread.print`.

JDK 17's thread dump gives each thread's CPU time under its full name (/proc cuts names to 15
characters, so every Elasticsearch thread there reads "elasticsearch[N"). Grouped:

    search   the search pool (query and fetch phases)
    network  HTTP / transport workers (parsing requests, writing answers)
    jit      the JIT compiler threads (C1, C2): a node's first minutes compile its hot code
    gc       the VM thread and GC workers
    other    everything else (management, scheduler, refresh, ...)

A node on another machine (or without jcmd) gives no breakdown: snapshot() returns None.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

_THREAD = re.compile(r'^"(?P<name>[^"]+)".*?\bcpu=(?P<cpu>[0-9.]+)ms', re.M)
GROUPS = ("search", "network", "jit", "gc", "other")


def group(name: str) -> str:
    if "][search]" in name or "][search_throttled]" in name:
        return "search"
    if "_worker]" in name:  # http_server_worker, transport_worker
        return "network"
    if "CompilerThread" in name:
        return "jit"
    if name == "VM Thread" or "GC" in name or "G1 " in name:
        return "gc"
    return "other"


def snapshot(pid: int | None) -> dict[str, float] | None:
    """CPU ms so far per thread group of the JVM `pid` (threads ended since are not counted)."""
    if pid is None or not shutil.which("jcmd") or not _is_jvm(pid):
        return None
    try:
        dump = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    totals = dict.fromkeys(GROUPS, 0.0)
    for m in _THREAD.finditer(dump):
        totals[group(m["name"])] += float(m["cpu"])
    return totals if any(totals.values()) else None


def _is_jvm(pid: int) -> bool:
    """`pid` runs java: jcmd attaches by sending SIGQUIT, which ends any other process."""
    try:
        return Path(f"/proc/{pid}/exe").resolve().name == "java"
    except OSError:
        return False


def major_faults(pid: int | None) -> int | None:
    """The JVM's major page faults so far: reads of index files the page cache did not hold (None: unknown)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[9]) if pid else None
    except (OSError, IndexError, ValueError):
        return None


def since(before: dict[str, float] | None, after: dict[str, float] | None, requests: int) -> str:
    """'search 3.1, network 0.8, jit 1.2, gc 0.3, other 0.1 ms a request' between two snapshots ('' without)."""
    if not before or not after or not requests:
        return ""
    parts = [f"{g} {max(after[g] - before[g], 0.0) / requests:.1f}" for g in GROUPS]
    return ", ".join(parts) + " ms a request"
