"""Distinct reads inside the store against reading every row: the post check past its cap, the site map.

    .venv/bin/python bench/distinct.py                       # 100,000 posts (cap 20,000), 50,000 pages
    .venv/bin/python bench/distinct.py --posts 20000 --pages 10000

On a SQLite store built in a temporary folder, two rounds of:
- `posts`: the post check's reads without its typo checks: the newest `--cap` posts, then the
  accounts with posts past the cap, as the audit found them before (every remaining post read, text
  included) and now (audit.content.posts._unread_accounts: the posts of the first unread second,
  then Backend.post_accounts, a SELECT DISTINCT);
- `pages`: the API's site map (host → site names), from one (url, site) row per page as before, and
  from Backend.page_origins (GROUP BY URL origin and site) as search_api.sites builds it now.
Both ways must give the same answer (checked). CPU is this process's (time.process_time).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from audit.content.posts import _unread_accounts  # noqa: E402
from core.models import Page, Post, account_key  # noqa: E402
from index.sqlite import SqliteBackend  # noqa: E402
from search_api.sites import _names_by_host, host_key  # noqa: E402

AS_OF = datetime(2026, 11, 20)
TEXT = "各单位要认真贯彻落实有关部署，确保各项措施落地见效。" * 6


def fill(store: SqliteBackend, posts: int, pages: int) -> None:
    """`posts` posts ten seconds apart from 5,000 accounts, and `pages` pages on 200 sites."""
    for start in range(0, posts, 10_000):
        store.upsert_posts(Post("weibo", f"a{n % 5000}", f"p{n}", text=TEXT, published_at=AS_OF - timedelta(seconds=10 * n))
                           for n in range(start, min(start + 10_000, posts)))
    for start in range(0, pages, 5_000):
        store.upsert_pages(Page(url=f"https://www.site{n % 200}.gov.cn/col/{n}.html", title="通知", text="正文" * 600,
                                site=f"站点{n % 200}" if n % 3 else f"site{n % 200}.gov.cn")
                           for n in range(start, min(start + 5_000, pages)))


def unread_before(store: SqliteBackend, cap: int) -> set[str]:
    since = AS_OF - timedelta(days=14)
    posts = store.iter_posts(since, AS_OF, newest_first=True)
    for _ in islice(posts, cap):
        pass
    return {account_key(p.platform, p.account_id) for p in posts}


def unread_now(store: SqliteBackend, cap: int) -> set[str]:
    since = AS_OF - timedelta(days=14)
    posts = store.iter_posts(since, AS_OF, newest_first=True)
    for _ in islice(posts, cap):
        pass
    return _unread_accounts(store, posts, since)


def sites_before(store: SqliteBackend) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.reader().execute("SELECT url, site FROM pages ORDER BY url"):
        host = host_key(row["url"])
        if host and row["site"]:
            found[host].add(row["site"])
    return {host: frozenset(names) for host, names in found.items()}


def timed(name: str, call: Callable[[], Any]) -> Any:
    """Run `call`, print its wall and CPU time, return what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    answer = call()
    print(f"{name:<14} {len(answer):>6,} found  {time.perf_counter() - wall:6.2f} s wall  "
          f"{time.process_time() - cpu:6.2f} s CPU")
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--cap", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gw-distinct-bench-") as folder:
        store = SqliteBackend(Path(folder) / "s.db")
        store.setup()
        fill(store, args.posts, args.pages)
        print(f"{args.posts:,} posts (post check cap {args.cap:,}), {args.pages:,} pages")
        for _ in range(2):
            before = timed("posts before", lambda: unread_before(store, args.cap))
            assert timed("posts now", lambda: unread_now(store, args.cap)) == before
            before = timed("pages before", lambda: sites_before(store))
            assert timed("pages now", lambda: _names_by_host(store)) == before
        store.close()


if __name__ == "__main__":
    main()
