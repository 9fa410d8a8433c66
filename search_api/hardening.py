"""What every answer gets: trusted Host check, security headers, the access log, short error messages.

- Host: only the names in ``[api] trusted_hosts`` (a DNS-rebinding page
  cannot talk to a local API through another name); ``*.example.cn`` allows
  sub-domains.
- Headers: a strict CSP (no script or style from elsewhere, no framing),
  X-Frame-Options, nosniff, no Referer (a search query must not leak to the
  sites an investigator clicks through to), no caching of answers.
- Validation errors keep FastAPI's shape but never echo more than
  ECHO_MAX characters of what was sent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import get_settings
from core.errors import StoreError
from search_api.access.auth import keystore
from search_api.access.keysfile import off_loop

ECHO_MAX = 100
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Swagger UI at /docs: every file from this server; it fetches /openapi.json and tries requests out
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store"}


def host_allowed(host: str, trusted: tuple[str, ...]) -> bool:
    """True when `host` is a trusted name, or under a trusted ``*.domain``."""
    host = host.lower().rstrip(".")
    for pattern in trusted:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def repeated(request: Request) -> Response | None:
    """422 for a query parameter given twice: no route takes a list, and FastAPI would silently keep the last."""
    counts = Counter(key for key, _ in request.query_params.multi_items())
    twice = sorted(key for key, n in counts.items() if n > 1)
    if not twice:
        return None
    detail = [{"loc": ["query", key], "msg": f"given {counts[key]} times; give it once", "type": "repeated"}
              for key in twice[:10]]
    return JSONResponse({"detail": detail}, status_code=422)


class Guard:
    """Refuse untrusted Host headers and repeated parameters, add the security headers, write the access log.

    A plain ASGI middleware, not Starlette's BaseHTTPMiddleware: that one runs
    the rest of the app in a task of its own and copies the response through
    a memory stream, which cost about a millisecond of CPU per request.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = repeated(request)
        if not host_allowed(request.url.hostname or "", get_settings().api.trusted_hosts):
            refused = PlainTextResponse("Invalid host header", status_code=400)
        policy = DOCS_CSP if scope["path"] == "/docs" else CSP
        status = 0

        async def secured(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        if refused is not None:
            await refused(scope, receive, secured)
            return
        state = scope.setdefault("state", {})  # request.state: routers' copies of the scope share this dict
        await self.app(scope, receive, secured)
        key = state.get("api_key")  # set by authenticate
        if key is not None:
            await off_loop(lambda wait: keystore().log(key, request.method, request.url.path, request.url.query,
                                                       status, wait))


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= ECHO_MAX else f"{text[:ECHO_MAX]}… ({len(text)} characters)"


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 body, with each echoed input cut to ECHO_MAX characters."""
    assert isinstance(exc, RequestValidationError)
    detail = []
    for err in exc.errors():
        item = {"loc": list(err.get("loc", ())), "msg": _short(err.get("msg", "")), "type": err.get("type", "")}
        if "input" in err:
            item["input"] = _short(err["input"])
        detail.append(item)
    return JSONResponse({"detail": detail}, status_code=422)


def is_page(request: Request) -> bool:
    """The server-rendered page (as opposed to the JSON API)."""
    return request.url.path == "/" or request.url.path.startswith("/ui")


async def http_error(request: Request, exc: Exception) -> Response:
    """A page asked for without a key goes to the login form; everything else answers as FastAPI does."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401 and is_page(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return await http_exception_handler(request, exc)


async def store_error(request: Request, exc: Exception) -> Response:
    """The store cannot be opened or read: 503 with the reason (a path, never request data)."""
    return JSONResponse({"detail": f"store unavailable: {exc}"}, status_code=503)


def harden(app: FastAPI) -> None:
    """Install the guard middleware and the error handlers on `app`."""
    app.add_middleware(Guard)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(StoreError, store_error)
