"""Content-addressed evidence files beside the data, indexed in a small SQLite file of their own.

    evidence/
      index.db                    which URL / subject was fetched when, and which blob holds the bytes
      objects/ab/abcdef….gz       raw response bytes (or a PNG screenshot), gzip, named by SHA-256

The same bytes fetched a thousand times are one file. Not part of the
Backend protocol, so it works the same whether the store is SQLite or
Elasticsearch. `prune` drops index rows older than the retention and the
files no row refers to any more.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.config import Settings, section
from core.errors import ConfigError
from index.sqlite_tx import switch_to_wal

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, url TEXT NOT NULL, subject TEXT NOT NULL,
  fetched_at TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, status INTEGER,
  content_type TEXT, rendered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS snapshots_url ON snapshots (url, fetched_at);
CREATE INDEX IF NOT EXISTS snapshots_subject ON snapshots (subject, fetched_at);
CREATE INDEX IF NOT EXISTS snapshots_sha ON snapshots (sha256);
"""
# A snapshot's identity: the same batch written twice (a writer process that died after its commit, so
# crawler/sidecar.py's Delegate wrote it again here) is one row. A store made before it had the key may
# hold such doubles: the oldest row of each is kept, then the key is added (`_add_identity`).
IDENTITY = "CREATE UNIQUE INDEX snapshots_identity ON snapshots (kind, url, subject, fetched_at, sha256)"
INSERT = ("INSERT OR IGNORE INTO snapshots (kind, url, subject, fetched_at, sha256, size, status, content_type, "
          "rendered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
DEFAULT_RETENTION_DAYS = 365
MAX_BYTES = 10 * 1024 * 1024  # a bigger response is recorded by hash only, not kept


@dataclass(frozen=True)
class Snapshot:
    """One stored response (kind "response") or screenshot (kind "screenshot")."""

    id: int
    kind: str
    url: str
    subject: str  # "platform:account_id" for account sources, the URL for pages
    fetched_at: datetime
    sha256: str
    size: int
    status: int | None
    content_type: str
    rendered: bool  # the body is what a browser rendered (JavaScript pages)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "url": self.url, "subject": self.subject,
                "fetched_at": self.fetched_at.isoformat(sep=" "), "sha256": self.sha256, "size": self.size,
                "status": self.status, "content_type": self.content_type, "rendered": self.rendered}


class EvidenceStore:
    """Snapshots and screenshots for findings; safe to use from several threads and processes."""

    def __init__(self, root: str | os.PathLike[str], retention_days: int = DEFAULT_RETENTION_DAYS):
        self.root = Path(root)
        self.retention = timedelta(days=retention_days)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.root / "index.db", timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        with self._lock, self.db:
            switch_to_wal(self.db)  # two crawl processes may create the evidence store at once
            # No fsync per snapshot (one per crawled response: 10+ ms each on a busy disk, most of a crawl's
            # time). WAL stays consistent; a power cut may lose the newest rows, as the unsynced blobs too.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        with self._lock, self.db:
            _add_identity(self.db)

    @classmethod
    def from_settings(cls, settings: Settings) -> EvidenceStore:
        """[evidence] dir (default: `evidence/` beside the SQLite store) and retention_days."""
        conf = section(settings, "evidence", ("dir", "retention_days", "screenshots"))
        root = conf.get("dir") or Path(settings.store.sqlite_path).parent / "evidence"
        days = conf.get("retention_days", DEFAULT_RETENTION_DAYS)
        if not isinstance(days, int) or days < 1:
            raise ConfigError(f"[evidence] retention_days must be a whole number of days ≥ 1, not {days!r}")
        return cls(root, days)

    def close(self) -> None:
        self.db.close()

    # writes -------------------------------------------------------------
    def put(self, url: str, body: bytes, fetched_at: datetime, *, subject: str = "", kind: str = "response",
            status: int | None = None, content_type: str = "", rendered: bool = False) -> Snapshot:
        """Record that `url` answered `body` at `fetched_at`; the bytes are written once per distinct content."""
        sha = hashlib.sha256(body).hexdigest()
        if len(body) <= MAX_BYTES:
            self._write_object(sha, body)
        row = (kind, url, subject or url, fetched_at.isoformat(sep=" "), sha, len(body), status, content_type,
               int(rendered))
        with self._lock, self.db:
            cur = self.db.execute(INSERT, row)
            snapshot_id = cur.lastrowid if cur.rowcount else self.db.execute(
                "SELECT id FROM snapshots WHERE kind = ? AND url = ? AND subject = ? AND fetched_at = ? "
                "AND sha256 = ?", row[:5]).fetchone()[0]  # recorded before: that row
        return Snapshot(snapshot_id or 0, kind, url, subject or url, fetched_at, sha, len(body), status,
                        content_type, rendered)

    def put_many(self, snapshots: list[dict[str, Any]]) -> int:
        """`put` for several responses (each a dict of put's arguments), their rows in one transaction.

        One commit per batch instead of per response: the crawl's evidence writer hands over whatever
        queued up while it was busy. Returns the number recorded, a snapshot already there included (a
        batch written again adds no row); an error writes none of the rows.
        """
        rows = []
        for snap in snapshots:
            body = snap["body"]
            sha = hashlib.sha256(body).hexdigest()
            if len(body) <= MAX_BYTES:
                self._write_object(sha, body)
            subject = snap.get("subject") or snap["url"]
            rows.append((snap.get("kind", "response"), snap["url"], subject, snap["fetched_at"].isoformat(sep=" "),
                         sha, len(body), snap.get("status"), snap.get("content_type", ""),
                         int(snap.get("rendered", False))))  # fmt: skip
        with self._lock, self.db:
            self.db.executemany(INSERT, rows)
        return len(rows)

    def _write_object(self, sha: str, body: bytes) -> None:
        path = self.object_path(sha)
        if path.exists():
            return  # same content already kept: deduplicated
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(gzip.compress(body, compresslevel=6, mtime=0))
        os.replace(tmp, path)  # atomic: a reader never sees half a file

    def prune(self, now: datetime) -> tuple[int, int]:
        """Forget snapshots older than the retention, then delete unreferenced files: (rows, files) removed."""
        cutoff = (now - self.retention).isoformat(sep=" ")
        with self._lock, self.db:
            rows = self.db.execute("DELETE FROM snapshots WHERE fetched_at < ?", (cutoff,)).rowcount
            kept = {r[0] for r in self.db.execute("SELECT DISTINCT sha256 FROM snapshots")}
        files = 0
        for path in (self.root / "objects").glob("*/*.gz"):
            if path.name.removesuffix(".gz") not in kept:
                path.unlink(missing_ok=True)
                files += 1
        return rows, files

    # reads --------------------------------------------------------------
    def object_path(self, sha: str) -> Path:
        return self.root / "objects" / sha[:2] / f"{sha}.gz"

    def read(self, sha: str) -> bytes | None:
        """The raw bytes of a blob, or None when it was pruned, never kept, or `sha` is not a hash."""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            return None
        path = self.object_path(sha)
        return gzip.decompress(path.read_bytes()) if path.exists() else None

    def find(self, *, url: str | None = None, subject: str | None = None, kind: str | None = None,
             until: datetime | None = None, limit: int = 20) -> list[Snapshot]:
        """Snapshots of a URL or subject, newest first, fetched at or before `until` when given."""
        where, args = [], []
        for clause, value in (("url = ?", url), ("subject = ?", subject), ("kind = ?", kind),
                              ("fetched_at <= ?", until.isoformat(sep=" ") if until else None)):
            if value is not None:
                where.append(clause)
                args.append(value)
        sql = "SELECT * FROM snapshots" + (" WHERE " + " AND ".join(where) if where else "")
        with self._lock:
            rows = self.db.execute(sql + " ORDER BY fetched_at DESC, id DESC LIMIT ?", (*args, limit)).fetchall()
        return [_snapshot(r) for r in rows]

    def rendered_latest(self, limit: int) -> list[Snapshot]:
        """The newest browser-rendered snapshot of each URL."""
        with self._lock:
            rows = self.db.execute(
                "SELECT * FROM snapshots WHERE id IN (SELECT MAX(id) FROM snapshots WHERE kind = 'response' "
                "AND rendered = 1 GROUP BY url) ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_snapshot(r) for r in rows]

    def find_by_sha(self, sha: str) -> Snapshot | None:
        """The newest snapshot holding these bytes (for their content type)."""
        with self._lock:
            row = self.db.execute("SELECT * FROM snapshots WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                                  (sha,)).fetchone()
        return _snapshot(row) if row else None

    def get(self, snapshot_id: int) -> Snapshot | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
        return _snapshot(row) if row else None


def _add_identity(db: sqlite3.Connection) -> None:
    """Migrate a store made without the snapshots' identity key: drop its doubles, then add the key."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'snapshots_identity'").fetchone():
        return
    db.execute("BEGIN IMMEDIATE")  # another process migrating at the same time waits, then finds the key
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'snapshots_identity'").fetchone():
        return
    db.execute("DELETE FROM snapshots WHERE id NOT IN (SELECT MIN(id) FROM snapshots "
               "GROUP BY kind, url, subject, fetched_at, sha256)")
    db.execute(IDENTITY)


def _snapshot(r: sqlite3.Row) -> Snapshot:
    return Snapshot(r["id"], r["kind"], r["url"], r["subject"], datetime.fromisoformat(r["fetched_at"]),
                    r["sha256"], r["size"], r["status"], r["content_type"] or "", bool(r["rendered"]))
