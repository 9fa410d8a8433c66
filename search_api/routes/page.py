"""GET /: the investigators' search page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"


@router.get("/", response_class=HTMLResponse)
def home() -> str:
    """The investigators' search page."""
    return (STATIC / "index.html").read_text(encoding="utf-8")
