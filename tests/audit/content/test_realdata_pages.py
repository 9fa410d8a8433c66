"""Real saved pages (../shared/realdata/pages) are not flagged as spam."""

from __future__ import annotations

import pytest

from audit.content.spam import SpamInspector
from audit.content.textmap import decode


@pytest.mark.realdata
def test_real_government_and_article_pages_are_not_flagged_as_spam(realdata):
    pages = sorted((realdata / "pages").glob("*.html"))
    if not pages:
        pytest.skip("no saved pages in realdata/pages")
    inspector = SpamInspector()
    flagged = {}
    for path in pages:
        report = inspector.inspect(decode(path.read_bytes())[0], "")
        if report.compromised:
            flagged[path.name] = [(e.kind, e.where, e.text[:60]) for e in report.evidence]
    assert flagged == {}
