"""The search API and web page: a thin FastAPI layer over index/ and audit/.

Each resource has its router in search_api.routes; this module only
assembles them, with plain imports so a missing module fails at start-up,
and says which role each needs (search_api.access): viewer reads and
searches, investigator also sees findings, exports and checks names,
admin manages keys. Only /health, the login form and the stylesheet
answer without a key.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from search_api.access.auth import require_role
from search_api.hardening import harden
from search_api.routes import accounts, evidence, findings, impersonation, login, meta, search, ui
from search_api.schemas import ERROR_RESPONSES

DESCRIPTION = (
    "Search government new-media posts, pages, accounts and findings. Every route but /health needs an API key "
    "(`Authorization: Bearer <key>`, from `govwatch keys add NAME --role viewer|investigator|admin`). "
    "Datetimes are China time with their +08:00 offset."
)


def create_app() -> FastAPI:
    """The API with every router included, each behind the role it needs."""
    api = FastAPI(title="govwatch", description=DESCRIPTION, openapi_url=None, docs_url=None, redoc_url=None)
    protected = ((search, "viewer"), (accounts, "viewer"), (findings, "investigator"),
                 (impersonation, "investigator"), (ui, "viewer"), (evidence, "investigator"))
    for module, role in protected:
        api.include_router(module.router, dependencies=[Depends(require_role(role))], responses=ERROR_RESPONSES)
    api.include_router(meta.router)
    api.include_router(login.router)
    harden(api)
    return api


app = create_app()
