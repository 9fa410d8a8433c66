"""The impersonation index built once per registry version and kept on disk beside the store.

Building the Matcher over a large registry is computing every name's keys
(normalisation, pinyin, shapes, abbreviated forms) and indexing them. That
depends only on the registry, so it is done when the registry changes
(`govwatch registry import`, or the first audit after it) and loaded by every
later audit: a registry version is the hash of its entries in order.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

from audit.impersonation.matcher import Matcher
from core.models import RegistryEntry

log = logging.getLogger(__name__)
FORMAT = 2  # bump when NameKeys or the key functions change: old files are then ignored


def registry_version(entries: Iterable[RegistryEntry]) -> str:
    """Hash of what the index is built from: each entry's platform, id, name and owner, in order."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for e in entries:
        digest.update(f"{e.platform}\t{e.account_id}\t{e.name}\t{e.owner}\n".encode())
    return digest.hexdigest()[:24]


def cache_dir_for(sqlite_path: str) -> Path | None:
    """<store folder>/impersonation-index for a file store; None for an in-memory one."""
    return None if not sqlite_path or sqlite_path == ":memory:" else Path(sqlite_path).resolve().parent / "impersonation-index"


def load(directory: Path | None, version: str) -> tuple | None:
    """The index saved for this registry version, or None (no folder, no file, unreadable file)."""
    path = directory / f"{version}.pickle" if directory else None
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            state = pickle.load(handle)  # our own file, written by save() below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("impersonation index %s unreadable (%s): building it again", path, exc)
        return None
    return state if isinstance(state, tuple) else None


def save(directory: Path | None, version: str, state: tuple) -> None:
    """Write the index for this version (atomically) and drop the files of older versions."""
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{version}.{os.getpid()}.tmp"
        with tmp.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(directory / f"{version}.pickle")
        for old in directory.glob("*.pickle"):
            if old.stem != version:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only folder costs time, not correctness
        log.warning("impersonation index not saved in %s: %s", directory, exc)


def matcher_for(entries: list[RegistryEntry], directory: Path | None) -> Matcher:
    """The Matcher for these entries: its index loaded when saved for this version, else built and saved."""
    version = registry_version(entries)
    state = load(directory, version)
    if state is not None:
        return Matcher(entries, state=state)
    matcher = Matcher(entries)
    save(directory, version, matcher.state())
    return matcher
