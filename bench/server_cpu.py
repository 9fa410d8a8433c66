"""CPU seconds of a server process and its workers (Linux /proc), for benches on a shared machine.

Wall latency on a busy machine says as much about the neighbours as about
the code; the server's own CPU time per request does not depend on them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.search_fresh import Mix

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # ended, or no /proc
        return None
    return text.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of `pid` and every live descendant (0.0 without /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for member in tree:
        fields = _stat(member)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICK


def wait_idle(pid: int, limit: float = 180.0, busy: float = 0.03) -> float:
    """Wait until the server tree uses under `busy` CPU seconds a second (its warm-up threads are done);
    the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = tree_cpu(pid)
        time.sleep(1.0)
        if tree_cpu(pid) - before < busy:
            break
    return time.monotonic() - started


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_per_class(base: str, secret: str, pid: int, mix: Mix, rounds: int) -> None:
    """Print the server's CPU ms per request of each class: one client, each path `rounds` times in a row
    (no other request meanwhile, so the tree's CPU is this path's; /proc counts in ticks, hence the rounds)."""
    import httpx

    print(f"server CPU per request, one client, {rounds} requests per path (load {load()}):")
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"}, timeout=120) as http:
        for cls, paths in mix.items():
            spent = 0.0
            for path in paths:  # a callable (a new- class) makes a never-seen path for every request
                http.get(path() if callable(path) else path)  # the first answer (its counts kept) is not timed
                before = tree_cpu(pid)
                for _ in range(rounds):
                    http.get(path() if callable(path) else path)
                spent += tree_cpu(pid) - before
            print(f"{cls:<12} {1000 * spent / (rounds * len(paths)):6.1f} ms")
