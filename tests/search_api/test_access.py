"""Access control: keys and roles (401/403), the login cookie, rate limits (429), the access log, hardening."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search_api import deps
from search_api.access import auth
from search_api.access.keystore import KeyStore
from search_api.access.ratelimit import RateLimiter
from search_api.app import app, reset
from tests.search_api.conftest import BASE_URL

Clients = Callable[[str | None], TestClient]


@pytest.mark.parametrize("path", ["/posts?q=医保", "/pages?q=医保", "/accounts", "/findings",
                                  "/impersonation?name=永州人社", "/openapi.json", "/docs"])
def test_every_route_but_health_needs_a_key(client_for: Clients, path: str) -> None:
    """No key and a wrong key get 401 with a WWW-Authenticate challenge; /health answers anyone."""
    anonymous = client_for(None)
    response = anonymous.get(path)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert "API key" in response.json()["detail"]
    wrong = anonymous.get(path, headers={"Authorization": "Bearer gw_not-a-key"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "unknown or revoked API key"
    assert anonymous.get("/health").json() == {"status": "ok"}


def test_roles_viewer_investigator_admin(client_for: Clients) -> None:
    """A viewer searches but gets 403 on findings and name checks; an investigator gets both."""
    viewer, investigator = client_for("viewer"), client_for("investigator")
    assert viewer.get("/accounts").status_code == 200
    denied = viewer.get("/findings")
    assert denied.status_code == 403 and "'investigator'" in denied.json()["detail"]
    assert viewer.get("/impersonation", params={"name": "永州人社"}).status_code == 403
    assert investigator.get("/findings").status_code == 200
    assert client_for("admin").get("/findings").status_code == 200


def test_a_revoked_key_stops_working(api_env: Path, keys: dict[str, str], client_for: Clients) -> None:
    client = client_for("viewer")
    assert client.get("/accounts").status_code == 200
    store = KeyStore(api_env / "keys.db")
    store.revoke("test-viewer")
    store.close()
    assert client.get("/accounts").status_code == 401


def test_login_form_sets_an_httponly_cookie_and_returns_to_the_page(keys: dict[str, str]) -> None:
    """The page without a key redirects to /login; a good key sets the cookie; a bad one is refused."""
    browser = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    first = browser.get("/", params={"q": "医保"})
    assert first.status_code == 303 and first.headers["location"] == "/login?next=%2F%3Fq%3D%25E5%258C%25BB%25E4%25BF%259D"
    bad = browser.post("/login", data={"key": "gw_wrong", "next": "/"})
    assert bad.status_code == 401 and "密钥无效" in bad.text and "govwatch_key" not in bad.headers.get("set-cookie", "")
    good = browser.post("/login", data={"key": keys["viewer"], "next": "/?q=医保"})
    assert good.status_code == 303 and good.headers["location"] == "/?q=%E5%8C%BB%E4%BF%9D"
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert browser.get("/").status_code == 200
    assert browser.post("/logout").status_code == 303 and browser.get("/").status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(keys: dict[str, str], target: str) -> None:
    browser = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    assert browser.post("/login", data={"key": keys["viewer"], "next": target}).headers["location"] == "/"


def test_login_refuses_a_huge_form(api_env: Path) -> None:
    browser = TestClient(app, base_url=BASE_URL)
    response = browser.post("/login", content=b"key=" + b"x" * 100_000,
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and len(response.content) < 5000


def test_rate_limit_answers_429_with_retry_after(api_env: Path, client_for: Clients,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key has its own bucket: burst 2, then one request per 10 s at 6 a minute."""
    (api_env / "gw.toml").write_text("[api]\nrate_per_minute = 6\nrate_burst = 2\n", encoding="utf-8")
    monkeypatch.setenv("GOVWATCH_CONFIG", str(api_env / "gw.toml"))
    reset()
    # auth.limiter's own limiter, on a clock that stands still however slow the requests
    monkeypatch.setattr(auth, "RateLimiter", functools.partial(RateLimiter, clock=lambda: 1.8e9))
    client = client_for("viewer")
    assert [client.get("/accounts").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/accounts")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 10
    assert client_for("investigator").get("/accounts").status_code == 200  # limits are per key


def test_rate_limiter_refills_over_time(tmp_path: Path) -> None:
    now = [0.0]
    limiter = RateLimiter(tmp_path / "keys.db", per_minute=60, burst=1, clock=lambda: now[0])
    assert limiter.take("k") == 0.0 and limiter.take("k") == pytest.approx(1.0)
    now[0] = 1.0
    assert limiter.take("k") == 0.0
    now[0] = 0.5  # the clock stepped back: nothing refills, nothing breaks
    assert limiter.take("k") == pytest.approx(1.0)
    limiter.close()


def test_two_limiters_on_one_file_share_each_keys_bucket(tmp_path: Path) -> None:
    """Two processes' limiters (two connections to the keys file) spend from the same bucket."""
    now = [100.0]
    first, second = (RateLimiter(tmp_path / "keys.db", per_minute=6, burst=3, clock=lambda: now[0])
                     for _ in range(2))
    taken = [limiter.take("k") for limiter in (first, second, first, second)]
    assert taken[:3] == [0.0, 0.0, 0.0] and taken[3] == pytest.approx(10.0)
    assert second.take("other") == 0.0  # another key has its own bucket
    first.close()
    second.close()


def test_a_keys_file_locked_too_long_lets_the_request_through(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    limiter = RateLimiter(tmp_path / "keys.db", per_minute=1, burst=1, busy_timeout=0.1)
    holder = sqlite3.connect(tmp_path / "keys.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the busy timeout
    assert [limiter.take("k"), limiter.take("k")] == [0.0, 0.0] and "not checked" in caplog.text
    holder.execute("ROLLBACK")
    assert limiter.take("k") == 0.0 and limiter.take("k") > 0  # limits apply again once the lock is gone
    holder.close()
    limiter.close()


def test_access_log_records_who_searched_what(api_env: Path, client_for: Clients) -> None:
    client_for("viewer").get("/posts", params={"q": "医保"})
    client_for("investigator").get("/findings")
    store = KeyStore(api_env / "keys.db")
    log = list(store.access_log())
    store.close()
    assert [(r.key_name, r.path, r.status) for r in log] == [("test-investigator", "/findings", 200),
                                                            ("test-viewer", "/posts", 200)]
    assert "q=%E5%8C%BB%E4%BF%9D" in log[1].query


def test_security_headers_and_trusted_hosts(client_for: Clients) -> None:
    client = client_for("viewer")
    response = client.get("/accounts")
    assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert client.get("/accounts", headers={"host": "evil.example"}).status_code == 400


def test_errors_do_not_echo_megabytes_of_input(client_for: Clients) -> None:
    response = client_for("viewer").get("/posts", params={"q": "x" * 60_000})
    assert response.status_code == 422 and len(response.content) < 2000
    assert "characters)" in response.json()["detail"][0]["input"]


def test_the_api_opens_the_store_read_only(filled: Path) -> None:
    """Nothing the API runs can write to the store: its connection is mode=ro."""
    from core.errors import StoreError
    from core.models import Account

    store = deps.backend()
    assert store.get_account("wechat", "gh_1") is not None
    with pytest.raises(StoreError, match="readonly database"):
        store.upsert_accounts([Account("weibo", "1", "x")])


def test_a_missing_store_is_a_clear_error(api_env: Path, client_for: Clients) -> None:
    """No store file: 503 naming the problem (the read-only API does not create an empty store)."""
    (api_env / "api.db").unlink()
    response = client_for("viewer").get("/accounts")
    assert response.status_code == 503 and "no SQLite store there" in response.json()["detail"]
    assert not (api_env / "api.db").exists()


def test_a_parameter_given_twice_is_refused(client_for: Clients) -> None:
    """Found by schemathesis: /posts?account=a&account=b answered for b alone, accepting what the schema forbids."""
    response = client_for("viewer").get("/posts?q=医保&account=a&account=b")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "account"]


def test_admins_see_the_keys_and_the_access_log(client_for: Clients) -> None:
    """Only admins; the listing never contains a key."""
    client_for("viewer").get("/accounts")
    assert client_for("investigator").get("/admin/keys").status_code == 403
    admin = client_for("admin")
    listed = admin.get("/admin/keys").json()
    assert {k["name"] for k in listed} == {"test-viewer", "test-investigator", "test-admin"}
    assert all(set(k) == {"key_id", "name", "role", "created_at", "revoked_at"} for k in listed)
    log = admin.get("/admin/access-log", params={"limit": 5}).json()
    assert [(r["key_name"], r["path"], r["status"]) for r in log] == [
        ("test-admin", "/admin/keys", 200), ("test-investigator", "/admin/keys", 403), ("test-viewer", "/accounts", 200)]
