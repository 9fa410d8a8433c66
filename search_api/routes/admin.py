"""Administration (admin role): keys and the access log; registry import, audit and crawl as background jobs.

Keys are made and revoked with `govwatch keys` on the server: a new key is
shown once, on the administrator's terminal, never in an HTTP answer.
Imports, audits and crawls write to the store, which the API only reads: each
POST starts the `govwatch` command in a process of its own
(search_api.admin_jobs) and answers 202 with the job's id; GET
/admin/jobs/{id} says how it went.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, Response, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel

from audit.registry.reader import read_registry
from core.config import get_settings
from core.errors import BadInputError
from ops.history import Run
from search_api import admin_jobs
from search_api.access.auth import CurrentKey, keystore
from search_api.access.keystore import AccessRecord, ApiKey
from search_api.schemas import ChinaTime, ErrorOut

router = APIRouter(tags=["admin"])
UPLOAD_MAX = 50_000_000  # bytes of a registry file: a national registry of 100k rows is about 15 MB of CSV
STARTED: dict[int | str, dict[str, Any]] = {
    202: {"description": "Started; poll the Location (GET /admin/jobs/{id})",
          "headers": {"Location": {"description": "the job's status route", "schema": {"type": "string"}}}},
}


class JobOut(BaseModel):
    """A job run: what, since when, how it went, and the tail of its output."""

    id: int
    job: str  # api-registry | api-audit | api-crawl, or a scheduled job (crawl, audit, …)
    outcome: Literal["running", "ok", "failed", "interrupted", "skipped", "missed"]
    started_at: ChinaTime
    ended_at: ChinaTime | None
    counts: dict[str, Any]  # the runner's exit code and command; a scheduled job's own counts
    message: str
    output: str = ""  # the command's output so far (jobs started over the API)
    status_url: str


def job_out(run: Run, output: str = "") -> JobOut:
    return JobOut(id=run.id, job=run.job, outcome=run.outcome, started_at=run.started_at,  # type: ignore[arg-type]
                  ended_at=run.ended_at, counts=run.counts, message=run.message, output=output,
                  status_url=f"/admin/jobs/{run.id}")


def started(kind: str, args: list[str], key: Any, response: Response) -> JobOut:
    """Start the job, point Location at its status, and answer with that status."""
    settings = get_settings()
    run_id = admin_jobs.start(settings, kind, args, key.name)
    response.headers["Location"] = f"/admin/jobs/{run_id}"
    found = admin_jobs.status(settings, run_id)
    assert found is not None  # just written
    return job_out(*found)


@router.get("/admin/keys", response_model=list[ApiKey])
def keys() -> list[ApiKey]:
    """Every key (never the key itself): name, role, when made, when revoked."""
    return keystore().list()


@router.get("/admin/access-log", response_model=list[AccessRecord])
def access_log(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AccessRecord]:
    """The newest `limit` lines of the access log: who searched or exported what, when, and the answer."""
    return list(keystore().access_log(limit))


@router.post("/admin/registry", status_code=202, response_model=JobOut,
             responses={**STARTED, 413: {"model": ErrorOut, "description": f"The file is over {UPLOAD_MAX:,} bytes"}})
def import_registry(
    key: CurrentKey, response: Response,
    file: Annotated[UploadFile, File(description="the registry: CSV (UTF-8 or GB18030) or XLSX, as for "
                                                 "`govwatch registry import`")],
    sheet: Annotated[str | None, Form(min_length=1, max_length=100, description="XLSX: the sheet to read")] = None,
) -> JobOut:
    """Import a registry file (备案库) as `govwatch registry import` does: checked now (400 when no row is
    usable), imported in the background; the job's output lists what was added, changed, closed and rejected."""
    data = file.file.read(UPLOAD_MAX + 1)
    if len(data) > UPLOAD_MAX:
        raise HTTPException(413, f"the registry file is over {UPLOAD_MAX:,} bytes")
    path = admin_jobs.save_upload(get_settings(), data)
    named = lambda text: text.replace(str(path), file.filename or "the file")[:300]  # noqa: E731 - the upload's name, not ours
    try:
        parsed = read_registry(path, sheet)
    except BadInputError as exc:
        path.unlink()
        raise HTTPException(400, f"not a usable registry file: {named(str(exc))}") from exc
    if not parsed.entries:
        path.unlink()
        reasons = named("; ".join(str(e) for e in parsed.errors[:3]))
        raise HTTPException(400, f"no usable row in the registry file{': ' + reasons if reasons else ''}")
    return started("registry", ["registry", "import", str(path), *(["--sheet", sheet] if sheet else [])], key,
                   response)


@router.post("/admin/audit", status_code=202, response_model=JobOut, responses=STARTED)
def start_audit(key: CurrentKey, response: Response) -> JobOut:
    """Run the audit job now (`govwatch schedule --run-job audit`: accounts, content, screenshots, alerts)."""
    return started("audit", admin_jobs.COMMANDS["audit"], key, response)


@router.post("/admin/crawl", status_code=202, response_model=JobOut, responses=STARTED)
def start_crawl(key: CurrentKey, response: Response) -> JobOut:
    """Run the crawl job now (`govwatch schedule --run-job crawl`: the spiders of [schedule] spiders, or all)."""
    return started("crawl", admin_jobs.COMMANDS["crawl"], key, response)


@router.get("/admin/jobs", response_model=list[JobOut])
def jobs(limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[JobOut]:
    """The newest job runs, the scheduler's and the API's, newest first (without their output)."""
    return [job_out(run) for run in admin_jobs.recent(get_settings(), limit)]


@router.get("/admin/jobs/{job_id}", response_model=JobOut, responses={404: {"model": ErrorOut}})
def job(job_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> JobOut:
    """One job run and the tail of its output."""
    found = admin_jobs.status(get_settings(), job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id}")
    return job_out(*found)
