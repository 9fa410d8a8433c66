"""Fixtures shared by the content tests."""

from __future__ import annotations

import pytest

import audit.content.similar as similar
from audit.content.confusion import shared_model


@pytest.fixture
def yi_suggested(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code before session 11, where 一 could be suggested for any character (similar.NEVER_SUGGESTED):
    for tests showing what another rule keeps out. The shared confusion sets are worked out afresh."""
    monkeypatch.setattr(similar, "NEVER_SUGGESTED", frozenset())
    monkeypatch.setattr(shared_model().similarity, "_sets", {})
