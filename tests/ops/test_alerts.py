"""Webhook alerts against a local receiver: payload shapes, signing, retries with backoff, never blocking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

from core.config import Settings
from core.errors import ConfigError
from core.models import Finding, RegistryEntry
from index.sqlite import SqliteBackend
from ops.alerts import Alert, AlertSender, Webhook
from ops.alerts.sender import webhooks_from
from ops.alerts.triggers import calendar_alerts, crawl_alerts, new_veto_alerts, open_identities
from tests.audit.factory import add_account
from tests.ops.receiver import Receiver

ALERT = Alert("crawl_failed", "采集失败：weibo", "3 errors logged", "critical", {"spider": "weibo"})


def send(hooks: list[Webhook], *alerts: Alert, wait: float = 120.0) -> AlertSender:
    """Alerts sent, and the sender closed once they are all out (the wait is only a bound for a sender that hangs)."""
    sender = AlertSender(hooks, backoff=0.01)
    for alert in alerts:
        sender.notify(alert)
    sender.close(wait)
    return sender


def test_generic_json_with_a_verifiable_signature() -> None:
    with Receiver() as rx:
        sender = send([Webhook(rx.url + "/hook", secret="s3cret")], ALERT)
    assert sender.sent == 1
    [(path, headers, body)] = rx.requests
    assert path == "/hook" and rx.bodies()[0]["kind"] == "crawl_failed" and rx.bodies()[0]["source"] == "govwatch"
    assert rx.bodies()[0]["details"] == {"spider": "weibo"}
    expected = hmac.new(b"s3cret", headers["X-Govwatch-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Govwatch-Signature"] == "sha256=" + expected.hexdigest()


def test_dingtalk_markdown_and_timestamp_signing() -> None:
    with Receiver([(200, {"errcode": 0, "errmsg": "ok"})]) as rx:
        send([Webhook(rx.url + "/robot/send?access_token=T", format="dingtalk", secret="SEC")], ALERT)
    [(path, _, _)] = rx.requests
    query = parse_qs(urlsplit(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    digest = hmac.new(b"SEC", f"{timestamp}\nSEC".encode(), hashlib.sha256).digest()
    assert sign == unquote_plus(base64.b64encode(digest).decode()) or sign == base64.b64encode(digest).decode()
    assert query["access_token"] == ["T"] and abs(int(timestamp) / 1000 - time.time()) < 60
    body = rx.bodies()[0]
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == ALERT.title
    assert "3 errors logged" in body["markdown"]["text"]


def test_wecom_markdown() -> None:
    with Receiver() as rx:
        send([Webhook(rx.url + "/cgi-bin/webhook/send?key=K", format="wecom")], ALERT)
    body = rx.bodies()[0]
    assert body["msgtype"] == "markdown" and ALERT.title in body["markdown"]["content"]


def test_failures_are_retried_with_backoff_then_delivered() -> None:
    with Receiver([(500, {}), (200, {"errcode": 130101, "errmsg": "send too fast"}), (200, {"errcode": 0})]) as rx:
        sender = send([Webhook(rx.url, format="dingtalk", retries=3)], ALERT)
    assert len(rx.requests) == 3 and (sender.sent, sender.failed) == (1, 0)


def test_a_receiver_that_does_not_answer_never_blocks_the_job(caplog: pytest.LogCaptureFixture) -> None:
    """notify() only queues and close(wait) gives up: both return while the receiver still holds its answer."""
    hold = threading.Event()
    safety = threading.Timer(120, hold.set)  # frees a sender that blocked (the assertion below then fails)
    with Receiver(hold=hold) as rx:
        safety.start()
        try:
            sender = AlertSender([Webhook(rx.url, retries=0, timeout=300)], backoff=0.05)
            sender.notify(ALERT)
            assert rx.arrived.wait(60)  # the alert went out on the sender's thread; its answer is held
            sender.close(wait=0.1)
            assert not hold.is_set(), "notify or close waited for the receiver"
            assert (sender.sent, sender.failed) == (0, 0) and "gave up waiting" in caplog.text
        finally:
            hold.set()
            safety.cancel()


@pytest.mark.parametrize("starved", [False, True])
def test_a_slow_or_unreachable_receiver_is_retried_then_counted_failed(
        starved: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both tries are counted even when the server thread runs late (starved: each accept waits 0.5 s,
    longer than the client's timeout, as on a loaded machine)."""
    hold = threading.Event()
    with Receiver(hold=hold) as rx:
        if starved:
            accept = rx.server.process_request

            def late(*request: Any) -> None:
                time.sleep(0.5)
                accept(*request)
            monkeypatch.setattr(rx.server, "process_request", late)
        try:
            slow = send([Webhook(rx.url, retries=1, timeout=0.2)], ALERT)  # each try times out
            rx.wait_for_requests(2)  # the server may accept a connection after its client gave up
        finally:
            hold.set()
    assert (slow.sent, slow.failed) == (0, 1) and len(rx.requests) == 2
    dead = send([Webhook("http://127.0.0.1:9/", retries=2, timeout=0.5)], ALERT)
    assert (dead.sent, dead.failed) == (0, 1)


def test_once_alerts_go_out_once_and_kinds_filter() -> None:
    seen: set[str] = set()

    def once(key: str) -> bool:
        first = key not in seen
        seen.add(key)
        return first

    with Receiver() as rx:
        sender = AlertSender([Webhook(rx.url), Webhook(rx.url + "/vetoes", kinds=("veto_finding",))],
                             backoff=0.01, once=once)
        for alert in calendar_alerts([2027]) * 2:
            sender.notify(alert)
        sender.close(10)
    assert [p for p, _, _ in rx.requests] == ["/"] and rx.bodies()[0]["once_key"] == "calendar:2027"


def test_bad_webhook_config_is_named() -> None:
    with pytest.raises(ConfigError, match="#1.*url"):
        webhooks_from(Settings(alerts={"webhooks": [{"format": "json"}]}))
    with pytest.raises(ConfigError, match="format"):
        webhooks_from(Settings(alerts={"webhooks": [{"url": "http://x", "format": "slack"}]}))


def test_crawl_alerts_for_failure_silence_login_walls_and_dead_cookies() -> None:
    outcome = SimpleNamespace(name="weibo", problems=["2 errors logged"], stats={
        "govwatch/sources_silent": 1, "govwatch/needs_credentials/weibo": 3, "govwatch/needs_credentials/douyin": 1})
    kinds = [a.kind for a in crawl_alerts([outcome], environ={"GOVWATCH_COOKIES_WEIBO": "SUB=x"})]
    assert kinds == ["crawl_failed", "source_silent", "login_wall", "cookies_expired"]
    fine = SimpleNamespace(name="gov_site", problems=[], stats={"item_scraped_count": 5})
    assert crawl_alerts([fine], environ={}) == []


def test_new_veto_alerts_only_for_new_impersonation_pages_and_dormant_primary_accounts(
    store: SqliteBackend,
) -> None:
    store.upsert_registry([RegistryEntry("某市发布", "weibo", "1", is_primary=True),
                           RegistryEntry("某市教育", "weibo", "2")])
    add_account(store, "1", "某市发布", [])
    add_account(store, "2", "某市教育", [])
    before = open_identities(store)
    as_of = datetime(2026, 11, 23)
    findings = [Finding("dormant", "veto", "account", "weibo:1", "account.dormant", "t", {"name": "某市发布"}),
                Finding("dormant", "veto", "account", "weibo:2", "account.dormant", "t"),
                Finding("impersonation", "veto", "account", "weibo:9", "account.impersonation", "t"),
                Finding("spam_injection", "veto", "page", "http://gov.test/a", "page.spam_injection", "t")]
    store.save_findings(findings, rule_ids=[f.rule_id for f in findings], as_of=as_of)
    alerts = new_veto_alerts(store, before)
    assert [(a.details["finding_kind"], a.details["subjects"]) for a in alerts] == [
        ("dormant", ["weibo:1"]), ("impersonation", ["weibo:9"]), ("spam_injection", ["http://gov.test/a"])]
    assert new_veto_alerts(store, open_identities(store)) == []  # nothing new the second time
