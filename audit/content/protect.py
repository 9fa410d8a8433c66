"""Spans of real text that typo checks must leave alone: people's names, firms' trade names, short
quoted terms, numbered articles, document numbers and government abbreviations; and fixes that only
add an optional 儿 or undo a doubled character.

A name is recognised by where it stands, not by a list (audit.content.people): a common surname with
one or two characters before a speech or role word (某某强调, 某某教授), after a by-line label
(记者 某某, 主持人：某某), or alone between punctuation (逄锦聚（南开大学）, 郝梦麟、).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator, Mapping

from audit.content.charlm import shared_charlm
from audit.content.people import (
    FOREIGN,
    all_surnames,
    dotted_names,
    listed_names,
    name_patterns,
    titled_names,
    word_not_name,
    word_tags,
)
from audit.content.tagged import tagged
from core.names.forms import GOV_WORDS

# A firm's trade name before its trade and 公司 (上海祝成信息科技有限公司, 博克教育公司, 汇津污水处理公司).
_TRADES = (
    "信息|科技|技术|网络|电子|软件|文化|传媒|教育|投资|贸易|实业|发展|咨询|管理|服务|建设|工程|置业|房地产|地产|"
    "汽车|能源|环保|医药|药业|制药|生物|食品|农业|物流|商贸|电器|电气|机械|设备|器材|材料|化工|纺织|服饰|服装|广告|"
    "影视|娱乐|旅游|酒店|餐饮|金融|证券|保险|基金|资产|控股|国际|水务|污水处理|电力|燃气|通信|数码|智能|交通|运输|"
    "航空|钢铁|矿业|建材|印刷|出版|动漫|游戏|体育|健康|物业|安防|劳务|租赁|销售|营销|开发|经营|用品|家具|光电"
)
_FIRM_WORD = re.compile("公司|集团")
# Read backwards from 公司/集团 only (a window of FIRM_REACH characters): a pattern tried at every
# position of the text cost 10% of the typo step.
_TRADE_NAME = re.compile(rf"([\u4e00-\u9fff]{{2}})(?:{_TRADES})+(?:股份)?(?:有限)?(?:责任)?$")
_TRADE_BEFORE = re.compile(rf"(?:{_TRADES})$")
FIRM_REACH = 24
# A short term in quotation marks is named, not written in passing: a slogan's abbreviation (“十三五”,
# “三定”), a technical or coined term ("失蜡法", “赊养”). Book-title marks are left out: a misspelt law
# name (《律师珐》) is still a slip. Not a list of names: a slip inside a quoted slogan (“营商环竟”) is
# what an inspector looks for, so a fix there still counts when it restores a known term (quoted_slip).
_QUOTED = re.compile(r'(?:[“"‘「]|&(?:quot|ldquo|lsquo|#34|#8220);)([\u4e00-\u9fff]{2,5})'
                     r'(?=[”"’」]|&(?:quot|rdquo|rsquo|#34|#8221);)')  # as typed, or as entities in raw HTML
# 第十二条, 第3款, 国办发〔2024〕5号, 省政办函, 市府办, 党的二十大: numbered articles, document numbers, congresses.
_FIXED = (
    re.compile(r"第[一二三四五六七八九十百千零〇两\d]+(?:条|款|项|章|节|编|部分|次|届|批|期)"),
    re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号"),
    re.compile(r"(?:国办|省政办|市政办|县政办|区政办|市府办|省府办|县府办|区府办|政办|府办|国发|国函|办发|办函)[发函字电明传]?"),
    # The Party's congresses and plenums (党的十九届四中全会, 党的二十大): 的 there is no slip of 第.
    re.compile(r"党的[一二三四五六七八九十]+(?:届|大)"),
    # A number written out (５０亿, 三千零五十, 二十) and the character after it, its unit or measure word
    # (５０亿只, 三千零五十份, 二十来岁): a count is a fact, not 一直, 十分 or 二十一 misspelt. A numeral alone
    # (十份重要, 九死二生) is still read; words of doubled numerals (一一, 千万, 万一) are not numbers here.
    re.compile(r"(?:[0-9０-９]|[一二三四五六七八九两][十百千万亿]|十[一二三四五六七八九])[〇零一二三四五六七八九十百千万亿两0-9０-９.．]*"
               r"[\u4e00-\u9fff]?"),
)


# Characters that spell foreign names (people.FOREIGN: 佛洛伊德, 奥布莱恩, 阿卜杜拉): three or more of them in a row,
# one other character allowed inside, are a transliteration, whose spellings vary (佛罗依德).
_TRANSLITERATION = re.compile(rf"[{FOREIGN}]{{2,}}[\u4e00-\u9fff]?[{FOREIGN}]+|[{FOREIGN}][\u4e00-\u9fff][{FOREIGN}]{{2,}}")


def protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every name, trade name, short quoted term, numbered article, document number
    or abbreviation in `text`."""
    people = list(titled_names(text))
    for pattern in name_patterns():
        people += ((start, end) for start, end in _spans(pattern, text) if not word_not_name(text, start))
    yield from people
    yield from listed_names(text, people)
    for pattern in (_TRANSLITERATION, _QUOTED, *_FIXED):
        yield from _spans(pattern, text)
    yield from dotted_names(text)


def _spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty match of `pattern`, or of its last group when it has groups."""
    for match in pattern.finditer(text):
        start, end = match.span(match.lastindex or 0)
        if end > start:
            yield start, end


def quoted_terms(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every short quoted term in `text` (also among protected_spans)."""
    return (match.span(1) for match in _QUOTED.finditer(text))


# A fixed quoted term that holds, across the fix, a government term (data/gov_words.txt: 营商环境,
# 最多跑一次) or a set phrase of SET_PHRASE characters or more was a slogan misspelt. Shorter common
# words are what a coined term's fix lands on (失蜡法 → 失去, 十三五 → 十三年, 三定 → 一定).
SET_PHRASE = 4


def quoted_slip(term: str, at: int, written: str, fix: str, known: Mapping[str, int], gov: Container[str]) -> bool:
    """True when `written` at `at` of the quoted `term`, read as `fix`, makes a known term of it that
    holds a changed character."""
    fixed = term[:at] + fix + term[at + len(written) :]
    places = changed_places(written, fix)  # the characters changed; an insertion: all of the fix
    lo, hi = (at + places[0], at + places[-1] + 1) if places else (at, at + len(fix))
    return any(fixed[i:j] in gov or j - i >= SET_PHRASE and bool(known.get(fixed[i:j]))
               for i in range(0, hi) for j in range(max(i + 2, lo + 1), len(fixed) + 1))


# Two characters before these suffixes are usually a proper name (瑞景街道, 齐圣村, 佳惠百货, 江铃汽车, 华乐街),
# and up to four before a firm's or an office's full suffix (汇达丰律师事务所).
_NAME_BEFORE = re.compile(r"(?=[\u4e00-\u9fff]{2}(区|县|市|村|镇|乡|街道|社区|小区|集团|公司|百货|大厦|广场|花园|花都|山庄|"
                          r"酒店|中学|小学|汽车|药业|置业|实业|控股|传媒|宾馆|饭店|商贸|物流|科技|街(?![道头区坊])))")
_FIRM_BEFORE = re.compile(r"[\u4e00-\u9fff]{2,4}(?=(律师事务所|会计师事务所|事务所|有限公司|有限责任公司|股份有限公司|研究所|研究院))")


def guessed_names(text: str) -> dict[int, list[tuple[int, int, int]]]:
    """(start, end, end of the suffix) of what stands where a name would, before a place's, a body's or
    a firm's suffix (瑞景街道, 汇达丰律师事务所). Guessed from the shape alone: the typo check reads a fix
    forming a word that reaches out of them (深入推井科技 → 深入推进, 关中平原成市群 → 城市群: no name
    there), not one inside them (inside_guessed_name)."""
    by_position: dict[int, list[tuple[int, int, int]]] = {}  # each position → the guesses covering it
    for m in (*_NAME_BEFORE.finditer(text), *_FIRM_BEFORE.finditer(text)):
        for at in range(m.start(), m.end(1)):
            by_position.setdefault(at, []).append((m.start(), m.start(1), m.end(1)))
    return by_position


def trade_names(text: str, known: Mapping[str, int]) -> Iterator[tuple[int, int]]:
    """(start, end) of firms' trade names: two characters before trade words and 公司 or 集团, unless they
    follow a trade word (交通凯发投资集团: a slip inside the trades) or finish a word begun before them
    (山西剩交通开发投资集团: 山西 is the place, 剩 a slip)."""
    for firm in _FIRM_WORD.finditer(text):
        lo = max(0, firm.start() - FIRM_REACH)
        match = _TRADE_NAME.search(text, lo, firm.start())
        if match is None:
            continue
        start = match.start(1)
        if not _TRADE_BEFORE.search(text, max(0, start - 4), start) and not known.get(text[max(0, start - 1) : start + 1]):
            yield start, start + 2


# 潞州区人民政府 → 潞州区, 潞州: the place inside an owner's name is a known name too.
_PLACE = re.compile(r"^(.{2,12}?)(自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡)")
# 永州发布, 永州人社: an account name is a place and a body word; the place is a known name.
_BODY_WORDS = "|".join(w for w in GOV_WORDS if len(w) >= 2)
_ACCOUNT_PLACE = re.compile(rf"^([\u4e00-\u9fff]{{2,4}}?)(?:{_BODY_WORDS})$")


def known_name_forms(name: str) -> set[str]:
    """A known name plus the place it starts with, with and without its suffix (潞州区, 潞州), or
    before the body word of an account name (永州发布, 永州人社 → 永州)."""
    forms = {name} if len(name) >= 2 else set()
    account = _ACCOUNT_PLACE.match(name)
    if account:
        forms.add(account.group(1))
    place = _PLACE.match(name)
    if place:
        forms.add(place.group(1) + place.group(2))
        if len(place.group(1)) >= 2:
            forms.add(place.group(1))
    return forms


# A line broken inside a word (中共的犬<br> 儒化, 利 益便): the character before or after the break.
_WRAP_BEFORE = re.compile(r"([\u4e00-\u9fff])(?:\s|<br\s*/?>)+$", re.I)
_WRAP_AFTER = re.compile(r"(?:\s|<br\s*/?>)+([\u4e00-\u9fff])", re.I)


def across_wrap(decoded: str, start: int, written: str, known: Mapping[str, int]) -> bool:
    """True when the form `written` at `start` of `decoded` begins or ends at a line break (spaces or
    <br>) that cuts a known word in two (犬|儒化 → 犬儒): the scan saw half a word, not a slip."""
    before = _WRAP_BEFORE.search(decoded, max(0, start - 40), start)
    if before and known.get(before.group(1) + written[0]):
        return True
    after = _WRAP_AFTER.match(decoded, start + len(written))
    return bool(after and known.get(written[-1] + after.group(1)))


def changed_places(written: str, suggested: str) -> list[int]:
    """The places where a same-length fix changes a character (none for an insertion)."""
    if len(written) != len(suggested):
        return []
    return [i for i, (a, b) in enumerate(zip(written, suggested, strict=True)) if a != b]


def _one_change(written: str, suggested: str) -> int | None:
    """The place of the only character a same-length fix changes, else None."""
    places = changed_places(written, suggested)
    return places[0] if len(places) == 1 else None


def optional_er(written: str, suggested: str, known: Mapping[str, int]) -> bool:
    """A fix that only turns a character into 儿 where the word without it is known (一股脑扎 →
    一股脑儿): 儿 is optional in writing, so the text reads 一股脑 + 扎, not a slip."""
    i = _one_change(written, suggested)
    if i is None or suggested[i] != "儿":
        return False
    return bool(known.get(suggested[:i] + suggested[i + 1 :]))


def reduplicated(written: str, suggested: str) -> bool:
    """A fix that changes one of two identical neighbours (讨讨洋人的喜欢 → 讨论), or the character
    between two (越办越 → 越小越) unless it makes a set phrase (不拆不扣 → 不折不扣): a doubled verb or
    adjective (讨讨, 看看, 高高兴兴) and the frames 越…越, A一A are written on purpose."""
    i = _one_change(written, suggested)
    if i is None:
        return False
    if 0 < i < len(written) - 1 and written[i - 1] == written[i + 1] and len(written) < SET_PHRASE:
        return True  # between two of the same (越办越好, 想一想): a frame, not a word (越小越)
    return (i > 0 and written[i - 1] == written[i]) or written[i + 1 : i + 2] == written[i]


_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两半几")
# jieba's POS tags of a measure word (番, 个, 次) or a numeral-like multiplier (倍, 年).
_MEASURE_TAGS = frozenset({"q", "m"})


# jieba's POS tags of proper names: places, people, bodies, other (润州区, 一汽集团).
_PROPER_TAGS = frozenset({"ns", "nr", "nt", "nz"})


def inside_guessed_name(text: str, guessed: Mapping[int, list[tuple[int, int, int]]], start: int, written: str, fix: str,
                        known: Callable[[str], bool]) -> bool:
    """Whether the fix of `written` at `start` stays inside a guessed name (guessed_names): inside its
    characters, or inside the name and its suffix when `known` knows the name as written (广汽集团 is not
    一汽集团 misspelt) or the fix makes another proper name of it (潞州区 → 润州区: a place one character
    off another place is a place). 锯民区 → 居民区 and 试险区 → 试验区 are read: no name there."""
    end = start + len(written)
    for lo, name_end, suffix_end in guessed.get(start, ()):
        if lo <= start and end <= name_end:
            return True
        if lo <= start and end <= suffix_end and (known(text[lo:name_end]) or word_tags().get(fix) in _PROPER_TAGS):
            return True
    return False


def numeral_swap(written: str, suggested: str, after: str = "") -> bool:
    """A fix that only puts one numeral for another before a measure word or multiplier (翻了两番 →
    翻了一番, 两倍, 进两步): a number is a fact the word model cannot know, not a slip. Before any other
    character the numeral belongs to a set phrase (九死二生 → 九死一生, 九牛二毛 → 九牛一毛): a slip.
    Nor is a numeral put for another character (普查十点 → 试点, 老十部局 → 老干部局: slips of ECSpell tune).
    Measure words are jieba's `q`/`m` or the tagged corpus's (audit.content.tagged: 家, 步, 条).
    `after` is the text following `written`, read when the numeral is its last character."""
    i = _one_change(written, suggested)
    if i is None or not {written[i], suggested[i]} <= _NUMERALS:
        return False
    following = (written[i + 1 :] + after)[:1]
    return bool(following) and (word_tags().get(following) in _MEASURE_TAGS or following in tagged().measures)


# A famous name is misspelt with a common character for its rare one (张国涛 for 张国焘): a fix into a
# name still counts when its new character is RARE_NAME_CHAR times rarer in the state press than the old.
RARE_NAME_CHAR = 10


def name_for_name(written: str, suggested: str) -> bool:
    """A fix that puts a better-known person's name for a name (陈君实 → 陈君石, 田玉斌 → 黄玉斌,
    张宪忠 → 张献忠): three characters led by a surname read as a three-character name jieba tags `nr`.
    People are called what they are called; none of ECSpell's tune slips is fixed into a name."""
    if len(written) != 3 or len(suggested) != 3 or not word_tags().get(suggested, "").startswith("nr"):
        return False
    if rare_for_common(written, suggested):
        return False
    return written[0] in all_surnames() and suggested[0] in all_surnames()


def rare_for_common(written: str, suggested: str) -> bool:
    """Whether the fix puts, for a character written, one RARE_NAME_CHAR times rarer in the state press (涛 → 焘):
    a famous name misspelt with a common character, a slip even where a name stands."""
    seen = shared_charlm().seen
    return len(written) == len(suggested) and \
        any(seen(a) >= RARE_NAME_CHAR * max(1, seen(b)) for a, b in zip(written, suggested, strict=True) if a != b)


def intended(written: str, suggested: str, known: Mapping[str, int], after: str = "") -> bool:
    """Forms a writer chose, whatever the word model prefers: an optional 儿, a doubled character,
    another number of a measure word, a person's name. `after` is the text following `written`."""
    return optional_er(written, suggested, known) or reduplicated(written, suggested) \
        or numeral_swap(written, suggested, after) or name_for_name(written, suggested)
