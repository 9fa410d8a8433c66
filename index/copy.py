"""Copy a whole store into another backend: `govwatch index copy --from sqlite --to elasticsearch`.

Everything the Backend protocol can read is copied with the target's own upserts, so the copy
is idempotent (running it again changes nothing) and the target indexes it its own way.
Findings keep their status and dates when the target can import them as they are.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from core.models import Link, Post
from index.base import Backend

log = logging.getLogger(__name__)


def iter_posts(source: Backend) -> Iterator[Post]:
    """Every stored post, streamed by the backend (Backend.iter_posts)."""
    yield from source.iter_posts()


def copy_store(source: Backend, target: Backend) -> dict[str, Any]:
    """Copy accounts, posts, pages with their links and mentions, registry and findings."""
    done: dict[str, Any] = {}
    done["accounts"] = target.upsert_accounts(source.iter_accounts()).__dict__
    done["posts"] = target.upsert_posts(iter_posts(source)).__dict__
    links: dict[str, list[Link]] = defaultdict(list)
    for page_url, link in source.iter_links():
        links[page_url].append(link)
    mentions = defaultdict(list)
    for mention in source.iter_mentions():
        mentions[mention.page_url].append(mention)

    def pages() -> Iterator[Any]:
        for page in source.iter_pages():
            page.links, page.mentions = links.pop(page.url, []), mentions.pop(page.url, [])
            yield page

    done["pages"] = target.upsert_pages(pages()).__dict__
    for page_url, orphans in links.items():  # links of pages that are not stored themselves
        target.record_link_status(page_url, orphans)
    done["registry"] = target.upsert_registry(source.iter_registry()).__dict__
    findings = source.list_findings(status=None)
    importer = getattr(target, "import_findings", None)
    if importer is not None:
        done["findings"] = importer(findings)
    else:
        log.warning("target cannot import findings as they are; the next audit will record them again")
        done["findings"] = 0
    return done
