"""What a route handler returns, and helpers to build it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    """The parts of an HTTP request a handler may look at."""

    path: str
    query: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    client: str = ""
    base_url: str = ""

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, default)

    def int_arg(self, name: str, default: int = 0) -> int:
        try:
            return int(self.query.get(name, default))
        except ValueError:
            return default


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (slow pages)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode())


def html_response(html: str, status: int = 200, encoding: str = "utf-8") -> Response:
    return Response(status, f"text/html; charset={encoding}", html.encode(encoding))


def text_response(text: str, content_type: str, encoding: str = "utf-8") -> Response:
    return Response(200, f"{content_type}; charset={encoding}", text.encode(encoding))


def not_found() -> Response:
    return html_response("<html><body><h1>404 Not Found</h1></body></html>", 404)


def page(title: str, body: str, head: str = "", charset: str = "utf-8") -> str:
    """A complete HTML document."""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
            f"<title>{title}</title>{head}</head>\n<body>\n{body}\n</body></html>\n")
