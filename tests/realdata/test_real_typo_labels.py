"""The real slips labelled on real pages (bench/labels/real_typos.tsv) are what bench/realpages.py leaves out of
its false-alarm count, so each row must name a labelled page whose main text (as labelled in cleaned/, or as
`govwatch check page` extracts it) holds the form as written, and a different right form.
Skips when ../shared/realdata is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.realeval.corpus import pages, read_labels
from crawler.pages.page_info import page_info

pytestmark = pytest.mark.realdata


def test_every_labelled_slip_is_written_on_its_page(realdata: Path) -> None:
    by_key = {page.key: page for page in pages(realdata)}
    rows = list(read_labels("real_typos.tsv"))
    assert rows, "no labelled real slips"
    for row in rows:
        page = by_key.get(row["page"])
        assert page is not None, f"{row['page']}: no such page under {realdata}"
        assert page.cleaned is not None, f"{row['page']}: no cleaned/ main text, so no alarm is counted there"
        info = page_info(page.raw)
        read = f"{page.cleaned}\n{info.title}\n{info.body_text}"
        assert row["text"] in read, f"{row['page']}: {row['text']!r} is not in its main text"
        assert row["suggestion"] and row["suggestion"] != row["text"], f"{row['page']}: {row['text']!r} has no fix"

