"""GET /health (the one route without a key), the OpenAPI schema and its docs (with a key), /static.

/docs is Swagger UI served from this server: its script and stylesheet come
from the pinned fastapi-offline package (Swagger UI 5, which reads OpenAPI 3.1) (/docs/assets/...) and its set-up
from /static/docs.js, so it works without internet and under a CSP that
names no other host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel

from search_api.access.auth import require_role
from search_api.render import TEMPLATES

router = APIRouter()
STATIC = TEMPLATES.parent / "static"
# the only files served: no directory listing, no traversal
STATIC_FILES = {"style.css": "text/css", "docs.js": "text/javascript"}
DOCS_ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "favicon.png": "image/png"}
DOCS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"


class HealthOut(BaseModel):
    status: str


@router.get("/health", response_model=HealthOut, tags=["meta"])
def health() -> HealthOut:
    """Liveness for load balancers and monitors; needs no key and says nothing about the data."""
    return HealthOut(status="ok")


@router.get("/openapi.json", include_in_schema=False, dependencies=[Depends(require_role("viewer"))])
def openapi(request: Request) -> dict[str, Any]:
    """The OpenAPI schema (with a key: it names every route and parameter)."""
    return request.app.openapi()  # type: ignore[no-any-return]


@router.get("/docs", include_in_schema=False, dependencies=[Depends(require_role("viewer"))])
def docs() -> HTMLResponse:
    """Swagger UI over /openapi.json, every file from this server."""
    return HTMLResponse((TEMPLATES / "docs.html").read_text(encoding="utf-8"))


@router.get("/docs/assets/{name}", include_in_schema=False)
def docs_asset(name: str) -> Response:
    """Swagger UI's script, stylesheet and icon from the pinned package (public files: no key)."""
    if name not in DOCS_ASSETS:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(DOCS_DIR / name, media_type=DOCS_ASSETS[name])


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    """The page's stylesheet (needed by the login form, so no key)."""
    if name not in STATIC_FILES:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name])
