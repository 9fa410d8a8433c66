"""crawler.pages.encoding: BOM, header, meta and detection, with Chinese labels widened."""

from __future__ import annotations

import pytest

from crawler.pages.encoding import decode_body, decode_text, normalise_encoding

ARTICLE = "永州市人民政府 关注“永州人社”微信号 发布日期：2024年3月21日 镕喆堃"
TRADITIONAL = "永州市人民政府 關注「永州人社」微信號 瀏覽次數：123"


@pytest.mark.parametrize(
    ("label", "codec"),
    [("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
     ("Big5", "big5hkscs"), ("utf8", "utf-8"), ("UTF-8", "utf-8"), ("nonsense", None), ("", None)],
)  # fmt: skip
def test_labels_widen_to_supersets(label: str, codec: str | None) -> None:
    """gb2312/gbk labels decode as gb18030 and big5 as big5hkscs; unknown labels are None."""
    assert normalise_encoding(label) == codec


def test_gb2312_label_decodes_gbk_only_characters() -> None:
    """A page labelled gb2312 that uses GBK-only characters (镕) still decodes without loss."""
    body = ARTICLE.encode("gbk")
    decoded = decode_body(body, "text/html; charset=gb2312")
    assert decoded.text == ARTICLE
    assert (decoded.encoding, decoded.source) == ("gb18030", "header")


def test_meta_charset_used_when_header_silent() -> None:
    """<meta http-equiv> charset is honoured when the HTTP header names none."""
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head>{ARTICLE}'
    decoded = decode_body(html.encode("gbk"), "text/html")
    assert ARTICLE in decoded.text and decoded.source == "meta"


def test_wrong_declared_charset_is_not_trusted() -> None:
    """A page that claims utf-8 but sends GBK bytes is detected as GBK, not mangled."""
    html = f"<meta charset=utf-8><p>{ARTICLE}</p>"
    decoded = decode_body(html.encode("gbk"), "text/html; charset=utf-8")
    assert ARTICLE in decoded.text and decoded.encoding == "gb18030" and decoded.source == "detected"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [(ARTICLE, "gbk", "gb18030"), (TRADITIONAL, "big5", "big5hkscs"), (ARTICLE, "utf-8", "utf-8"),
     ("哈哈哈哈", "gbk", "gb18030"), ("關注", "big5", "big5hkscs"), ("关注", "gbk", "gb18030")],
)  # fmt: skip
def test_detection_without_declaration(text: str, codec: str, expected: str) -> None:
    """Undeclared GBK, Big5 and UTF-8 are told apart, even for very short texts."""
    decoded = decode_body(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, expected)


def test_bom_wins_over_declaration() -> None:
    """A UTF-8 BOM decides, whatever the header says, and is removed from the text."""
    decoded = decode_body("\ufeff".encode() + ARTICLE.encode("utf-8"), "text/html; charset=gbk")
    assert decoded.text == ARTICLE and decoded.source == "bom"


def test_damaged_bytes_decode_with_replacement() -> None:
    """Truncated multibyte input still yields the readable text around the damage."""
    decoded = decode_body(ARTICLE.encode("gbk")[:-1])
    assert decoded.text.startswith("永州市人民政府") and decoded.source == "fallback"


def test_str_passes_through() -> None:
    """Text input is returned as given, so offsets map back to it."""
    assert decode_text(ARTICLE).text == ARTICLE and decode_text(ARTICLE).encoding == ""
