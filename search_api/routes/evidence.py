"""Evidence and reports for investigators: a finding's proof, stored bytes, and the written report files.

GET /evidence/finding?rule_id=&subject_key=   the finding, facts, snapshots and screenshots (JSON)
GET /evidence/blob/{sha256}                    the stored bytes of one snapshot or screenshot
GET /reports, GET /reports/{name}              report files in reports_dir (inspection, nightly list)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, Response

from core.config import Settings, get_settings
from ops.evidence.bundle import evidence_bundle, find_finding
from ops.evidence.store import EvidenceStore
from search_api.deps import Store
from search_api.schemas import ErrorOut

router = APIRouter(tags=["evidence"])
MEDIA = {".html": "text/html; charset=utf-8", ".json": "application/json", ".csv": "text/csv; charset=utf-8",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@lru_cache(maxsize=1)
def evidence_store() -> EvidenceStore:
    return EvidenceStore.from_settings(get_settings())


Evidence = Annotated[EvidenceStore, Depends(evidence_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Nothing of that name"}}


@router.get("/evidence/finding", responses=NOT_FOUND)
def finding_evidence(store: Store, evidence: Evidence, rule_id: Annotated[str, Query(max_length=200)],
                     subject_key: Annotated[str, Query(max_length=2000)]) -> dict[str, Any]:
    """The proof of one finding: URL and fetch time, snapshots, screenshots, and for accounts the facts."""
    finding = find_finding(store, rule_id, subject_key)
    if finding is None:
        raise HTTPException(404, f"no finding of rule {rule_id!r} on {subject_key!r}")
    return evidence_bundle(store, evidence, finding)


@router.get("/evidence/blob/{sha256}", responses=NOT_FOUND)
def blob(sha256: str, evidence: Evidence) -> Response:
    """Stored bytes, served as an attachment so a compromised page's scripts never run in the API's origin."""
    data = evidence.read(sha256)
    if data is None:
        raise HTTPException(404, f"no stored evidence {sha256!r} (pruned, never kept, or not a hash)")
    shots = evidence.find_by_sha(sha256)
    media = shots.content_type if shots else "application/octet-stream"
    if media.startswith("text/html"):
        media = "text/plain; charset=utf-8"  # shown as source, never rendered
    headers = {"Content-Disposition": f'attachment; filename="{sha256[:16]}"',
               "Content-Security-Policy": "sandbox"}
    return Response(data, media_type=media or "application/octet-stream", headers=headers)


@router.get("/reports")
def reports(settings: SettingsDep) -> list[dict[str, Any]]:
    """Report files in reports_dir, newest first."""
    root = Path(settings.reports_dir)
    files = sorted((p for p in root.glob("*") if p.is_file() and p.suffix in MEDIA),
                   key=lambda p: p.stat().st_mtime, reverse=True) if root.is_dir() else []
    return [{"name": p.name, "size": p.stat().st_size, "href": f"/reports/{p.name}"} for p in files]


@router.get("/reports/{name}", responses=NOT_FOUND)
def report_file(name: str, settings: SettingsDep) -> FileResponse:
    """One report file (names only: no paths)."""
    path = Path(settings.reports_dir) / name
    if "/" in name or "\\" in name or name.startswith(".") or path.suffix not in MEDIA or not path.is_file():
        raise HTTPException(404, f"no report {name!r}")
    return FileResponse(path, media_type=MEDIA[path.suffix], filename=name)
