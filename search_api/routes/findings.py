"""GET /findings: audit findings with rule, rule-set version and evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from search_api.deps import Store
from search_api.schemas import FindingOut

router = APIRouter(tags=["findings"])


@router.get("/findings", response_model=list[FindingOut])
def findings(
    store: Store, kind: str | None = None,
    status: Annotated[Literal["open", "resolved", "all"], Query()] = "open",
) -> list[FindingOut]:
    """Findings with their rule, rule-set version and evidence."""
    found = store.list_findings(kind=kind, status=None if status == "all" else status)
    return [FindingOut(**{k: getattr(f, k) for k in FindingOut.model_fields}) for f in found]
