"""/docs is Swagger UI from this server's own files: no CDN, a CSP naming no other host."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

Clients = Callable[[str | None], TestClient]


def test_docs_reference_only_this_server(api_env: Path, client_for: Clients) -> None:
    response = client_for("viewer").get("/docs")
    assert response.status_code == 200
    references = re.findall(r'(?:src|href)="([^"]*)"', response.text)
    assert len(references) == 4 and all(r.startswith("/") and not r.startswith("//") for r in references)
    assert "<script>" not in response.text  # no inline script: the CSP allows none
    csp = response.headers["content-security-policy"]
    assert "http" not in csp and "unsafe" not in csp and "script-src 'self'" in csp
    for reference in references:
        asset = client_for(None).get(reference)
        assert asset.status_code == 200 and len(asset.content) > 100, reference


def test_docs_need_a_key_but_their_assets_do_not_and_nothing_else_is_served(api_env: Path,
                                                                             client_for: Clients) -> None:
    anonymous = client_for(None)
    assert anonymous.get("/docs").status_code == 401
    assert anonymous.get("/docs/assets/swagger-ui.css").headers["content-type"].startswith("text/css")
    for name in ("redoc.standalone.js", "..%2f__init__.py", "core.py"):
        assert anonymous.get(f"/docs/assets/{name}").status_code == 404
