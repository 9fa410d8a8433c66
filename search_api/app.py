"""The search API and web page: a thin FastAPI layer over index/ and audit/.

Each resource has its router in search_api.routes; this module only
assembles them, with plain imports so a missing module fails at start-up.
"""

from __future__ import annotations

from fastapi import FastAPI

from search_api.routes import accounts, findings, impersonation, page, search


def create_app() -> FastAPI:
    """The API with every router included."""
    api = FastAPI(title="govwatch", description="Search government new-media posts, pages, accounts and findings.")
    for module in (search, accounts, findings, impersonation, page):
        api.include_router(module.router)
    return api


app = create_app()
