"""API keys (hashed) and the access log, in one small SQLite file beside the store.

A key is 32 random bytes shown once, when it is made; the file keeps only its
SHA-256. A slow password hash (bcrypt, argon2) guards guessable passwords; a
256-bit random key cannot be guessed, and a fast hash lets every request be
checked with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.errors import BadInputError
from search_api.access.keysfile import KeysFile

ROLES = ("viewer", "investigator", "admin")  # each role may do what the ones before it may
KEY_PREFIX = "gw_"
LOG_TEXT_MAX = 500  # characters of a logged query string: a log line must not hold megabytes

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS access_log (
    at TEXT NOT NULL, key_name TEXT NOT NULL, role TEXT NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, query TEXT NOT NULL, status INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_at ON access_log (at);
"""


@dataclass(frozen=True)
class ApiKey:
    """A key as stored: who holds it and what it may do (never the key itself)."""

    key_id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None

    def allows(self, role: str) -> bool:
        """True when this key's role is `role` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class AccessRecord:
    """One line of the access log."""

    at: str
    key_name: str
    role: str
    method: str
    path: str
    query: str
    status: int


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class KeyStore:
    """The keys file: add, list, revoke, authenticate; append to and read the access log."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = KeysFile(self.path)  # WAL, NORMAL sync: the access log's row per request costs no fsync
        with self._file.connection() as db:
            db.executescript(_SCHEMA)

    def close(self) -> None:
        self._file.close()

    def add(self, name: str, role: str) -> tuple[ApiKey, str]:
        """A new key for `name` with `role`: the stored record and the secret (shown only now)."""
        name = name.strip()
        if not name or len(name) > 100:
            raise BadInputError("a key needs a name of 1 to 100 characters", field="name")
        if role not in ROLES:
            raise BadInputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}", field="role")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(secrets.token_hex(4), name, role, _now())
        try:
            with self._file.connection() as db:
                db.execute(
                    "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)",
                    (key.key_id, key.name, key.role, hash_key(secret), key.created_at),
                )
        except sqlite3.IntegrityError as exc:
            raise BadInputError(f"a key named {name!r} exists already", field="name") from exc
        return key, secret

    def list(self) -> list[ApiKey]:
        """Every key, revoked ones included, oldest first."""
        with self._file.connection() as db:
            rows = db.execute(
                "SELECT key_id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at, name"
            ).fetchall()
        return [ApiKey(*row) for row in rows]

    def revoke(self, name_or_id: str) -> ApiKey:
        """Revoke the key with this name or id; the record stays for the access log."""
        with self._file.connection() as db:
            cur = db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE (name = ? OR key_id = ?) AND revoked_at IS NULL",
                (_now(), name_or_id, name_or_id),
            )
        if cur.rowcount == 0:
            raise BadInputError(f"no active key named {name_or_id!r}", field="name")
        return next(k for k in self.list() if name_or_id in (k.name, k.key_id))

    def authenticate(self, secret: str, wait: bool = True) -> ApiKey | None:
        """The active key whose secret this is, else None (``wait=False``: see keysfile.py)."""
        if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return None
        with self._file.connection(wait) as db:
            row = db.execute(
                "SELECT key_id, name, role, created_at, revoked_at FROM api_keys"
                " WHERE key_hash = ? AND revoked_at IS NULL",
                (hash_key(secret),),
            ).fetchone()
        return ApiKey(*row) if row else None

    def log(self, key: ApiKey, method: str, path: str, query: str, status: int, wait: bool = True) -> None:
        """Record who asked for what, and the answer's status (``wait=False``: see keysfile.py)."""
        with self._file.connection(wait) as db:
            db.execute(
                "INSERT INTO access_log VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_now(), key.name, key.role, method, path[:LOG_TEXT_MAX], query[:LOG_TEXT_MAX], status),
            )

    def access_log(self, limit: int = 100) -> Iterator[AccessRecord]:
        """The newest `limit` access-log lines, newest first."""
        with self._file.connection() as db:
            rows = db.execute(
                "SELECT * FROM access_log ORDER BY rowid DESC LIMIT ?", (limit,)
            ).fetchall()
        return (AccessRecord(*row) for row in rows)
