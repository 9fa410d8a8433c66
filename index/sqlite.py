"""SqliteBackend: the embedded default store (one file, FTS5 for Chinese full text).

Row mapping lives in sqlite_rows, post writes in sqlite_writes, search in
sqlite_query / sqlite_listing / sqlite_request / sqlite_filters, the audit's findings and
activity in sqlite_findings, streamed reads of posts and activity in sqlite_reads.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from core.errors import StoreError
from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry
from index import sqlite_schema as S
from index.base import (
    AccountActivity,
    AccountFilters,
    FindingFilters,
    FindingsDelta,
    PageQuery,
    PostQuery,
    SearchResult,
    WriteResult,
)
from index.query import parse
from index.sqlite_filters import page_filters, post_filters
from index.sqlite_findings import account_clauses, list_findings, save_findings
from index.sqlite_findings import accounts_for as _accounts_for
from index.sqlite_query import search
from index.sqlite_reads import activity, page_origins, post_accounts, posts_between
from index.sqlite_request import Request
from index.sqlite_rows import to_account, to_page, to_post, to_registry
from index.sqlite_stats import SearchStats
from index.sqlite_tx import BUSY_TIMEOUT_S, FileGuard, run_write
from index.sqlite_writes import batches, reindex, write_accounts, write_pages, write_posts, write_registry

T = TypeVar("T")

BATCH = 2000
READER_MMAP = 2 << 30  # readers map the file: the OS page cache is shared, not copied per connection
_PAGE_COLUMNS = ", ".join(f"p.{c}" for c in S.PAGE_COLUMNS if c != "html") + ", '' AS html"


class SqliteBackend:
    """Store in one SQLite file; one writer connection, one read-only connection per reading thread (WAL)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_S, read_only: bool = False):
        """`read_only` (the API): every connection is opened with mode=ro, so nothing can write."""
        self.path = str(path)
        self.read_only = read_only
        if read_only and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no SQLite store there to open read-only (crawl or run the demo first)")
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # timeout= is SQLite's busy timeout: a writer waits this long for another writer's lock
            self.db = sqlite3.connect(f"file:{quote(self.path)}?mode=ro" if read_only else self.path, uri=read_only,
                                      timeout=busy_timeout, check_same_thread=False, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            if not read_only:  # both are writes; a store opened read-only is already in WAL mode
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA temp_store=MEMORY")
            self.guard = FileGuard(self.path)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open SQLite store: {exc}") from exc
        version = self._meta("schema_version") if read_only else None
        if version not in (None, str(S.SCHEMA_VERSION)):
            self.db.close()  # its index lacks what this version's searches read (day tags): answers would be wrong
            raise StoreError(f"{self.path}: store has schema {version}, this govwatch reads schema "
                             f"{S.SCHEMA_VERSION}; run a govwatch command on it once (e.g. `govwatch search x`) to "
                             "re-index it")
        self.stats = SearchStats(warm_from=self.path if read_only else None)  # the API's: common words ahead
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    def reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (the writer's for an in-memory store).

        The API answers requests on a thread pool; one shared connection would
        serve them one at a time, so each thread reads through its own.
        """
        if self.path == ":memory:":
            return self.db
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{quote(self.path)}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA mmap_size={READER_MMAP}")
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def _write(self, work: Callable[[], T]) -> T:
        """Run `work` as one write transaction: lock taken up front, retried whole when busy (sqlite_tx)."""
        self.guard.check()
        try:
            result = run_write(self.db, work, self.path)
        finally:  # even a failed write: an in-memory store's searches saw its rows before the rollback
            self.stats.changed()
        self.guard.check()  # deleted meanwhile: what was just written went into an unlinked file
        return result

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One explicit write transaction, lock taken up front (no retry: prefer _write)."""
        if self.db.in_transaction:  # nested use joins the outer transaction
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:  # rolled back too: an in-memory store's searches saw the transaction's rows
            self.stats.changed()

    def setup(self) -> None:
        """Create or migrate the schema and the store's identity; writes only when something is missing."""
        if (self._meta("schema_version") == str(S.SCHEMA_VERSION) and self._meta("store_id")
                and S.activity_index_columns(self.db) == S.ACTIVITY_INDEX_COLUMNS):
            return  # readers (the API, a second crawl) need no write lock to open the store
        self._write(self._create_schema)

    def _create_schema(self) -> None:
        rebuild = S.migrate(self.db)
        for statement in S.DDL.split(";"):
            if statement.strip():
                self.db.execute(statement)
        if rebuild:
            reindex(self.db)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(S.SCHEMA_VERSION),))
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)", (uuid.uuid4().hex,))

    def _meta(self, key: str) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        except sqlite3.OperationalError:  # no meta table yet
            return None
        return row[0] if row else None

    def store_id(self) -> str:
        """The store's identity, made once at setup: crawl state recorded for another store is void."""
        value = self._meta("store_id")
        if not value:
            raise StoreError(f"{self.path}: the store has no identity (setup() not run, or the file was replaced)")
        return value

    def optimize(self) -> None:
        """After a bulk load: merge the full-text index's segments and give the planner statistics."""
        for table in ("posts_fts", "pages_fts"):
            self.db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        self.db.execute("ANALYZE")

    def close(self) -> None:
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self.db.close()

    # writes -------------------------------------------------------------
    def upsert_accounts(self, accounts: Iterable[Account]) -> WriteResult:
        batch = list(accounts)  # a retried transaction reads its input again
        return self._write(partial(write_accounts, self.db, batch, S.dt_out(datetime.now())))

    def upsert_posts(self, posts: Iterable[Post]) -> WriteResult:
        result = WriteResult()
        for batch in batches(posts, BATCH):
            result += self._write(partial(write_posts, self.db, batch))
        return result

    def upsert_pages(self, pages: Iterable[Page]) -> WriteResult:
        batch = list(pages)  # a retried transaction reads its input again
        return self._write(partial(write_pages, self.db, batch))

    def record_link_status(self, page_url: str, links: Iterable[Link]) -> None:
        now = S.dt_out(datetime.now())
        rows = [(page_url, link.url, link.text, link.status, now) for link in links]
        self._write(lambda: self.db.executemany(
            "INSERT INTO links (page_url, url, text, status, checked_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(page_url, url) DO UPDATE SET status=excluded.status, checked_at=excluded.checked_at",
            rows,
        ))

    def upsert_registry(self, entries: Iterable[RegistryEntry]) -> WriteResult:
        batch = list(entries)  # a retried transaction reads its input again
        return self._write(partial(write_registry, self.db, batch))

    def save_findings(
        self, findings: Iterable[Finding], *, rule_ids: Collection[str], as_of: datetime,
        keep_open: Collection[str] = (),
    ) -> FindingsDelta:
        batch, rules = list(findings), list(rule_ids)  # a retried transaction reads its input again
        return self._write(partial(save_findings, self.db, batch, rules, S.dt_out(as_of), frozenset(keep_open)))

    # reads --------------------------------------------------------------
    def get_account(self, platform: str, account_id: str) -> Account | None:
        row = self.reader().execute(
            "SELECT * FROM accounts WHERE platform=? AND account_id=?", (platform, account_id)
        ).fetchone()
        return to_account(row) if row else None

    def accounts_for(self, pairs: Iterable[tuple[str, str]]
                     ) -> tuple[dict[tuple[str, str], Account], dict[str, list[str]]]:
        """Stored accounts of (platform, account_id) `pairs` and their open finding kinds: two reads."""
        return _accounts_for(self.reader(), pairs)

    def iter_accounts(self, platform: str | None = None, where: AccountFilters | None = None) -> Iterator[Account]:
        clauses, args = account_clauses(where or AccountFilters())
        for row in self._rows("accounts", platform, "platform, account_id", clauses, args):
            yield to_account(row)

    def _rows(self, table: str, platform: str | None, order: str, clauses: tuple[str, ...] = (),
              args: tuple[str, ...] = ()) -> Iterator[sqlite3.Row]:
        """`table`'s rows (of one platform, when given) passing `clauses`, in `order`."""
        if platform:
            clauses, args = ("platform=?", *clauses), (platform, *args)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        yield from self.reader().execute(f"SELECT * FROM {table}{where} ORDER BY {order}", args)

    def account_activity(self, as_of: datetime, window_days: int) -> Iterator[AccountActivity]:
        return activity(self.db, self.path, as_of, window_days)

    def known_post_ids(self, platform: str, account_id: str) -> set[str]:
        rows = self.reader().execute(
            "SELECT post_id FROM posts WHERE platform=? AND account_id=?", (platform, account_id)
        )
        return {r[0] for r in rows}

    def iter_posts(self, published_after: datetime | None = None,
                   published_until: datetime | None = None, *, newest_first: bool = False) -> Iterator[Post]:
        """Stored posts in (platform, post_id) order (or newest first), optionally inside published-time
        bounds; streamed."""
        return posts_between(self.reader(), published_after, published_until, newest_first)

    def post_accounts(self, published_after: datetime | None = None,
                      published_before: datetime | None = None) -> Iterator[tuple[str, str]]:
        return post_accounts(self.reader(), published_after, published_before)

    def iter_pages(self) -> Iterator[Page]:
        for row in self.reader().execute("SELECT * FROM pages ORDER BY url"):
            yield to_page(row)

    def page_origins(self) -> Iterator[tuple[str, str]]:
        return page_origins(self.reader())

    def iter_links(self) -> Iterator[tuple[str, Link]]:
        for row in self.reader().execute("SELECT page_url, url, text, status FROM links ORDER BY page_url, url"):
            yield row["page_url"], Link(url=row["url"], text=row["text"] or "", status=row["status"])

    def iter_mentions(self) -> Iterator[AccountMention]:
        for row in self.reader().execute("SELECT * FROM mentions ORDER BY platform, name, page_url"):
            yield AccountMention(row["name"], row["platform"], row["page_url"], row["context"] or "")

    def iter_registry(self, platform: str | None = None) -> Iterator[RegistryEntry]:
        for r in self._rows("registry", platform, "key"):
            yield to_registry(r)

    def search_posts(self, query: PostQuery) -> SearchResult:
        db = self.reader()
        req = Request("posts", parse(query.q), post_filters(db, query), query.sort, query.limit, query.offset,
                      query.cursor, query.facets, "p.*", to_post)
        return search(db, req, self.stats)

    def search_pages(self, query: PageQuery) -> SearchResult:
        req = Request("pages", parse(query.q), page_filters(query), query.sort, query.limit, query.offset,
                      query.cursor, (), _PAGE_COLUMNS, to_page)
        return search(self.reader(), req, self.stats)

    def list_findings(
        self, kind: str | None = None, status: str | None = "open", subject_key: str | None = None,
        where: FindingFilters | None = None,
    ) -> list[Finding]:
        return list_findings(self.reader(), kind, status, subject_key, where)

    def counts(self) -> dict[str, int]:
        tables = ("accounts", "posts", "pages", "links", "mentions", "registry", "findings")
        db = self.reader()
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
