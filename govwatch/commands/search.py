"""Search stored posts (or pages with --pages) from the command line; JSON with --json."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from core.models import Post
from govwatch.commands import opened_store
from index.base import PageQuery, PostQuery


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("q", help="words to find (Chinese needs no spaces)")
    parser.add_argument("--pages", action="store_true", help="search government-website pages instead of posts")
    parser.add_argument("--platform", help="only this platform (posts)")
    parser.add_argument("--account", help="only this account id or exact name (posts)")
    parser.add_argument("--since", type=datetime.fromisoformat, help="published on or after (YYYY-MM-DD)")
    parser.add_argument("--until", type=datetime.fromisoformat, help="published on or before (YYYY-MM-DD)")
    parser.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    with opened_store(args) as (_, store):
        if args.pages:
            result = store.search_pages(PageQuery(q=args.q, since=args.since, until=args.until, limit=args.limit))
        else:
            result = store.search_posts(PostQuery(
                q=args.q, platform=args.platform, account=args.account, since=args.since, until=args.until,
                limit=args.limit,
            ))
    rows = []
    for hit in result.hits:
        item = hit.item
        who = f"{item.platform}:{item.account_id}" if isinstance(item, Post) else item.url
        rows.append({"who": who, "url": item.url, "title": item.title, "snippet": hit.snippet,
                     "published_at": item.published_at.isoformat(sep=" ") if item.published_at else None,
                     "score": round(hit.score, 3)})
    if args.json:
        print(json.dumps({"total": result.total, "hits": rows}, ensure_ascii=False, indent=2))
    else:
        print(f"{result.total} results")
        for r in rows:
            print(f"- [{r['published_at']}] {r['who']} {r['title']}\n  {r['snippet']}\n  {r['url']}")
    return 0
