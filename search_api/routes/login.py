"""The login form of the page: a key in, an HttpOnly cookie out; and log out.

The form body is read by hand with a size cap (a key is short; a megabyte
body is refused before it is parsed).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from core.config import get_settings
from search_api.access.auth import COOKIE, active_key
from search_api.render import page

router = APIRouter(include_in_schema=False)
BODY_MAX = 4096
COOKIE_SECONDS = 12 * 3600  # one working day; the key itself stays valid until revoked


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (no //host, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(next: str = "/") -> Response:  # noqa: A002 - the parameter name is part of the URL
    """The login form."""
    return page("login.html", next=safe_next(next[:2000]), key=None)


async def _form(request: Request) -> dict[str, str] | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            return None
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=5)
    return {k: v[0] for k, v in fields.items()}


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the key; on success set the cookie and go where the user was going."""
    form = await _form(request)
    if form is None:
        return page("login.html", status_code=413, next="/", key=None, error="表单过大 form too large")
    target = safe_next(form.get("next"))
    secret = form.get("key", "").strip()
    found = await active_key(secret)
    if found is None:
        return page("login.html", status_code=401, next=target, key=None, error="密钥无效或已吊销 unknown or revoked key")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, form["key"].strip(), max_age=COOKIE_SECONDS, httponly=True, samesite="strict",
                        secure=get_settings().api.secure_cookie, path="/")
    return response


@router.post("/logout")
def logout() -> Response:
    """Forget the cookie."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
