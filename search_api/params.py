"""Query-parameter types shared by the routers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from core.models import PLATFORMS

Platform = Literal[PLATFORMS]  # type: ignore[valid-type]
Q = Annotated[str, Query(max_length=200, description="words to find; Chinese works without spaces")]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=10_000)]
