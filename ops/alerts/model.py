"""What an alert says, and how each receiver wants it (generic JSON, DingTalk, WeCom)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

FORMATS = ("json", "dingtalk", "wecom")


@dataclass
class Alert:
    """One thing an operator must hear about (a new veto finding, a failed crawl, the calendar running out)."""

    kind: str  # veto_finding | crawl_failed | source_silent | login_wall | cookies_expired | calendar | job_failed
    title: str
    text: str
    severity: str = "warning"  # info | warning | critical
    details: dict[str, Any] = field(default_factory=dict)
    at: str = field(default_factory=lambda: datetime.now().replace(microsecond=0).isoformat(sep=" "))
    once_key: str = ""  # when set, the alert is sent once ever (e.g. "calendar:2027")


def payload(alert: Alert, fmt: str) -> dict[str, Any]:
    """The JSON body for a receiver format."""
    if fmt == "dingtalk":  # DingTalk custom robot: markdown message
        return {"msgtype": "markdown", "markdown": {"title": alert.title, "text": _markdown(alert)}}
    if fmt == "wecom":  # WeCom (企业微信) group robot: markdown content
        return {"msgtype": "markdown", "markdown": {"content": _markdown(alert)}}
    return {"source": "govwatch", **asdict(alert)}


def _markdown(alert: Alert) -> str:
    lines = [f"### [govwatch] {alert.title}", "", alert.text, ""]
    lines += [f"- {k}: {v}" for k, v in list(alert.details.items())[:15]]
    lines.append(f"\n{alert.at}")
    return "\n".join(lines)


def dingtalk_signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk "加签": HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def signature_headers(body: bytes, secret: str, now_s: int | None = None) -> dict[str, str]:
    """Generic receivers: X-Govwatch-Timestamp and X-Govwatch-Signature = sha256=HMAC(secret, "ts." + body)."""
    timestamp = str(now_s if now_s is not None else int(time.time()))
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Govwatch-Timestamp": timestamp, "X-Govwatch-Signature": f"sha256={mac}"}


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
