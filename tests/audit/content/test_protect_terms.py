"""Real-page wording the typo check must read as written: short quoted terms, firms' trade names,
an optional 儿, variant characters. Each sentence is flagged by the old code (asserted below with
the protection switched off), so each test can fail."""

from __future__ import annotations

import pytest

import audit.content.typos as typos
from audit.content.confusion import word_counts
from audit.content.protect import optional_er, protected_spans, trade_names
from audit.content.typos import TypoDetector
from audit.content.variants import fold_variants

QUOTED = ("这种青铜像的铸造技术被称作\"失蜡法\"，是从地中海地区传入的。", "“十三五”期间，依托现有资源，建设一批基地。")
FIRMS = ("目前我在上海祝成信息科技有限公司担任产品经理。", "书由中国人民大学出版社博克教育公司发行。")
ER = "医生把血管以及周围组织一股脑扎在一起。"
VARIANT = "MBC\t脸红的拉面硏究所\t中秋特别节目"


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


@pytest.fixture(scope="module")
def lenient() -> TypoDetector:
    """A lower bar, where trade names and 儿 fixes used to come up (as on whole real pages)."""
    return TypoDetector({"confusion_min_gain": 6.0})


def test_without_the_new_rules_these_are_flagged(detector, lenient, monkeypatch):
    monkeypatch.setattr(typos, "protected_spans", lambda text: iter(()))
    monkeypatch.setattr(typos, "trade_names", lambda text, known: iter(()))
    monkeypatch.setattr(typos, "optional_er", lambda written, suggested, known: False)
    monkeypatch.setattr(typos, "fold_variants", lambda text: text)
    assert [t.text for s in QUOTED for t in detector.check(s)] == ["失蜡", "十三五"]
    assert [t.text for s in FIRMS for t in lenient.check(s)] == ["祝成", "博克"]
    assert [t.suggestion for t in lenient.check(ER)] == ["一股脑儿"]
    assert [t.text for t in detector.check(VARIANT)] == ["硏究所"]


def test_short_quoted_terms_are_named_not_misspelt(detector):
    assert [t for s in QUOTED for t in detector.check(s)] == []


def test_quotes_protect_short_han_terms_only():
    spans = lambda text: [text[a:b] for a, b in protected_spans(text)]  # noqa: E731
    assert spans("发展“互粘网+体育”") == []  # not a bare term: still read
    # Book titles: a misspelt law is still a slip.
    assert not any("珐" in span for span in spans("根据《中华人民共和国律师珐》"))
    assert spans("推进“放管服”改革") == ["放管服"]


def test_trade_names_before_trades_and_company(lenient):
    known = word_counts()
    found = [FIRMS[0][a:b] for a, b in trade_names(FIRMS[0], known)]
    assert "祝成" in found
    assert [t for s in FIRMS for t in lenient.check(s)] == []


def test_slips_inside_a_firm_name_are_still_read():
    known = word_counts()
    # 凯发 follows a trade word (交通), 西剩 finishes the place 山西: neither is a trade name.
    assert list(trade_names("山西省交通凯发投资集团有限公司", known)) == []
    assert "西剩" not in ["山西剩交通开发投资集团"[a:b] for a, b in trade_names("山西剩交通开发投资集团", known)]


def test_an_optional_er_is_no_slip(lenient):
    known = word_counts()
    assert optional_er("一股脑扎", "一股脑儿", known)
    assert not optional_er("再接再励", "再接再厉", known)
    assert lenient.check(ER) == []


def test_variant_characters_are_read_as_their_standard_form(detector):
    assert fold_variants("硏究所，衞生") == "研究所，卫生"
    assert fold_variants("兔子很著名") == "兔子很著名"  # Chinese characters in their own right stay
    assert detector.check(VARIANT) == []
