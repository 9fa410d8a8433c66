"""The impersonation index built once per registry version and kept on disk beside the store.

Building the Matcher over a large registry is computing every name's keys
(normalisation, pinyin, shapes, abbreviated forms) and indexing them. That
depends only on the registry, so it is done when the registry changes
(`govwatch registry import`, or the first audit after it) and opened by every
later audit: a registry version is the hash of its entries in order. The
index is an SQLite file (keyindex.DiskIndex): an audit reads only the keys
its checks look up, instead of unpickling every name's keys into memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from audit.impersonation.keyindex import DiskIndex, MemoryIndex, write_index
from audit.impersonation.matcher import Matcher
from core.models import RegistryEntry

log = logging.getLogger(__name__)
FORMAT = 6  # bump when NameKeys or the key functions change: old files are then ignored (6: form sets saved)


def registry_version(entries: Iterable[RegistryEntry]) -> str:
    """Hash of what the index is built from: each entry's platform, id, name and owner, in order."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for e in entries:
        digest.update(f"{e.platform}\t{e.account_id}\t{e.name}\t{e.owner}\n".encode())
    return digest.hexdigest()[:24]


def cache_dir_for(sqlite_path: str) -> Path | None:
    """<store folder>/impersonation-index for a file store; None for an in-memory one."""
    return None if not sqlite_path or sqlite_path == ":memory:" else Path(sqlite_path).resolve().parent / "impersonation-index"


def cache_dir_of(store: object) -> Path | None:
    """The index folder beside the file of the store in use; None for an in-memory store or one without a
    file (Elasticsearch). Not the configured path: a test auditing an in-memory store with the default
    config would otherwise write ./data/impersonation-index into the current directory."""
    path = getattr(store, "path", None)
    return cache_dir_for(path) if isinstance(path, str) else None


def load(directory: Path | None, version: str, entries: list[RegistryEntry]) -> DiskIndex | None:
    """The index saved for this registry version, or None (no folder, no file, unreadable file)."""
    path = directory / f"{version}.sqlite" if directory else None
    if path is None or not path.is_file():
        return None
    try:
        return DiskIndex(path, entries)
    except sqlite3.DatabaseError as exc:
        log.warning("impersonation index %s unreadable (%s): building it again", path, exc)
        return None


def save(directory: Path | None, version: str, index: MemoryIndex) -> None:
    """Write the index for this version (atomically) and drop the files of older versions."""
    if directory is None:
        return
    tmp = directory / f".{version}.{os.getpid()}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        write_index(tmp, index, version)
        tmp.replace(directory / f"{version}.sqlite")
        for old in [*directory.glob("*.sqlite"), *directory.glob("*.pickle")]:  # .pickle: format 2
            if old.stem != version:
                old.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:  # a read-only folder costs time, not correctness
        log.warning("impersonation index not saved in %s: %s", directory, exc)
        tmp.unlink(missing_ok=True)


def matcher_for(entries: list[RegistryEntry], directory: Path | None) -> Matcher:
    """The Matcher for these entries: its index opened when saved for this version, else built and saved."""
    version = registry_version(entries)
    saved = load(directory, version, entries)
    if saved is not None:
        return Matcher(entries, index=saved)
    matcher = Matcher(entries)
    if isinstance(matcher.index, MemoryIndex):
        save(directory, version, matcher.index)
    return matcher
