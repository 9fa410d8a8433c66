"""SqliteBackend: the embedded default store (one file, FTS5 for Chinese full text)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from core.errors import StoreError
from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry, content_hash
from core.text import search_form
from index import sqlite_schema as S
from index.base import (
    AccountActivity,
    FindingsDelta,
    Hit,
    PageQuery,
    PostQuery,
    SearchResult,
    WriteResult,
)
from index.fts import match_expression, snippet
from index.sqlite_search import activity_rows, post_filters

T = TypeVar("T")
BATCH = 2000


def _batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class SqliteBackend:
    """Store in one SQLite file; safe for one writer and many readers (WAL)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open SQLite store: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA temp_store=MEMORY")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One explicit transaction (autocommit mode would commit every statement on its own)."""
        if self.db.in_transaction:  # nested use joins the outer transaction
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def setup(self) -> None:
        self.db.executescript(S.DDL)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(S.SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    # writes -------------------------------------------------------------
    def upsert_accounts(self, accounts: Iterable[Account]) -> WriteResult:
        result = WriteResult()
        now = S.dt_out(datetime.now())
        cols = S.ACCOUNT_COLUMNS
        sql = (
            f"INSERT INTO accounts ({','.join(cols)}) VALUES ({','.join('?' * len(cols))}) "
            "ON CONFLICT(platform, account_id) DO UPDATE SET name=COALESCE(NULLIF(excluded.name, ''), accounts.name), "
            + ", ".join(
                f"{c}=COALESCE(excluded.{c}, accounts.{c})"
                for c in cols[3:]
                if c not in ("first_seen", "found_via", "found_on")
            )
        )
        with self.transaction():
            for acc in accounts:
                exists = self.db.execute(
                    "SELECT 1 FROM accounts WHERE platform=? AND account_id=?", (acc.platform, acc.account_id)
                ).fetchone()
                row = self._account_row(acc, now)
                self.db.execute(sql, row)
                if exists:
                    result.updated += 1
                else:
                    result.inserted += 1
        return result

    @staticmethod
    def _account_row(a: Account, now: str | None) -> tuple:
        return (
            a.platform, a.account_id, a.name, a.url or None, int(a.verified), a.verified_reason or None,
            a.verified_type or None, a.followers, a.posts_count, a.found_via, a.found_on, a.state,
            None if a.interaction_enabled is None else int(a.interaction_enabled),
            S.dt_out(a.created_at), S.dt_out(a.first_seen) or now, S.dt_out(a.last_seen) or now,
        )

    def upsert_posts(self, posts: Iterable[Post]) -> WriteResult:
        result = WriteResult()
        for batch in _batches(posts):
            with self.transaction():
                result += self._upsert_post_batch(batch)
        return result

    def _upsert_post_batch(self, batch: list[Post]) -> WriteResult:
        result = WriteResult()
        existing: dict[tuple[str, str], sqlite3.Row] = {}
        for platform in {p.platform for p in batch}:
            ids = [p.post_id for p in batch if p.platform == platform]
            for chunk in _batches(ids, 500):
                rows = self.db.execute(
                    "SELECT rowid, post_id, title, text, content_hash, is_pinned, comments FROM posts "
                    f"WHERE platform=? AND post_id IN ({','.join('?' * len(chunk))})",
                    (platform, *chunk),
                )
                existing.update({(platform, r["post_id"]): r for r in rows})
        cols = S.POST_COLUMNS
        insert = f"INSERT OR REPLACE INTO posts ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"
        for post in batch:
            post.content_hash = post.content_hash or content_hash(post.title, post.text)
            old = existing.get((post.platform, post.post_id))
            if old is not None and old["content_hash"] == post.content_hash:
                if (old["is_pinned"], old["comments"]) != (int(post.is_pinned), post.comments):
                    self.db.execute(
                        "UPDATE posts SET is_pinned=?, comments=?, fetched_at=? WHERE rowid=?",
                        (int(post.is_pinned), post.comments, S.dt_out(post.fetched_at), old["rowid"]),
                    )
                    result.updated += 1
                else:
                    result.unchanged += 1
                continue
            if old is not None:
                self._fts_delete("posts_fts", old["rowid"], old["title"], old["text"])
                self.db.execute("DELETE FROM posts WHERE rowid=?", (old["rowid"],))
                result.updated += 1
            else:
                result.inserted += 1
            cur = self.db.execute(insert, self._post_row(post))
            self._fts_insert("posts_fts", cur.lastrowid, post.title, post.text)
            existing[(post.platform, post.post_id)] = {  # type: ignore[assignment]
                "rowid": cur.lastrowid, "title": post.title, "text": post.text,
                "content_hash": post.content_hash, "is_pinned": int(post.is_pinned), "comments": post.comments,
            }
        return result

    @staticmethod
    def _post_row(p: Post) -> tuple:
        return (
            p.platform, p.post_id, p.account_id, p.url, p.title, p.text, S.dt_out(p.published_at),
            int(p.is_original), int(p.is_pinned), int(p.is_repost), p.comments, p.replies,
            S.dt_out(p.fetched_at or datetime.now()), p.content_hash,
        )

    def _fts_insert(self, table: str, rowid: int | None, title: str, body: str) -> None:
        self.db.execute(
            f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)",
            (rowid, search_form(title or ""), search_form(body or "")),
        )

    def _fts_delete(self, table: str, rowid: int, title: str, body: str) -> None:
        # contentless FTS5 needs the indexed values back to delete them
        self.db.execute(
            f"INSERT INTO {table}({table}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
            (rowid, search_form(title or ""), search_form(body or "")),
        )

    def upsert_pages(self, pages: Iterable[Page]) -> WriteResult:
        result = WriteResult()
        cols = S.PAGE_COLUMNS
        insert = f"INSERT INTO pages ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"
        with self.transaction():
            for page in pages:
                page.content_hash = page.content_hash or content_hash(page.title, page.text)
                old = self.db.execute(
                    "SELECT rowid, title, text, content_hash FROM pages WHERE url=?", (page.url,)
                ).fetchone()
                self._store_page_extras(page)
                if old is not None and old["content_hash"] == page.content_hash:
                    result.unchanged += 1
                    continue
                if old is not None:
                    self._fts_delete("pages_fts", old["rowid"], old["title"], old["text"])
                    self.db.execute("DELETE FROM pages WHERE rowid=?", (old["rowid"],))
                    result.updated += 1
                else:
                    result.inserted += 1
                cur = self.db.execute(insert, (
                    page.url, page.site, page.title, page.column, S.dt_out(page.published_at), page.text,
                    page.html, page.encoding, S.dt_out(page.fetched_at or datetime.now()), page.content_hash,
                ))
                self._fts_insert("pages_fts", cur.lastrowid, page.title, page.text)
        return result

    def _store_page_extras(self, page: Page) -> None:
        self.db.executemany(
            "INSERT INTO links (page_url, url, text, status) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(page_url, url) DO UPDATE SET text=excluded.text, "
            "status=COALESCE(excluded.status, links.status)",
            [(page.url, link.url, link.text, link.status) for link in page.links],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO mentions (platform, name, page_url, context) VALUES (?, ?, ?, ?)",
            [(m.platform, m.name, m.page_url or page.url, m.context) for m in page.mentions],
        )

    def record_link_status(self, page_url: str, links: Iterable[Link]) -> None:
        now = S.dt_out(datetime.now())
        with self.transaction():
            self.db.executemany(
                "INSERT INTO links (page_url, url, text, status, checked_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(page_url, url) DO UPDATE SET status=excluded.status, checked_at=excluded.checked_at",
                [(page_url, link.url, link.text, link.status, now) for link in links],
            )

    def upsert_registry(self, entries: Iterable[RegistryEntry]) -> WriteResult:
        result = WriteResult()
        cols = S.REGISTRY_COLUMNS
        sql = f"INSERT OR REPLACE INTO registry ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"
        with self.transaction():
            for e in entries:
                row = (
                    e.key, e.name, e.platform, e.account_id or None, e.owner or None, e.supervisor or None,
                    e.registry_no or None, int(e.is_primary), e.status, S.dt_out(e.registered_at),
                )
                old = self.db.execute(f"SELECT {','.join(cols)} FROM registry WHERE key=?", (e.key,)).fetchone()
                if old is not None and tuple(old) == row:
                    result.unchanged += 1
                    continue
                self.db.execute(sql, row)
                if old is None:
                    result.inserted += 1
                else:
                    result.updated += 1
        return result

    def save_findings(
        self, findings: Iterable[Finding], *, rule_ids: Collection[str], as_of: datetime
    ) -> FindingsDelta:
        delta = FindingsDelta()
        when = S.dt_out(as_of)
        rules = list(rule_ids)
        marks = ",".join("?" * len(rules))
        with self.transaction():
            open_now = {
                (r["rule_id"], r["subject_type"], r["subject_key"]): r["id"]
                for r in self.db.execute(
                    f"SELECT id, rule_id, subject_type, subject_key FROM findings "
                    f"WHERE status='open' AND rule_id IN ({marks})", rules,
                )
            }
            seen: set[int] = set()
            for f in findings:
                evidence = json.dumps(f.evidence, ensure_ascii=False, default=str, sort_keys=True)
                found = open_now.get(f.identity)
                if found is not None:
                    self.db.execute(
                        "UPDATE findings SET evidence=?, severity=?, kind=?, ruleset_version=? WHERE id=?",
                        (evidence, f.severity, f.kind, f.ruleset_version, found),
                    )
                    seen.add(found)
                    delta.still_open += 1
                    continue
                cur = self.db.execute(
                    "INSERT INTO findings (kind, severity, subject_type, subject_key, rule_id, ruleset_version, "
                    "evidence, detected_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                    (f.kind, f.severity, f.subject_type, f.subject_key, f.rule_id, f.ruleset_version,
                     evidence, S.dt_out(f.detected_at) or when),
                )
                open_now[f.identity] = cur.lastrowid or 0
                seen.add(cur.lastrowid or 0)
                delta.opened += 1
            gone = [fid for fid in open_now.values() if fid not in seen]
            for chunk in _batches(gone, 500):
                self.db.execute(
                    f"UPDATE findings SET status='resolved', resolved_at=? WHERE id IN ({','.join('?' * len(chunk))})",
                    (when, *chunk),
                )
            delta.resolved = len(gone)
        return delta

    # reads --------------------------------------------------------------
    def get_account(self, platform: str, account_id: str) -> Account | None:
        row = self.db.execute(
            "SELECT * FROM accounts WHERE platform=? AND account_id=?", (platform, account_id)
        ).fetchone()
        return _account(row) if row else None

    def iter_accounts(self, platform: str | None = None) -> Iterator[Account]:
        sql, args = "SELECT * FROM accounts", [platform] if platform else []
        if platform:
            sql += " WHERE platform=?"
        for row in self.db.execute(sql + " ORDER BY platform, account_id", args):
            yield _account(row)

    def account_activity(self, as_of: datetime, window_days: int) -> Iterator[AccountActivity]:
        window_start = as_of - timedelta(days=window_days)
        yield from activity_rows(self.db, as_of, window_start, _account)

    def known_post_ids(self, platform: str, account_id: str) -> set[str]:
        rows = self.db.execute(
            "SELECT post_id FROM posts WHERE platform=? AND account_id=?", (platform, account_id)
        )
        return {r[0] for r in rows}

    def iter_pages(self) -> Iterator[Page]:
        for row in self.db.execute("SELECT * FROM pages ORDER BY url"):
            yield _page(row)

    def iter_links(self) -> Iterator[tuple[str, Link]]:
        for row in self.db.execute("SELECT page_url, url, text, status FROM links ORDER BY page_url, url"):
            yield row["page_url"], Link(url=row["url"], text=row["text"] or "", status=row["status"])

    def iter_mentions(self) -> Iterator[AccountMention]:
        for row in self.db.execute("SELECT * FROM mentions ORDER BY platform, name, page_url"):
            yield AccountMention(row["name"], row["platform"], row["page_url"], row["context"] or "")

    def iter_registry(self, platform: str | None = None) -> Iterator[RegistryEntry]:
        sql, args = "SELECT * FROM registry", [platform] if platform else []
        if platform:
            sql += " WHERE platform=?"
        for r in self.db.execute(sql + " ORDER BY key", args):
            yield RegistryEntry(
                name=r["name"], platform=r["platform"], account_id=r["account_id"] or "",
                owner=r["owner"] or "", supervisor=r["supervisor"] or "", registry_no=r["registry_no"] or "",
                is_primary=bool(r["is_primary"]), status=r["status"], registered_at=S.dt_in(r["registered_at"]),
            )

    def search_posts(self, query: PostQuery) -> SearchResult:
        where, args = post_filters(query, self.db)
        return self._search("posts", query.q, where, args, query.limit, query.offset)

    def search_pages(self, query: PageQuery) -> SearchResult:
        where, args = [], []
        for clause, value in (("t.site = ?", query.site), ("t.published_at >= ?", S.dt_out(query.since)),
                              ("t.published_at <= ?", S.dt_out(query.until))):
            if value:
                where.append(clause)
                args.append(value)
        return self._search("pages", query.q, where, args, query.limit, query.offset)

    def _search(self, table: str, q: str, where: list[str], args: list[Any], limit: int, offset: int) -> SearchResult:
        convert = _post if table == "posts" else _page
        if q.strip():
            clauses = [f"{table}_fts MATCH ?", *where]
            base = f"FROM {table}_fts JOIN {table} t ON t.rowid = {table}_fts.rowid WHERE " + " AND ".join(clauses)
            params = [match_expression(q), *args]
            order = f"bm25({table}_fts, 3.0, 1.0)"
        else:
            base = f"FROM {table} t" + (" WHERE " + " AND ".join(where) if where else "")
            params, order = list(args), "t.published_at DESC"
        total = self.db.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
        score = order if q.strip() else "0"
        rows = self.db.execute(
            f"SELECT t.*, {score} AS score {base} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset)
        )
        hits = [Hit(convert(r), -float(r["score"]), snippet(r["text"] or "", q) if q else "") for r in rows]
        return SearchResult(total=total, hits=hits)

    def list_findings(
        self, kind: str | None = None, status: str | None = "open", subject_key: str | None = None
    ) -> list[Finding]:
        where, args = [], []
        for clause, value in (("kind=?", kind), ("status=?", status), ("subject_key=?", subject_key)):
            if value:
                where.append(clause)
                args.append(value)
        sql = "SELECT * FROM findings" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [_finding(r) for r in self.db.execute(sql, args)]

    def counts(self) -> dict[str, int]:
        tables = ("accounts", "posts", "pages", "links", "mentions", "registry", "findings")
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def _account(r: sqlite3.Row) -> Account:
    return Account(
        platform=r["platform"], account_id=r["account_id"], name=r["name"], url=r["url"] or "",
        verified=bool(r["verified"]), verified_reason=r["verified_reason"] or "",
        verified_type=r["verified_type"] or "none", followers=r["followers"], posts_count=r["posts_count"],
        found_via=r["found_via"] or "", found_on=r["found_on"] or "", state=r["state"] or "ok",
        interaction_enabled=S.bool_in(r["interaction_enabled"]), created_at=S.dt_in(r["created_at"]),
        first_seen=S.dt_in(r["first_seen"]), last_seen=S.dt_in(r["last_seen"]),
    )


def _post(r: sqlite3.Row) -> Post:
    return Post(
        platform=r["platform"], account_id=r["account_id"], post_id=r["post_id"], url=r["url"] or "",
        title=r["title"] or "", text=r["text"] or "", published_at=S.dt_in(r["published_at"]),
        is_original=bool(r["is_original"]), is_pinned=bool(r["is_pinned"]), is_repost=bool(r["is_repost"]),
        comments=r["comments"], replies=r["replies"], fetched_at=S.dt_in(r["fetched_at"]),
        content_hash=r["content_hash"] or "",
    )


def _page(r: sqlite3.Row) -> Page:
    return Page(
        url=r["url"], site=r["site"] or "", title=r["title"] or "", column=r["column_name"] or "",
        published_at=S.dt_in(r["published_at"]), text=r["text"] or "", html=r["html"] or "",
        encoding=r["encoding"] or "", fetched_at=S.dt_in(r["fetched_at"]), content_hash=r["content_hash"] or "",
    )


def _finding(r: sqlite3.Row) -> Finding:
    return Finding(
        kind=r["kind"], severity=r["severity"], subject_type=r["subject_type"], subject_key=r["subject_key"],
        rule_id=r["rule_id"], ruleset_version=r["ruleset_version"], evidence=json.loads(r["evidence"] or "{}"),
        detected_at=S.dt_in(r["detected_at"]), status=r["status"], resolved_at=S.dt_in(r["resolved_at"]),
    )
