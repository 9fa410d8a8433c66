"""The files this test process holds open, to check that a component closed what it opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def open_files() -> set[str]:
    """Paths this process holds open (Linux /proc); skips the test elsewhere."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd to list open files")
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, already closed
            continue
    return found
