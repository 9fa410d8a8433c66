"""Decode page bytes the way browsers do, tuned for Chinese government sites.

Order of evidence: byte-order mark, then the HTTP Content-Type charset, then
the page's own <meta charset> / http-equiv, then statistical detection
(charset-normalizer). A declared charset that does not decode the bytes is
skipped rather than trusted: Chinese sites often say utf-8 and send GBK.
gb2312/gbk labels decode as gb18030 (a strict superset; pages labelled gb2312
routinely contain GBK-only characters), big5 as big5hkscs.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache

import opencc
from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Labels w3lib does not translate (it already maps gb2312/gbk → gb18030, big5 → big5hkscs).
_EXTRA_LABELS = {
    "x-gbk": "gb18030",
    "x_gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "euc-cn": "gb18030",
    "euc_cn": "gb18030",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "utf8": "utf-8",
}
# Detection candidates are limited to what Chinese pages use, so short texts are not read as cp1252.
_DETECT = ["utf_8", "gb18030", "big5hkscs", "utf_16"]
# Frequent characters of Chinese (and of government pages). GBK bytes read as Big5, or Big5 read as
# GBK, decode without error into rare characters; counting frequent ones tells the readings apart.
_FREQUENT = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强"
    "放决西被干做必战先回则任取据处府县市省务局布微信号网站政府办公室通知关于工作领导服务信息公开首页"
    "浏览次数来源发布日期时间人民州宣传教育卫生健康交通环境保护安全监督管理委员会街道乡镇村"
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that produced it and which evidence chose it."""

    text: str
    encoding: str
    source: str  # bom | header | meta | detected | fallback


def normalise_encoding(label: str | None) -> str | None:
    """A Python codec name for a charset label, with Chinese labels widened; None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    name = _EXTRA_LABELS.get(key) or _EXTRA_LABELS.get(key.replace("_", "-"))
    if name is None:
        try:
            name = codecs.lookup(key).name
        except (LookupError, ValueError):  # ValueError: a NUL in the label
            return None
    name = _EXTRA_LABELS.get(name, name)
    return {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5hkscs"}.get(name, name)


def decode_body(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode `body` using BOM, header, meta charset and detection, in that order."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        bom_codec = normalise_encoding(bom_encoding) or "utf-8"
        return Decoded(body[len(bom) :].decode(bom_codec, "replace"), bom_codec, "bom")
    declared = (
        ("header", http_content_type_encoding(content_type) if content_type else None),
        ("meta", _meta_encoding(body)),
    )
    for source, label in declared:
        codec = normalise_encoding(label)
        if codec and (text := _strict(body, codec)) is not None:
            return Decoded(text, codec, source)
    return _detect(body)


def decode_text(body: bytes | str, content_type: str | None = None) -> Decoded:
    """Like decode_body, but a str passes through unchanged (encoding "")."""
    if isinstance(body, str):
        return Decoded(body, "", "text")
    return decode_body(body, content_type)


def _mostly_utf8(body: bytes) -> str | None:
    """The text when all but a few bytes (≤ 2 % of the multi-byte characters) are valid UTF-8."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")  # U+FFFD written in the page is no damage
    multibyte = sum(1 for char in text if char > "\x7f") - text.count("\ufffd")
    return text if multibyte >= 20 and bad * 50 <= multibyte else None


_MAGIC = {
    b"\x7fELF": "an ELF executable", b"MZ": "a Windows executable", b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office document)", b"\x1f\x8b": "a gzip archive", b"\xd0\xcf\x11\xe0": "an Office 97 file",
}


def binary_kind(body: bytes) -> str | None:
    """What a binary input is ("an ELF executable", "binary data"), or None for text in any encoding.

    Text in the encodings pages use has no NUL bytes and few control characters;
    UTF-16 (with its BOM) is text.
    """
    if read_bom(body)[0]:
        return None
    for magic, kind in _MAGIC.items():
        if body.startswith(magic):
            return kind
    head = body[:8192]
    controls = sum(1 for byte in head if byte < 0x09 or 0x0E <= byte < 0x20)
    return "binary data" if b"\x00" in head or controls * 20 > len(head) else None


def _meta_encoding(body: bytes) -> str | None:
    # Browsers pre-scan 1024 bytes; Chinese CMS templates put long comments first, so look further.
    return html_body_declared_encoding(body[:8192])


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


@lru_cache(maxsize=1)
def _frequent() -> frozenset[str]:
    return frozenset(_FREQUENT + opencc.OpenCC("s2t").convert(_FREQUENT))


def _frequency_score(text: str) -> int:
    frequent = _frequent()
    return sum(1 for char in text if char in frequent)


def _detect(body: bytes) -> Decoded:
    text = _strict(body, "utf-8")
    if text is not None:  # valid UTF-8 is almost never anything else
        return Decoded(text, "utf-8", "detected")
    if (text := _mostly_utf8(body)) is not None:  # a few damaged bytes must not make a UTF-8 page GBK
        return Decoded(text, "utf-8", "detected")
    readings = [(enc, t) for enc in ("gb18030", "big5hkscs") if (t := _strict(body, enc)) is not None]
    if readings:
        # max() keeps the first of equal scores: gb18030, as mainland pages are the common case.
        encoding, text = max(readings, key=lambda reading: _frequency_score(reading[1]))
        return Decoded(text, encoding, "detected")
    best = from_bytes(body, cp_isolation=_DETECT).best()
    if best is not None:
        encoding = normalise_encoding(best.encoding) or "gb18030"
        decoded = _strict(body, encoding)
        if decoded is not None:
            return Decoded(decoded, encoding, "detected")
    # Damaged bytes: gb18030 with replacement keeps the readable Chinese around the damage.
    return Decoded(body.decode("gb18030", "replace"), "gb18030", "fallback")
