"""GET /: the investigators' search page."""

from __future__ import annotations

from fastapi import APIRouter, Response

from search_api.access.auth import CurrentKey
from search_api.render import page

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(key: CurrentKey) -> Response:
    """The investigators' search page."""
    return page("base.html", key=key, nav="posts")
