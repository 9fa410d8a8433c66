"""Compare one query name with one registry entry and say why they look alike.

`assess` returns an Assessment: a score in 0..1, the reasons (each signal of
the issue is one reason) and whether the likeness is *near-identical*
(strong: enough on its own) or only *partial* (weak: counts only when the
name claims a government identity, so 上海美食地图 stays clear).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from audit.impersonation.places import Gazetteer
from core.names import VARIANTS, has_latin
from core.names.confusables import looks_alike
from core.names.forms import GOV_WORDS, claims_government, suffix_conflict
from core.names.keys import MIN_FUZZY_LEN, NameKeys
from core.text import to_simplified

# Strength of each signal; the candidate's score is the strongest one (or the plain similarity).
STRONG = {"identical": 0.97, "decorations": 0.95, "homophone": 0.92, "look-alike": 0.92, "latin": 0.92,
          "owner": 0.9, "abbreviation": 0.9}
WEAK = {"containment": 0.8, "edit": 0.78, "reordered": 0.78}
REGION_LEVELS = ("市", "省", "县", "区")
PRODUCT_WORDS = ("器材", "用品", "设备", "商城", "商店", "专卖", "批发", "公司", "超市", "旗舰", "店", "厂")
MAX_EXTRA = 3  # characters a name may add around a registered name and still imitate it


@dataclass
class Assessment:
    """How a query name relates to one registry entry."""

    score: float
    reasons: list[str] = field(default_factory=list)
    strong: bool = False
    weak: bool = False
    notes: list[str] = field(default_factory=list)  # why a resemblance does not count

    def add(self, reason: str, kind: str) -> None:
        self.reasons.append(reason)
        if kind in STRONG:
            self.strong = True
            self.score = max(self.score, STRONG[kind])
        else:
            self.weak = True
            self.score = max(self.score, WEAK[kind])


def describe_normalisation(raw: str) -> list[str]:
    """What normalise_name had to undo in `raw` (traditional forms, zero-width characters …)."""
    notes = []
    nfkc = unicodedata.normalize("NFKC", raw)
    if nfkc != raw and any(unicodedata.category(c) != "Cf" for c in raw if c not in nfkc):
        notes.append("full-width or compatibility characters")
    if any(unicodedata.category(c) in ("Cf", "Mn") or c in "\u3164\uffa0\u115f\u1160" for c in raw):
        notes.append("zero-width or invisible characters")
    if to_simplified(nfkc) != nfkc:
        notes.append("traditional characters")
    if any(c in VARIANTS and VARIANTS[c] != c for c in nfkc):
        notes.append("variant characters")
    if any(unicodedata.category(c)[0] == "Z" or c in "\t\n" for c in raw.strip()):
        notes.append("inserted spaces")
    if any(unicodedata.category(c)[0] in "PS" for c in nfkc):
        notes.append("decorative brackets, punctuation or symbols (【】, ★ …)")
    if any(c.isupper() for c in nfkc):
        notes.append("letter case")
    return notes


def assess(
    q: NameKeys, e: NameKeys, owner: NameKeys | None, places: tuple[tuple[str, str], ...], gazetteer: Gazetteer
) -> Assessment:
    """Signals between query `q` and entry name `e` (owner keys, the entry's places and known places given)."""
    result = _signals(q, e, owner, places, gazetteer)
    if result.strong or result.weak:
        result.reasons += [f"normalised away: {note}" for note in describe_normalisation(q.raw)]
    return result


def _signals(
    q: NameKeys, e: NameKeys, owner: NameKeys | None, places: tuple[tuple[str, str], ...], gazetteer: Gazetteer
) -> Assessment:
    result = Assessment(score=round(fuzz.ratio(q.core, e.core) / 100, 3))
    if q.norm == e.norm:
        result.add("identical after normalisation", "identical")
        return result
    if q.core == e.core:
        result.add(f"same name with decorations changed: {q.norm} / {e.norm}", "decorations")
        return result
    conflict = suffix_conflict(q.forms.places, places)
    if conflict:  # 长沙县… is a county body, not the city's 长沙…
        result.notes.append(f"another administrative level of {conflict}")
        return result
    # 抚州发布 is 抚州's own account, not a homophone of 福州发布: sound and shape do not count
    # across two real places (exact abbreviated forms still do: 永州市公安局零陵分局 runs 零陵公安).
    other = gazetteer.different_places(q.core, e.core)
    other_owner = gazetteer.different_places(q.core, owner.core) if owner else None
    if not other:
        _likeness(result, q, e)
    _owner_forms(result, q, e, owner, fuzzy_name=not other, fuzzy_owner=not other_owner)
    if not result.strong and not other:
        _partial(result, q, e, gazetteer)
    if other and not (result.strong or result.weak):
        result.notes.append(f"a different place: {other[0]} is not {other[1]}")
    return result


def _likeness(result: Assessment, q: NameKeys, e: NameKeys) -> None:
    """Homophones, look-alike characters and pinyin in Latin letters."""
    if len(q.core) < MIN_FUZZY_LEN:
        return
    if has_latin(q.core) and q.pinyin == e.pinyin:
        result.add(f"pinyin written in Latin letters: {q.core} reads as {e.core}", "latin")
        return
    pairs = _aligned_pairs(q, e)
    if pairs is None:
        return
    homophones = [f"{a}→{b}" for a, b, kind in pairs if kind == "homophone"]
    shapes = [f"{a}→{b}" for a, b, kind in pairs if kind == "look-alike"]
    if homophones:
        result.add(f"homophone characters: {', '.join(homophones)} ({e.pinyin})", "homophone")
    if shapes:
        result.add(f"visually similar characters: {', '.join(shapes)}", "look-alike")


def _aligned_pairs(q: NameKeys, e: NameKeys) -> list[tuple[str, str, str]] | None:
    """Differing characters of two same-length names, each explained; None if one is not."""
    if len(q.core) != len(e.core) or len(q.syllables) != len(q.core) or len(e.syllables) != len(e.core):
        return None
    pairs = []
    for a, b, pa, pb in zip(q.core, e.core, q.syllables, e.syllables, strict=True):
        if a == b:
            continue
        if pa == pb and not a.isascii():
            pairs.append((a, b, "homophone"))
        elif looks_alike(a, b):
            pairs.append((a, b, "look-alike"))
        else:
            return None
    return pairs or None


def _owner_forms(
    result: Assessment, q: NameKeys, e: NameKeys, owner: NameKeys | None, *, fuzzy_name: bool, fuzzy_owner: bool
) -> None:
    """The owner's full or abbreviated name, or an abbreviation of the registered name."""
    qforms = set(q.forms.forms)
    fuzzy = len(q.core) >= MIN_FUZZY_LEN
    if owner is not None and len(owner.core) >= MIN_FUZZY_LEN:
        if qforms & set(owner.forms.forms):
            result.add(f"owner's name used as the account name: {owner.norm}", "owner")
            return
        if fuzzy and fuzzy_owner and q.form_pinyins & owner.form_pinyins:
            result.add(f"homophone of the owner's name {owner.norm}", "owner")
            return
        if fuzzy and fuzzy_owner and q.form_shapes & owner.form_shapes:
            result.add(f"looks like the owner's name {owner.norm}", "owner")
            return
    if qforms & set(e.forms.forms):
        result.add(f"another form of the registered name: {q.core} ~ {e.core}", "abbreviation")
    elif fuzzy and fuzzy_name and (
        q.form_pinyins & e.form_pinyins or q.form_shapes & e.form_shapes
    ):
        result.add(f"sounds or looks like another form of the registered name {e.core}", "abbreviation")


def _partial(result: Assessment, q: NameKeys, e: NameKeys, gazetteer: Gazetteer) -> None:
    """Containment, one inserted or dropped character, reordered characters (weak signals)."""
    qc, ec = q.core, e.core
    if len(ec) < MIN_FUZZY_LEN or not claims_government(qc):
        return
    if ec in qc and (qc.startswith(ec) or qc.endswith(ec)):
        extra = qc.replace(ec, "", 1)
        if extra in gazetteer.places:  # 平安北京朝阳: a district branch's own account
            result.notes.append(f"{extra} names a place: another body's account")
            return
        if any(word in extra for word in PRODUCT_WORDS):  # 中国消防器材: a shop, not an identity
            result.notes.append(f"{extra} names goods or a business, not an identity")
            return
        if len(extra) <= MAX_EXTRA and (extra in REGION_LEVELS or not _names_other_body(extra)):
            result.add(f"contains the registered name {ec} with {extra} added", "containment")
            return
    if qc in ec and len(qc) >= 4 and len(ec) - len(qc) == 1:
        result.add(f"registered name {ec} with a character dropped", "containment")
    elif len(ec) >= 4 and Indel.distance(qc, ec) == 1 and not _names_other_body(_inserted(qc, ec)):
        result.add(f"registered name {ec} with one character inserted", "edit")
    elif len(qc) >= 4 and qc != ec and sorted(qc) == sorted(ec):
        result.add(f"characters of {ec} reordered", "reordered")


def _inserted(longer: str, shorter: str) -> str:
    """The one character `longer` has beyond `shorter` (Indel distance 1)."""
    for i, ch in enumerate(longer):
        if longer[:i] + longer[i + 1 :] == shorter:
            return ch
    return ""


def _names_other_body(extra: str) -> bool:
    """Extra words that name another body (交警 in 永州公安交警) or a region level (县)."""
    if extra in REGION_LEVELS:
        return True
    return any(len(word) >= 2 and word in extra for word in GOV_WORDS)

