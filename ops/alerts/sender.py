"""Deliver alerts from a background thread with retries and backoff: an alert never blocks or fails a job.

`notify()` only queues. A daemon thread posts to every webhook, retrying
network errors, 5xx/429 and robot error codes with exponential backoff.
`close(wait)` gives pending alerts at most `wait` seconds at the end of a
job, then gives up (logged), so a dead receiver costs a job seconds, not hours.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from core.config import Settings
from core.errors import ConfigError
from ops.alerts.model import FORMATS, Alert, dingtalk_signed_url, encode, payload, signature_headers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Webhook:
    """One receiver: [[alerts.webhooks]] url, format, secret_env (the secret itself stays in the environment)."""

    url: str
    format: str = "json"
    secret: str = ""
    kinds: tuple[str, ...] = ()  # only these alert kinds (empty: all)
    retries: int = 4
    timeout: float = 5.0

    def wants(self, alert: Alert) -> bool:
        return not self.kinds or alert.kind in self.kinds


def webhooks_from(settings: Settings) -> list[Webhook]:
    """Receivers from config [alerts]; a clear ConfigError for a bad entry."""
    hooks = []
    for i, raw in enumerate(settings.alerts.get("webhooks", [])):
        where = f"[[alerts.webhooks]] #{i + 1}"
        unknown = set(raw) - {"url", "format", "secret_env", "kinds", "retries", "timeout"}
        if unknown or not str(raw.get("url", "")).startswith(("http://", "https://")):
            raise ConfigError(f"{where}: needs url = 'http(s)://…'" + (f"; unknown keys {sorted(unknown)}"
                                                                     if unknown else ""))
        fmt = raw.get("format", "json")
        if fmt not in FORMATS:
            raise ConfigError(f"{where}: format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        secret = os.environ.get(raw["secret_env"], "") if raw.get("secret_env") else ""
        if raw.get("secret_env") and not secret:
            log.warning("%s: environment variable %s is empty: alerts go unsigned", where, raw["secret_env"])
        hooks.append(Webhook(raw["url"], fmt, secret, tuple(raw.get("kinds", ())), int(raw.get("retries", 4)),
                             float(raw.get("timeout", 5.0))))
    return hooks


class AlertSender:
    """Queues alerts and posts them from one daemon thread."""

    def __init__(self, hooks: list[Webhook], *, backoff: float = 1.0, once: Callable[[str], bool] | None = None,
                 client: httpx.Client | None = None):
        self.hooks = hooks
        self.backoff = backoff
        self.once = once  # once(key) -> True the first time a key is seen (the job history remembers)
        self.sent = 0
        self.failed = 0
        self._queue: queue.Queue[Alert | None] = queue.Queue()
        self._stop = threading.Event()
        self._client = client or httpx.Client(follow_redirects=False)
        self._thread = threading.Thread(target=self._run, name="govwatch-alerts", daemon=True)
        if hooks:
            self._thread.start()

    @classmethod
    def from_settings(cls, settings: Settings, once: Callable[[str], bool] | None = None) -> AlertSender:
        return cls(webhooks_from(settings), once=once)

    def notify(self, alert: Alert) -> None:
        """Queue `alert` (returns at once). An alert with a once_key already sent is dropped."""
        log.warning("alert %s: %s — %s", alert.kind, alert.title, alert.text)
        if not self.hooks or (alert.once_key and self.once is not None and not self.once(alert.once_key)):
            return
        self._queue.put(alert)

    def close(self, wait: float = 30.0) -> None:
        """Let queued alerts go out for at most `wait` seconds; then stop (the thread is a daemon)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(wait)
            if self._thread.is_alive():
                log.warning("alerts: gave up waiting after %.0f s; %d not delivered", wait, self._queue.qsize())
                self._stop.set()  # the thread ends after its current request and closes the client
                return
        self._client.close()

    def _run(self) -> None:
        try:
            while (alert := self._queue.get()) is not None and not self._stop.is_set():
                for hook in self.hooks:
                    if hook.wants(alert) and not self._stop.is_set():
                        ok = self._deliver(hook, alert)
                        self.sent += ok
                        self.failed += not ok
        finally:
            if self._stop.is_set():
                self._client.close()

    def _deliver(self, hook: Webhook, alert: Alert) -> bool:
        for attempt in range(hook.retries + 1):
            problem = self._post(hook, alert)
            if problem is None:
                return True
            if attempt < hook.retries:
                delay = self.backoff * 2**attempt
                log.info("alert to %s failed (%s); retry in %.1f s", _host(hook.url), problem, delay)
                if self._stop.wait(delay):  # closing: stop retrying
                    break
        log.warning("alert %r to %s not delivered after %d attempts: %s", alert.title, _host(hook.url),
                    hook.retries + 1, problem)
        return False

    def _post(self, hook: Webhook, alert: Alert) -> str | None:
        """None when delivered, else what went wrong."""
        body = encode(payload(alert, hook.format))
        url, headers = hook.url, {"Content-Type": "application/json; charset=utf-8"}
        if hook.secret and hook.format == "dingtalk":
            url = dingtalk_signed_url(url, hook.secret)
        elif hook.secret:
            headers.update(signature_headers(body, hook.secret))
        try:
            response = self._client.post(url, content=body, headers=headers, timeout=hook.timeout)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if response.status_code >= 300:
            return f"HTTP {response.status_code}"
        return _robot_error(hook.format, response)


def _robot_error(fmt: str, response: Any) -> str | None:
    """DingTalk and WeCom answer 200 with {"errcode": n}; non-zero is a failure (bad sign, rate limit)."""
    if fmt == "json":
        return None
    try:
        code = response.json().get("errcode", 0)
    except ValueError:
        return "answer is not JSON"
    return None if code == 0 else f"errcode {code}: {response.json().get('errmsg', '')}"


def _host(url: str) -> str:
    return httpx.URL(url).host  # never log the access token in the query
