"""The commonest words' document counts, read on a thread before a search asks for them.

BM25 needs each query word's document count, read from FTS5's vocabulary
table (SearchStats.token_freq). That read walks the word's whole posting
list: at 1,000,000 posts 40–70 ms for a word in half the posts, 1–2 ms for
a word in 20,000. Counts are kept per process, so every API worker paid it
once for each common word, on the first search that asked for it (and again
after the statistics' TTL once the store has changed) — most of the tail of
never-seen searches, since common words are the ones asked most.

So the API's store (opened read-only), at its first search, samples the
newest SAMPLE documents of the table, takes the title and body tokens (CJK
bigrams and whole words) found in at least SHARE of them, at most MOST, and
the platform tags (a search filtered to a platform weighs its share), and
reads their counts on a connection of its own, in one read transaction,
with the same statement a search would run. They are kept like the counts a
search reads itself (SearchStats._cached: the index's structure record at
the time, TTL from when they are kept), so searches get the very values they
would have read, only sooner. Single characters are left out: their unigram
lists are far longer (every CJK character of every post), and only
one-character queries need them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from urllib.parse import quote

from core.models import PLATFORMS
from index.sqlite_fts import index_texts, tag
from index.sqlite_platforms import STRUCTURE_ID

SAMPLE = 2_000  # newest documents read to find the common tokens
SHARE = 0.05  # a token in at least this share of them is counted ahead (≥ 50,000 posts of 1,000,000: ≥ 4 ms)
MOST = 400  # at most this many tokens (the commonest first)


def common_tokens(conn: sqlite3.Connection, table: str) -> list[str]:
    """Title and body tokens in at least SHARE of the newest SAMPLE documents of `table`, commonest first."""
    rows = conn.execute(f"SELECT COALESCE(norm, COALESCE(title, '') || char(31) || COALESCE(text, '')) "
                        f"FROM {table} ORDER BY rowid DESC LIMIT ?", (SAMPLE,)).fetchall()
    seen: Counter[str] = Counter()
    for (text,) in rows:
        seen.update(set(index_texts(text)[0].split()))  # per document: a document count, as fts5vocab's
    floor = max(2.0, SHARE * len(rows))
    return [token for token, n in seen.most_common(MOST) if n >= floor]


def token_docs(conn: sqlite3.Connection, table: str, token: str) -> int:
    """Documents containing `token` (fts5vocab): the statement SearchStats.token_freq runs."""
    row = conn.execute(f"SELECT doc FROM {table}_fts_vocab WHERE term = ?", (token,)).fetchone()
    return int(row[0]) if row else 0


def read_common(path: str, table: str) -> tuple[bytes | None, dict[str, int]]:
    """(structure record, {token: documents}) of the common tokens of `table`, read in one transaction."""
    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("BEGIN")
        row = conn.execute(f"SELECT block FROM {table}_fts_data WHERE id = {STRUCTURE_ID}").fetchone()
        tokens = common_tokens(conn, table) + ([tag("p", p) for p in PLATFORMS] if table == "posts" else [])
        counts = {token: token_docs(conn, table, token) for token in tokens}
        conn.execute("COMMIT")
    finally:
        conn.close()
    return (bytes(row[0]) if row else None), counts


def start(path: str, table: str, keep: Callable[[bytes | None, dict[str, int]], None]) -> threading.Thread:
    """read_common on a daemon thread, handing what it read to `keep` (nothing when the store cannot be read:
    searches then count as they always did)."""
    def run() -> None:
        try:
            keep(*read_common(path, table))
        except sqlite3.Error:
            pass

    thread = threading.Thread(target=run, name=f"{table}-common-terms", daemon=True)
    thread.start()
    return thread
