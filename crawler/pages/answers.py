"""Reading platform API answers: the JSON object, or a ParseError that says what was wrong."""

from __future__ import annotations

import json
from typing import Any

from core.errors import ParseError


def json_object(body: str, url: str, what: str = "answer") -> dict[str, Any]:
    """The JSON object of an API answer; ParseError (naming the URL) for non-JSON or non-objects."""
    try:
        answer = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{what} is not JSON ({exc.msg} at {exc.pos})", source=url) from exc
    if not isinstance(answer, dict):
        raise ParseError(f"JSON {what} is not an object", source=url)
    return answer
