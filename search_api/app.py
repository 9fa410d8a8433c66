"""The search API and web page: a thin FastAPI layer over index/ and audit/.

Each resource has its router in search_api.routes; this module only
assembles them, with plain imports so a missing module fails at start-up,
and says which role each needs (search_api.access): viewer reads and
searches, investigator also sees findings, exports and checks names,
admin manages keys and starts registry imports, audits and crawls. Only
/health, the login form, the stylesheet and the files of /docs answer
without a key.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import Depends, FastAPI

from core.config import get_settings
from core.errors import GovwatchError
from index import query
from search_api import admin_jobs, deps, directory, node_restarts, profile, sites
from search_api.access import auth
from search_api.access.auth import require_role
from search_api.hardening import harden
from search_api.routes import accounts, admin, evidence, findings, impersonation, login, meta, search, ui
from search_api.schemas import ERROR_RESPONSES
from search_api.warm_searches import warm_searches

log = logging.getLogger(__name__)
DESCRIPTION = (
    "Search government new-media posts, pages, accounts and findings. Every route but /health needs an API key "
    "(`Authorization: Bearer <key>`, from `govwatch keys add NAME --role viewer|investigator|admin`). "
    "Datetimes are China time with their +08:00 offset."
)


def warm_up() -> None:
    """Load jieba's dictionary and build the registry index, the names, the sites and the impersonation
    matcher before the first request needs them (jieba alone costs a second or more); over Elasticsearch,
    then search for a while, so the node compiles its search code before users wait on it (and again
    whenever the node restarts under the running API: search_api/node_restarts.py)."""
    query.warm_up()
    try:
        store = deps.backend()
    except GovwatchError as exc:  # no store yet: the requests will say so
        log.warning("warm-up skipped: %s", exc)
        return
    try:
        for cache in (directory.REGISTRY, directory.NAMES, sites.SITES, impersonation._cache):
            cache.get(store)
    except Exception as exc:  # the node may be down at start-up: the watch below warms it once it answers
        log.warning("warm-up: the caches could not be built yet: %s", exc)
    seconds = get_settings().api.warm_searches_seconds
    if seconds > 0:  # and again after each restart of the node the API notices (node_restarts.py)
        node_restarts.WATCH.start(store, partial(warm_searches, seconds=seconds))


def reset() -> None:
    """Forget the cached settings, store, keys file, rate limits and registry (tests; a config reload).

    Here, in the module that assembles the routers, so that deps need not import them.
    """
    for cached in (deps.backend, auth.keystore, auth.limiter):
        if cached.cache_info().currsize:
            cached().close()
        cached.cache_clear()
    directory.REGISTRY.clear()
    directory.NAMES.clear()
    sites.SITES.clear()
    impersonation._cache.clear()
    profile.MENTIONS.clear()
    evidence.evidence_store.cache_clear()
    node_restarts.WATCH.clear()
    get_settings.cache_clear()


def fail_dead_jobs() -> None:
    """Jobs left running by a process that died while the API was down are marked failed now."""
    try:
        dead = admin_jobs.fail_dead_at_start(get_settings())
    except (GovwatchError, OSError, sqlite3.Error) as exc:  # the API serves anyway; a read of the jobs retries
        log.warning("jobs not checked at start-up: %s", exc)
        return
    if dead:
        log.warning("jobs %s were left running by a process that is gone: marked failed", dead)


@asynccontextmanager
async def lifespan(api: FastAPI) -> AsyncIterator[None]:
    fail_dead_jobs()
    api.state.warm_up = threading.Thread(target=warm_up, name="warm-up", daemon=True)  # kept: tests join it
    api.state.warm_up.start()
    yield


def create_app() -> FastAPI:
    """The API with every router included, each behind the role it needs."""
    api = FastAPI(title="govwatch", description=DESCRIPTION, openapi_url=None, docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    protected = ((search, "viewer"), (accounts, "viewer"), (findings, "investigator"),
                 (impersonation, "investigator"), (ui, "viewer"), (evidence, "investigator"),
                 (admin, "admin"))
    for module, role in protected:
        api.include_router(module.router, dependencies=[Depends(require_role(role))], responses=ERROR_RESPONSES)
    api.include_router(meta.router)
    api.include_router(login.router)
    harden(api)
    return api


app = create_app()
