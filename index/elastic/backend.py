"""ElasticsearchBackend: the Backend protocol (index/base.py) on an Elasticsearch cluster.

Writes go through BulkWriter (streaming_bulk, retries, durable spool). Reads of a kind of
document first refresh its index when this process wrote to it since the last read, so a
caller reads its own writes (as with SQLite) without a refresh per write.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch import TransportError as EsTransportError

from core.errors import StoreError
from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry
from index.base import (
    AccountActivity,
    AccountFilters,
    FindingFilters,
    FindingsDelta,
    PageQuery,
    PostQuery,
    SearchResult,
    WriteResult,
    open_kinds_by_subject,
)
from index.elastic import docs as D
from index.elastic import indices, stamps
from index.elastic.activity import activity
from index.elastic.bulkload import bulk_load
from index.elastic.connect import EsConfig, make_client
from index.elastic.distinct import page_origins, post_accounts
from index.elastic.facets import forget_platforms
from index.elastic.filters import account_query, finding_order, finding_query
from index.elastic.lookups import accounts_and_kinds, forget_accounts
from index.elastic.mappings import INDICES
from index.elastic.registry import KEY_PROPERTIES, find_candidates, registry_doc
from index.elastic.search import search_pages, search_posts
from index.elastic.spool import Spool
from index.elastic.writer import BulkWriter, Outcome
from index.elastic.writes import link_action, page_writes, post_writes, tally

log = logging.getLogger(__name__)


def _ascending(fields: list[Any]) -> Any:
    """Sort clauses: a field name ascending, or a clause as given."""
    return [{f: "asc"} if isinstance(f, str) else f for f in fields]


class ElasticsearchBackend:
    """Store in an Elasticsearch cluster: one versioned index per kind of document, behind aliases."""
    stamp = stamps.stamp  # stamp(*names): moves whenever those indices change (search_api/cache.py)
    node_starts = stamps.node_starts  # node_starts(): moves when a node restarts (search_api/node_restarts.py)
    wait_searchable = stamps.searchable  # then wait_searchable() before warming it up again

    def __init__(self, config: EsConfig, client: Elasticsearch | None = None, *, read_only: bool = False):
        self.config = config
        self.client = client or make_client(config)
        self.prefix = config.prefix
        self.read_only = read_only  # the API: no writes, and no spool file of its own
        spool = Spool(":memory:" if read_only else config.spool)
        self.writer = BulkWriter(self.client, spool, shard_wait=config.shard_wait)
        self._dirty: set[str] = set()

    def index(self, name: str) -> str:
        """The alias of the logical index `name` (posts, pages, accounts …)."""
        return indices.alias(self.prefix, name)

    def setup(self) -> None:
        try:
            indices.ensure(self.client, self.prefix)
            # the store's identity, made once: `create` keeps the first one when setup runs again
            self.client.index(index=self.index("meta"), id="store_id", document={"value": uuid.uuid4().hex},
                              op_type="create", ignore=409)
        except EsTransportError as exc:
            raise StoreError(f"{self.config.url}: cannot set up Elasticsearch indices: {exc}") from exc
        self.writer.flush()

    def store_id(self) -> str:
        """The store's identity, made once by setup(); crawl state recorded for another store is void."""
        try:
            return str(self.client.get(index=self.index("meta"), id="store_id")["_source"]["value"])
        except NotFoundError as exc:
            raise StoreError(f"{self.config.url} ({self.prefix}): the store has no identity (setup() not run)") from exc

    def close(self) -> None:
        left = self.writer.flush()
        if left:
            log.warning("%d writes still wait in %s for Elasticsearch", left, self.writer.spool.path)
        else:  # what this process wrote is searchable once it is done (a CLI command, a crawl)
            try:
                self.fresh(*INDICES)
            except EsTransportError as exc:
                log.warning("could not refresh Elasticsearch indices on close: %s", exc)
        self.writer.spool.close()
        self.client.close()

    def bulk_load(self, *names: str) -> AbstractContextManager[None]:
        """`with store.bulk_load("posts"):` load settings on those indices, restored after (bulkload.py)."""
        return bulk_load(self, names or ("posts",))

    def reader(self) -> Callable[[], ElasticsearchBackend]:
        """A picklable opener of this store, read-only (the audit's impersonation worker processes)."""
        return partial(ElasticsearchBackend, self.config, read_only=True)

    def pending_writes(self) -> int:
        """Writes queued in the spool because the cluster was unreachable (0 when all arrived)."""
        return self.writer.flush()

    # plumbing -------------------------------------------------------------
    def _write(self, name: str, actions: Iterable[dict[str, Any]], check: bool = True) -> list[Outcome]:
        if self.read_only:
            raise StoreError(f"{self.config.url} ({self.prefix}): this store was opened read-only")
        self._dirty.add(self.index(name))
        outcomes = list(self.writer.write(actions))
        if name in ("accounts", "findings"):  # after the write: a lookup during it read the old state
            forget_accounts()
        failed = [o for o in outcomes if o.result == "error" and not D.exists(o.action, o.status)]
        if failed and check:  # check=False: the caller reports them (writes.Failed)
            raise StoreError(f"{self.index(name)}: {len(failed)} of {len(outcomes)} writes failed; "
                             f"first: {failed[0].action.get('_id')}: {failed[0].error}")
        return outcomes

    def fresh(self, *names: str) -> None:
        """Make this process's writes to `names` visible to searches."""
        self._dirty |= self.writer.replayed
        self.writer.replayed.clear()
        todo = [self.index(n) for n in names if self.index(n) in self._dirty]
        if todo:
            self.client.indices.refresh(index=",".join(todo), ignore_unavailable=True)
            self._dirty.difference_update(todo)

    def scan(self, name: str, sort: list[Any], query: dict[str, Any] | None = None,
             source: Any = True, page: int = 2000) -> Iterator[dict[str, Any]]:
        """Every matching document's _source in `sort` order (search_after, no deep paging)."""
        self.fresh(name)
        after: list[Any] | None = None
        while True:
            extra: dict[str, Any] = {"search_after": after} if after else {}
            hits = self.client.search(index=self.index(name), query=query or {"match_all": {}}, size=page,
                                      sort=_ascending(sort), _source=source, **extra)["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            if len(hits) < page:
                return
            after = hits[-1]["sort"]

    # writes -------------------------------------------------------------
    def upsert_accounts(self, accounts: Iterable[Account]) -> WriteResult:
        now = datetime.now()

        def actions() -> Iterator[dict[str, Any]]:
            for a in accounts:
                partial, full = D.account_update(a, now)
                yield {"_op_type": "update", "_index": self.index("accounts"), "_id": f"{a.platform}:{a.account_id}",
                       "doc": partial, "upsert": full}

        return tally(self._write("accounts", actions()))

    def upsert_posts(self, posts: Iterable[Post]) -> WriteResult:
        try:
            return post_writes(self, "posts", posts, lambda p: D.post_id(p.platform, p.post_id), D.post_doc)
        finally:  # after the write: a search during it must not keep the list from before for 5 min
            forget_platforms(self.index("posts"))

    def upsert_pages(self, pages: Iterable[Page]) -> WriteResult:
        return page_writes(self, pages)

    def record_link_status(self, page_url: str, links: Iterable[Link]) -> None:
        self._write("links", (link_action(self, page_url, link, True) for link in links))

    def upsert_registry(self, entries: Iterable[RegistryEntry]) -> WriteResult:
        # a full document as a partial update: ES answers "noop" when nothing changed
        return tally(self._write("registry", (
            {"_op_type": "update", "_index": self.index("registry"), "_id": e.key, "doc": registry_doc(e),
             "doc_as_upsert": True} for e in entries)))

    def registry_candidates(self, queries: Iterable[tuple[str, str | None, str]]) -> Iterator[list[RegistryEntry]]:
        """Per (name, platform, account id): the registry entries sharing an impersonation key with it."""
        return find_candidates(self, queries)

    def migrate(self, name: str, *, force: bool = False) -> dict[str, Any]:
        """`govwatch index migrate`: reindex `name` into its current mapping version (indices.migrate).

        The registry's keys are computed in Python (pinyin, look-alike shapes), which a reindex script
        cannot do: its entries are written again, which fills the keys of the new version.
        """
        done = indices.migrate(self.client, self.prefix, name, force=force)
        if name == "registry" and not done["skipped"]:
            done["rekeyed"] = self.upsert_registry(list(self.iter_registry())).updated
        return done

    def save_findings(self, findings: Iterable[Finding], *, rule_ids: Collection[str], as_of: datetime,
                      keep_open: Collection[str] = ()) -> FindingsDelta:
        from index.elastic.findings import save_findings

        return save_findings(self, findings, list(rule_ids), as_of, keep_open)

    # reads --------------------------------------------------------------
    def get_account(self, platform: str, account_id: str) -> Account | None:
        try:
            found = self.client.get(index=self.index("accounts"), id=f"{platform}:{account_id}")
        except NotFoundError:
            return None
        return D.account_from(found["_source"])

    def accounts_for(self, pairs: Collection[tuple[str, str]]
                     ) -> tuple[dict[tuple[str, str], Account], dict[str, list[str]]]:
        """Stored accounts of `pairs` and their open finding kinds: one request (none if read lately: lookups.py)."""
        return accounts_and_kinds(self, pairs)

    def iter_accounts(self, platform: str | None = None, where: AccountFilters | None = None) -> Iterator[Account]:
        kinds = open_kinds_by_subject(self.list_findings(status="open")) if where and where.status else {}
        status = AccountFilters(status=where.status) if where and where.status else None
        for src in self.scan("accounts", ["platform", "account_id"], account_query(platform, where)):
            account = D.account_from(src)
            if status is None or status.keeps(account, kinds):  # the status needs the findings: filtered here
                yield account

    def account_activity(self, as_of: datetime, window_days: int) -> Iterator[AccountActivity]:
        self.fresh("posts", "accounts")
        yield from activity(self, as_of, as_of - timedelta(days=window_days))

    def known_post_ids(self, platform: str, account_id: str) -> set[str]:
        query = {"bool": {"filter": [{"term": {"platform": platform}}, {"term": {"account_id": account_id}}]}}
        return {src["post_id"] for src in self.scan("posts", ["post_id"], query, ["post_id"])}

    def iter_posts(self, published_after: datetime | None = None,
                   published_until: datetime | None = None, *, newest_first: bool = False) -> Iterator[Post]:
        """Stored posts by platform and post id, or newest first (`index copy`; the content audit's post checks)."""
        bounds = {op: D.dt_out(when) for op, when in (("gt", published_after), ("lte", published_until)) if when}
        query = {"range": {"published_at": bounds}} if bounds else None
        order: list[Any] = [{"published_at": "desc"}, "platform", "post_id"] if newest_first else ["platform", "post_id"]
        for src in self.scan("posts", order, query):
            yield D.post_from(src)

    def post_accounts(self, published_after: datetime | None = None,
                      published_before: datetime | None = None) -> Iterator[tuple[str, str]]:
        return post_accounts(self, published_after, published_before)

    def import_findings(self, findings: Iterable[Finding]) -> int:
        """Store findings exactly as given (status and dates kept): `index copy` from another store."""
        from index.elastic.findings import import_findings

        return import_findings(self, findings)

    def iter_pages(self) -> Iterator[Page]:
        return (D.page_from(src) for src in self.scan("pages", ["url"]))

    def page_origins(self) -> Iterator[tuple[str, str]]:
        return page_origins(self)

    def iter_links(self) -> Iterator[tuple[str, Link]]:
        for src in self.scan("links", ["page_url", "url"]):
            yield D.link_from(src)

    def iter_mentions(self) -> Iterator[AccountMention]:
        for src in self.scan("mentions", ["platform", "name", "page_url"]):
            yield D.mention_from(src)

    def iter_registry(self, platform: str | None = None) -> Iterator[RegistryEntry]:
        query = {"term": {"platform": platform}} if platform else None
        for src in self.scan("registry", ["key"], query, {"excludes": list(KEY_PROPERTIES)}):  # keys: half the bytes
            yield D.registry_from(src)

    def search_posts(self, query: PostQuery) -> SearchResult:
        self.fresh("posts", "accounts")
        return search_posts(self, query)

    def search_pages(self, query: PageQuery) -> SearchResult:
        self.fresh("pages")
        return search_pages(self, query)

    def list_findings(self, kind: str | None = None, status: str | None = "open", subject_key: str | None = None,
                      where: FindingFilters | None = None) -> list[Finding]:
        query = finding_query({"kind": kind, "status": status, "subject_key": subject_key}, where)
        return [D.finding_from(src) for src in self.scan("findings", finding_order(where), query)]

    def counts(self) -> dict[str, int]:
        self.fresh(*INDICES)
        names = ("accounts", "posts", "pages", "links", "mentions", "registry", "findings")
        return {n: int(self.client.count(index=self.index(n))["count"]) for n in names}

    def wait_for_writes(self, timeout: float = 60.0) -> int:
        """Replay the spool until it is empty or `timeout` passes; returns what still waits."""
        deadline = time.monotonic() + timeout
        while (left := self.writer.flush()) and time.monotonic() < deadline:
            time.sleep(1.0)
            self.writer.retry_now()
        return left

