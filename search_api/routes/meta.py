"""GET /health (the one route without a key), the OpenAPI schema and its docs (with a key), /static."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel

from search_api.access.auth import require_role
from search_api.render import TEMPLATES

router = APIRouter()
STATIC = TEMPLATES.parent / "static"
STATIC_FILES = {"style.css": "text/css"}  # the page's only asset: no directory listing, no traversal


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
    """Swagger UI over /openapi.json."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="govwatch API")


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    """The page's stylesheet (needed by the login form, so no key)."""
    if name not in STATIC_FILES:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name])
