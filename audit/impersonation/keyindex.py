"""Where the Matcher looks its keys up: dicts in memory, or one SQLite file per registry version.

Both answer the same five questions — which entries carry an exact key, an
n-gram key, an account id, a normalised name, and what are the keys of a
name. `MemoryIndex` computes everything from the entries (a small registry,
a test, the first build); `DiskIndex` reads a file `write_index` made once
per registry version, so an audit neither recomputes pinyin for 88,000 names
nor holds their keys in memory: a check is a few indexed lookups, whose cost
does not grow with the registry.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from threading import Lock

from core.models import RegistryEntry
from core.names.forms import NameForms
from core.names.keys import NameKeys, exact_keys, gram_keys, name_keys, remember_form_sets

# One table of postings; the first letter says which question a key answers.
EXACT, GRAM, BY_ID, BY_NORM = "E", "G", "I", "N"
KEY_CACHE = 200_000  # NameKeys kept in memory by a DiskIndex, least recently used dropped first
POSTING_CACHE = 4_000_000  # entry ids (4 bytes each) of postings a DiskIndex keeps, least recently used dropped first


def id_key(platform: str, account_id: str) -> str:
    return f"{platform}\x1f{account_id}"


class MemoryIndex:
    """The postings of every key of `entries`, computed here (pypinyin is the slow part)."""

    def __init__(self, entries: Sequence[RegistryEntry], names: dict[str, NameKeys] | None = None):
        self.postings: dict[str, list[int]] = {}
        self.names: dict[str, NameKeys] = {} if names is None else names  # per distinct name and owner
        self.cores: list[str] = []  # decoration-free names, for the cheap similarity pre-filter
        for i, entry in enumerate(entries):
            self._add(i, entry)

    def _add(self, i: int, entry: RegistryEntry) -> None:
        keys = self.keys(entry.name)
        self.cores.append(keys.core)
        if not keys.norm:
            return  # a name of decorations only cannot be imitated
        if entry.account_id:
            self.postings.setdefault(BY_ID + id_key(entry.platform, entry.account_id), []).append(i)
        self.postings.setdefault(BY_NORM + keys.norm, []).append(i)
        found = exact_keys(keys)
        if entry.owner:
            found |= exact_keys(self.keys(entry.owner), owner=True)
        for key in found:
            self.postings.setdefault(EXACT + key, []).append(i)
        for key in gram_keys(keys):
            self.postings.setdefault(GRAM + key, []).append(i)

    def get(self, kind: str, key: str) -> Sequence[int]:
        return self.postings.get(kind + key, ())

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Sequence[int]]:
        """The postings of each of `keys` that has any."""
        return {k: self.postings[kind + k] for k in keys if kind + k in self.postings}

    def prefetch(self, raws: Iterable[str]) -> None:
        """Nothing to fetch: every name's keys are computed in memory on first use."""

    def keys(self, raw: str) -> NameKeys:
        found = self.names.get(raw)
        if found is None:
            found = self.names[raw] = name_keys(raw)
        return found

    def core(self, i: int) -> str:
        return self.cores[i]


class DiskIndex:
    """A MemoryIndex saved by write_index, read with indexed lookups (nothing loaded up front)."""

    def __init__(self, path: Path, entries: Sequence[RegistryEntry]):
        self.entries = entries
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        # the decoration-free names, for the pre-filter of every n-gram candidate (a few MB)
        self.cores: list[str] = [r[0] for r in self.db.execute("SELECT core FROM cores ORDER BY i")]
        if len(self.cores) != len(entries):
            raise sqlite3.DatabaseError(f"index holds {len(self.cores)} names, the registry {len(entries)}")
        self._lock = Lock()  # the API may check names from several threads
        self._keys: OrderedDict[str, NameKeys] = OrderedDict()
        # Postings asked for again: names share their n-grams (发布, 公安 …), so most of a check's
        # reads were of blobs an earlier check had read; kept up to POSTING_CACHE ids in all.
        self._postings: OrderedDict[str, Sequence[int]] = OrderedDict()
        self._cached_ids = 0

    def close(self) -> None:
        self.db.close()

    def get(self, kind: str, key: str) -> Sequence[int]:
        with self._lock:
            row = self.db.execute("SELECT ids FROM postings WHERE key=?", (kind + key,)).fetchone()
        if row is None:
            return ()
        ids = array("I")
        ids.frombytes(row[0])
        return ids

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Sequence[int]]:
        """The postings of each of `keys` that has any, in one query for those not cached."""
        out: dict[str, Sequence[int]] = {}
        wanted = []
        with self._lock:
            for k in keys:
                found = self._postings.get(kind + k)
                if found is None:
                    wanted.append(kind + k)
                else:
                    self._postings.move_to_end(kind + k)
                    if found:
                        out[k] = found
            if not wanted:
                return out
            rows = self.db.execute(f"SELECT key, ids FROM postings WHERE key IN ({','.join('?' * len(wanted))})",
                                   wanted).fetchall()
        read: dict[str, Sequence[int]] = dict.fromkeys(wanted, ())  # a key without postings is cached too
        for key, blob in rows:
            ids = array("I")
            ids.frombytes(blob)
            read[key] = out[key[len(kind):]] = ids
        with self._lock:
            for key, posting in read.items():
                if key not in self._postings:
                    self._postings[key] = posting
                    self._cached_ids += len(posting) + 1
            while self._cached_ids > POSTING_CACHE and self._postings:
                self._cached_ids -= len(self._postings.popitem(last=False)[1]) + 1
        return out

    def prefetch(self, raws: Iterable[str]) -> None:
        """Read the keys of the names among `raws` not in the cache yet, in one query (a check's short list)."""
        with self._lock:
            todo = [raw for raw in dict.fromkeys(raws) if raw not in self._keys]
            if not todo:
                return
            rows = self.db.execute(f"SELECT raw, keys FROM names WHERE raw IN ({','.join('?' * len(todo))})",
                                   todo).fetchall()
        found = [(raw, _unpack(text)) for raw, text in rows]
        with self._lock:
            for raw, keys in found:
                self._keys[raw] = keys
            while len(self._keys) > KEY_CACHE:
                self._keys.popitem(last=False)

    def keys(self, raw: str) -> NameKeys:
        with self._lock:  # the cache too: another thread's eviction between get and move_to_end raised
            found = self._keys.get(raw)
            if found is not None:
                self._keys.move_to_end(raw)
                return found
            row = self.db.execute("SELECT keys FROM names WHERE raw=?", (raw,)).fetchone()
        found = _unpack(row[0]) if row else name_keys(raw)
        with self._lock:
            self._keys[raw] = found
            if len(self._keys) > KEY_CACHE:
                self._keys.popitem(last=False)
        return found

    def core(self, i: int) -> str:
        return self.cores[i]


def write_index(path: Path, index: MemoryIndex, version: str) -> None:
    """Save `index` as an SQLite file at `path` (the caller renames it into place)."""
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta (version TEXT);"
            "CREATE TABLE postings (key TEXT PRIMARY KEY, ids BLOB) WITHOUT ROWID;"
            "CREATE TABLE names (raw TEXT PRIMARY KEY, keys TEXT) WITHOUT ROWID;"
            "CREATE TABLE cores (i INTEGER PRIMARY KEY, core TEXT);"
        )
        db.executemany("INSERT INTO cores VALUES (?, ?)", enumerate(index.cores))
        db.execute("INSERT INTO meta VALUES (?)", (version,))
        db.executemany("INSERT INTO postings VALUES (?, ?)",
                       ((k, array("I", ids).tobytes()) for k, ids in index.postings.items()))
        db.executemany("INSERT INTO names VALUES (?, ?)", _packed(index.names.items()))
        db.commit()
    finally:
        db.close()


def _packed(items: Iterable[tuple[str, NameKeys]]) -> Iterable[tuple[str, str]]:
    """NameKeys as plain JSON: a file must not depend on where the class lives (pickle would). The pinyin
    and shape keys of the abbreviated forms are saved too: computing them is most of a comparison's cost."""
    for raw, k in items:
        yield raw, json.dumps([k.raw, k.norm, k.core, k.pinyin, k.syllables, k.shape, k.forms.forms, k.forms.places,
                               sorted(k.form_pinyins), sorted(k.form_shapes)], ensure_ascii=False)


def _unpack(text: str) -> NameKeys:
    raw, norm, core, pinyin, syllables, shape, forms, places, form_pinyins, form_shapes = json.loads(text)
    remember_form_sets(tuple(forms), frozenset(form_pinyins), frozenset(form_shapes))
    return NameKeys(raw=raw, norm=norm, core=core, pinyin=pinyin, syllables=tuple(syllables), shape=shape,
                    forms=NameForms(tuple(forms), tuple((place, suffix) for place, suffix in places)))
