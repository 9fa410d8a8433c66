"""Manage the search index: `index migrate` (Elasticsearch) and `index copy --from sqlite --to elasticsearch`."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from core.config import Settings
from core.errors import ConfigError
from govwatch.commands import settings_from
from index import open_backend
from index.base import Backend

BACKENDS = ("sqlite", "elasticsearch")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="index_action", required=True, metavar="ACTION")
    migrate = sub.add_parser("migrate", help="reindex Elasticsearch indices into their current mapping version")
    migrate.add_argument("names", nargs="*", help="posts, pages, accounts … (default: all)")
    migrate.add_argument("--force", action="store_true", help="rebuild even when already at the current version")
    copy = sub.add_parser("copy", help="copy every document of one store into another")
    copy.add_argument("--from", dest="source", choices=BACKENDS, required=True)
    copy.add_argument("--to", dest="target", choices=BACKENDS, required=True)


def _open(settings: Settings, backend: str) -> Backend:
    return open_backend(replace(settings, store=replace(settings.store, backend=backend)))


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.index_action == "migrate":
        from index.elastic import ElasticsearchBackend
        from index.elastic.mappings import INDICES

        store = _open(settings, "elasticsearch")
        assert isinstance(store, ElasticsearchBackend)
        unknown = set(args.names) - set(INDICES)
        if unknown:
            raise ConfigError(f"index migrate: unknown index names {sorted(unknown)}; known: {sorted(INDICES)}")
        for name in args.names or list(INDICES):
            print(json.dumps(store.migrate(name, force=args.force), ensure_ascii=False))
        store.close()
        return 0
    if args.source == args.target:
        raise ConfigError("index copy: --from and --to name the same backend")
    from index.copy import copy_store

    source, target = _open(settings, args.source), _open(settings, args.target)
    try:
        print(json.dumps(copy_store(source, target), ensure_ascii=False))
    finally:
        source.close()
        target.close()
    return 0
