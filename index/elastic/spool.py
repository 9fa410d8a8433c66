"""A durable local queue of bulk actions that could not reach the cluster.

Actions are kept in arrival order in a small SQLite file (synchronous=FULL: a queued action
survives a crash of this process) and replayed in that order before any newer write, so an
older version of a document can never overwrite a newer one. Each action is kept with the index
(alias) it is for, and the order that matters is kept per index: a document lives in one index, so
the actions of one index are replayed in order, and an index that cannot take writes (its shard
unavailable) holds back only its own (writer.py). Replays cannot duplicate: every action names its
document `_id`, and queued `create` actions are stored as `index`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.errors import StoreError
from index.sqlite_tx import switch_to_wal


class Spool:
    """Bulk actions waiting for the cluster, oldest first."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the Elasticsearch spool: {exc}") from exc
        self.lock = threading.Lock()
        switch_to_wal(self.db)  # two crawl processes may create one spool at once
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE IF NOT EXISTS spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, "
                        "target TEXT)")
        self._add_targets()
        # actions the cluster refused for good when replayed (a malformed document): kept to be looked at
        self.db.execute("CREATE TABLE IF NOT EXISTS rejected (seq INTEGER PRIMARY KEY, action TEXT NOT NULL, "
                        "error TEXT NOT NULL)")

    def _add_targets(self) -> None:
        """A spool written before actions were kept with their index: each row's index from its action."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")  # two processes may open an old spool at once
            if "target" not in {row[1] for row in self.db.execute("PRAGMA table_info(spool)")}:
                self.db.execute("ALTER TABLE spool ADD COLUMN target TEXT")
            self.db.execute("UPDATE spool SET target = json_extract(action, '$._index') WHERE target IS NULL")
            self.db.execute("CREATE INDEX IF NOT EXISTS spool_target ON spool (target, seq)")
            self.db.execute("COMMIT")

    def push(self, actions: Iterable[dict[str, Any]]) -> int:
        """Queue `actions` after everything already queued; returns how many were queued."""
        rows = [(_text(_replayable(a)), str(a["_index"])) for a in actions]
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT INTO spool (action, target) VALUES (?, ?)", rows)
            self.db.execute("COMMIT")
        return len(rows)

    def targets(self) -> list[str]:
        """The indices (aliases) that have actions queued, the one with the oldest action first."""
        with self.lock:
            rows = self.db.execute("SELECT target FROM spool GROUP BY target ORDER BY MIN(seq)").fetchall()
        return [row[0] for row in rows]

    def peek(self, limit: int = 500, target: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """The oldest `limit` queued actions (of the index `target`, or of all) with their sequence numbers."""
        where, args = ("WHERE target = ?", (target,)) if target is not None else ("", ())
        with self.lock:
            rows = self.db.execute(f"SELECT seq, action FROM spool {where} ORDER BY seq LIMIT ?",
                                   (*args, limit)).fetchall()
        return [(seq, json.loads(action)) for seq, action in rows]

    def drop_through(self, seq: int, rejected: Iterable[tuple[dict[str, Any], Any]] = (),
                     target: str | None = None) -> None:
        """Forget every action (of the index `target`, or of all) up to and including `seq` (they reached the
        cluster); the `rejected` ones (action, error) among them are set aside in one transaction with that."""
        rows = [(_text(a), _text(e)) for a, e in rejected]
        where, args = (" AND target = ?", (target,)) if target is not None else ("", ())
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT INTO rejected (action, error) VALUES (?, ?)", rows)
            self.db.execute(f"DELETE FROM spool WHERE seq <= ?{where}", (seq, *args))
            self.db.execute("COMMIT")

    def rejected(self) -> list[tuple[dict[str, Any], Any]]:
        """The actions refused for good when replayed, with the cluster's error, oldest first."""
        with self.lock:
            rows = self.db.execute("SELECT action, error FROM rejected ORDER BY seq").fetchall()
        return [(json.loads(action), json.loads(error)) for action, error in rows]

    def __len__(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT COUNT(*) FROM spool").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _text(value: Any) -> str:
    """`value` as JSON in UTF-8: Chinese text takes 3 bytes a character instead of 6 as a \\uXXXX escape.
    A lone surrogate (a document the cluster cannot take) has no UTF-8 form: that one is kept escaped.
    Both read back alike (json.loads), so spools written escaped before are replayed as they were."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, default=str)
    return text


def _replayable(action: dict[str, Any]) -> dict[str, Any]:
    # A replayed `create` of a document that did reach the cluster would fail with 409;
    # `index` of the same document is idempotent.
    if action.get("_op_type") == "create":
        return {**action, "_op_type": "index"}
    return action
