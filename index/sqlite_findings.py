"""What the audit reads and writes in SQLite: findings with their lifecycle, per-account activity."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from core.models import Account, Finding, account_key
from index.base import AccountActivity, AccountFilters, FindingFilters, FindingsDelta
from index.sqlite_rows import to_account, to_finding
from index.sqlite_schema import dt_in, dt_out
from index.sqlite_writes import batches


def save_findings(db: sqlite3.Connection, batch: list[Finding], rules: list[str], when: str | None,
                  keep_open: frozenset[str] = frozenset()) -> FindingsDelta:
    """Store one audit's findings for `rules` (inside the caller's transaction).

    A finding already open (same rule, subject) is refreshed, a new one is
    opened, and an open one of `rules` the audit no longer reports is resolved
    (复查) unless its subject is in `keep_open` (not judged by this run). The
    open findings of a rule outside `rules` are looked up too, so such a
    finding is refreshed rather than inserted again on every run.
    """
    delta = FindingsDelta()
    wanted = sorted(set(rules) | {f.rule_id for f in batch})
    open_now: dict[tuple[str, str, str], int] = {}
    for part in batches(wanted, 500):
        open_now.update(((r[1], r[2], r[3]), r[0]) for r in db.execute(
            "SELECT id, rule_id, subject_type, subject_key FROM findings "
            f"WHERE status='open' AND rule_id IN ({','.join('?' * len(part))})", part))
    updates: dict[int, tuple[str, str, str, str, int]] = {}
    inserts: dict[tuple[str, str, str], list[str | None]] = {}
    for f in batch:
        evidence = json.dumps(f.evidence, ensure_ascii=False, default=str, sort_keys=True)
        found = open_now.get(f.identity)
        if found is not None:
            updates[found] = (evidence, f.severity, f.kind, f.ruleset_version, found)
            delta.still_open += 1
        elif f.identity in inserts:  # twice in one batch: the later one refreshes the new row
            inserts[f.identity][0:2] = [f.kind, f.severity]
            inserts[f.identity][5:7] = [f.ruleset_version, evidence]
            delta.still_open += 1
        else:
            inserts[f.identity] = [f.kind, f.severity, f.subject_type, f.subject_key, f.rule_id, f.ruleset_version,
                                   evidence, dt_out(f.detected_at) or when]
            delta.opened += 1
    db.executemany("UPDATE findings SET evidence=?, severity=?, kind=?, ruleset_version=? WHERE id=?",
                   updates.values())
    db.executemany("INSERT INTO findings (kind, severity, subject_type, subject_key, rule_id, ruleset_version, "
                   "evidence, detected_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')", inserts.values())
    resolvable = set(rules)
    gone = [fid for (rule, _, subject), fid in open_now.items()
            if fid not in updates and rule in resolvable and subject not in keep_open]
    for chunk in batches(gone, 500):
        db.execute(
            f"UPDATE findings SET status='resolved', resolved_at=? WHERE id IN ({','.join('?' * len(chunk))})",
            (when, *chunk),
        )
    delta.resolved = len(gone)
    return delta


def list_findings(db: sqlite3.Connection, kind: str | None, status: str | None, subject_key: str | None,
                  where: FindingFilters | None = None) -> list[Finding]:
    """Findings matching the given fields (None: any), oldest first or, with `newest_first`, as the API lists them."""
    f = where or FindingFilters()
    clauses, args = [], []
    for clause, value in (("kind=?", kind), ("status=?", status), ("subject_key=?", subject_key),
                          ("severity=?", f.severity), ("subject_type=?", f.subject_type),
                          ("detected_at>=?", dt_out(f.since)), ("detected_at<=?", dt_out(f.until))):
        if value:
            clauses.append(clause)
            args.append(value)
    order = "detected_at DESC NULLS LAST, subject_key DESC, id" if f.newest_first else "id"
    sql = "SELECT * FROM findings" + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY " + order
    return [to_finding(r) for r in db.execute(sql, args)]


def account_clauses(where: AccountFilters) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """SQL on the accounts table for AccountFilters: a part of the name, open finding kinds (findings_subject index)."""
    clauses: list[str] = []
    args: list[str] = []
    if where.name:
        clauses.append("instr(name, ?) > 0")  # as typed: LIKE would fold ASCII case and read % and _
        args.append(where.name)
    if where.status:
        has = ("EXISTS (SELECT 1 FROM findings f WHERE f.subject_key = accounts.platform || ':' || accounts.account_id "
               "AND f.status = 'open'")
        if where.status == "ok":
            clauses.append(f"NOT {has})")
        else:
            clauses.append(f"{has} AND f.kind = ?)")
            args.append(where.status)
    return tuple(clauses), tuple(args)


ACTIVITY_SQL = (
    "SELECT platform, account_id, COUNT(*), SUM(is_original), MAX(published_at), "
    "MAX(CASE WHEN is_original THEN published_at END), "
    "group_concat(DISTINCT CASE WHEN published_at > ? THEN substr(published_at, 1, 10) END) "
    "FROM posts WHERE is_pinned = 0 AND published_at <= ? GROUP BY platform, account_id "
    "ORDER BY platform, account_id"
)


def activity_aggregates(db: sqlite3.Connection, as_of: datetime, window_start: datetime) -> sqlite3.Cursor:
    """One grouped scan over the posts (the posts_by_account index covers it): per account with posts,
    in key order, (platform, account_id, posts, originals, last post, last original, window days joined
    by commas); posts after `as_of` and pinned posts are ignored."""
    return db.execute(ACTIVITY_SQL, (dt_out(window_start), dt_out(as_of)))


def activity_rows(db: sqlite3.Connection, as_of: datetime, window_start: datetime) -> Iterator[AccountActivity]:
    """One AccountActivity per stored account; posts after `as_of` and pinned posts are ignored."""
    return merge_activity(db, activity_aggregates(db, as_of, window_start))


def merge_activity(db: sqlite3.Connection, aggregates: Iterable[tuple]) -> Iterator[AccountActivity]:
    """The accounts table merged in key order with the per-account `aggregates`.

    Each account's activity is built when its turn comes, so memory holds one
    account's aggregate, not 100,000 of them (the days inside the window come
    back as one group_concat string per account).
    """
    aggregates = iter(aggregates)
    agg = next(aggregates, None)
    for row in db.execute("SELECT * FROM accounts ORDER BY platform, account_id"):
        key = (row["platform"], row["account_id"])
        while agg is not None and (agg[0], agg[1]) < key:  # posts of an account not stored: skipped
            agg = next(aggregates, None)
        mine = agg if agg is not None and (agg[0], agg[1]) == key else None
        yield AccountActivity(
            account=to_account(row),
            posts_total=mine[2] if mine else 0,
            originals_total=(mine[3] or 0) if mine else 0,
            last_post_at=dt_in(mine[4]) if mine else None,
            last_original_at=dt_in(mine[5]) if mine else None,
            post_days={date.fromisoformat(day) for day in mine[6].split(",")} if mine and mine[6] else set(),
        )


def accounts_for(db: sqlite3.Connection, pairs: Iterable[tuple[str, str]]
                 ) -> tuple[dict[tuple[str, str], Account], dict[str, list[str]]]:
    """The stored accounts among (platform, account_id) `pairs` and the open finding kinds of each, by
    subject key: one query per platform and one for the findings, instead of two per account."""
    by_platform: dict[str, list[str]] = {}
    for platform, account_id in set(pairs):
        by_platform.setdefault(platform, []).append(account_id)
    accounts: dict[tuple[str, str], Account] = {}
    for platform, ids in by_platform.items():
        for chunk in batches(ids, 500):  # SQLite's limit on bound parameters is far above this
            rows = db.execute(f"SELECT * FROM accounts WHERE platform = ? AND account_id IN ({','.join('?' * len(chunk))})",
                              (platform, *chunk))
            accounts.update(((r["platform"], r["account_id"]), to_account(r)) for r in rows)
    kinds: dict[str, set[str]] = {}
    for chunk in batches([account_key(*pair) for pair in accounts], 500):
        for subject, kind in db.execute("SELECT subject_key, kind FROM findings WHERE status = 'open' AND subject_key "
                                        f"IN ({','.join('?' * len(chunk))})", chunk):
            kinds.setdefault(subject, set()).add(kind)
    return accounts, {subject: sorted(found) for subject, found in kinds.items()}
