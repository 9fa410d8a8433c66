"""Limits for pages: size, binary input, damaged UTF-8, and the page checker on any bytes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.content.runner import page_findings
from audit.content.spam import SpamInspector
from audit.content.typos import TypoDetector
from core.errors import BadInputError
from core.models import Page
from crawler.pages.encoding import binary_kind, decode_body
from crawler.pages.page_info import page_info
from govwatch.cli import main
from govwatch.commands.check_page import _check_input

PAGE = "<html><head><title>关于做好医保缴费工作的通知</title></head><body><p>{}</p></body></html>"


def check(capsys: pytest.CaptureFixture[str], path: Path, config: Path | None = None) -> tuple[int, str]:
    prefix = ["--config", str(config)] if config else []
    with pytest.raises(SystemExit) as exc:
        main([*prefix, "check", "page", str(path), "--json"])
    return int(exc.value.code or 0), capsys.readouterr().err.strip()


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "an ELF executable"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    (bytes(range(256)) * 4, "binary data"),
])  # fmt: skip
def test_binary_input_is_refused_with_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, head: bytes,
                                             kind: str) -> None:  # fmt: skip
    path = tmp_path / "page.html"
    path.write_bytes(head)
    code, err = check(capsys, path)
    assert code == 2 and err == f"govwatch check: {path}: not a page but {kind}"


def test_a_page_over_the_configured_size_is_refused_naming_the_limit(capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path) -> None:  # fmt: skip
    config = tmp_path / "govwatch.toml"
    config.write_text("[limits]\npage_bytes = 2000\n", encoding="utf-8")
    path = tmp_path / "page.html"
    path.write_text(PAGE.format("通知" * 1000), encoding="utf-8")
    code, err = check(capsys, path, config)
    assert code == 2 and "over the limit of 2,000 ([limits] page_bytes)" in err


def test_text_in_chinese_encodings_is_not_binary() -> None:
    for encoding in ("utf-8", "gb18030", "big5hkscs", "utf-16"):
        assert binary_kind(PAGE.format("政务公开 瀏覽次數").encode(encoding, "replace")) is None, encoding


def test_a_utf8_page_with_a_few_bad_bytes_stays_utf8() -> None:
    body = PAGE.format("医疗保障局关于城乡居民医保缴费的通知。" * 20).encode("utf-8")
    cut = body.index(b"<p>") + 3
    damaged = body[:cut] + b"\xff\xfe" + body[cut:]  # two bytes no UTF-8 text can hold
    decoded = decode_body(damaged)
    assert decoded.encoding == "utf-8" and "医疗保障局关于城乡居民医保缴费的通知" in decoded.text


def test_a_stored_page_over_the_limit_gets_a_finding_instead_of_checks() -> None:
    page = Page(url="http://www.yz.gov.cn/big.html", title="大页面", text="通知" * 5000)
    (finding,) = page_findings(page, TypoDetector(), SpamInspector(), datetime(2026, 11, 23), "v", max_bytes=10_000)
    assert (finding.kind, finding.severity, finding.rule_id) == ("too_large", "info", "content.too_large")
    assert finding.evidence["bytes"] == 30_000 and finding.evidence["limit"] == 10_000


DETECTOR = TypoDetector()
INSPECTOR = SpamInspector()
PIECES = st.sampled_from(["<p>", "</p>", "<title>", "发布日期：2026-11-20", "想法设法", "微信公众号“永州发布”",
                          "澳门赌场", '<div style="display:none">', "\x00", "\xff", "&#99999999;"])  # fmt: skip
BODIES = st.one_of(st.binary(max_size=200),
                   st.lists(PIECES, max_size=12).map(lambda parts: "".join(parts).encode("utf-8", "replace")))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES, encoding=st.sampled_from([None, "text/html; charset=gbk", "text/html; charset=utf-8"]))
def test_the_page_checker_refuses_or_reads_any_bytes(body: bytes, encoding: str | None) -> None:
    """Any input is refused as bad input or read into title, typos, spam and accounts; nothing else escapes."""
    try:
        _check_input(body, "page.html", 5_000_000)
    except BadInputError as exc:
        assert str(exc).startswith("page.html: ")
        return
    info = page_info(body, "http://www.yz.gov.cn/a.html", encoding)
    DETECTOR.check_document(info.decoded, info.published)
    INSPECTOR.inspect(info.decoded, "http://www.yz.gov.cn/a.html")
    assert isinstance(info.title, str)
