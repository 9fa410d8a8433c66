"""The search API and web page: a thin FastAPI layer over index/ and audit/.

Each resource has its router in search_api.routes; this module only
assembles them, with plain imports so a missing module fails at start-up,
and says which role each needs (search_api.access): viewer reads and
searches, investigator also sees findings, exports and checks names,
admin manages keys. Only /health, the login form and the stylesheet
answer without a key.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from core.errors import GovwatchError
from search_api import deps, directory
from search_api.access.auth import require_role
from search_api.hardening import harden
from search_api.routes import accounts, admin, evidence, findings, impersonation, login, meta, search, ui
from search_api.schemas import ERROR_RESPONSES

log = logging.getLogger(__name__)
DESCRIPTION = (
    "Search government new-media posts, pages, accounts and findings. Every route but /health needs an API key "
    "(`Authorization: Bearer <key>`, from `govwatch keys add NAME --role viewer|investigator|admin`). "
    "Datetimes are China time with their +08:00 offset."
)


def warm_up() -> None:
    """Build the registry index, the names and the impersonation matcher before the first request needs them."""
    try:
        store = deps.backend()
        for cache in (directory.REGISTRY, directory.NAMES, impersonation._cache):
            cache.get(store)
    except GovwatchError as exc:  # no store yet: the requests will say so
        log.warning("warm-up skipped: %s", exc)


@asynccontextmanager
async def lifespan(api: FastAPI) -> AsyncIterator[None]:
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
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
