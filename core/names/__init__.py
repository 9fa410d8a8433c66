"""Account-name normalisation shared by registry matching and impersonation checks.

Three layers, each a separate function so that callers choose how much to fold:

- ``normalise_name`` — the identity form. Two names with the same normalised
  form are the same name: NFKC (full-width letters/digits, Kangxi radicals),
  zero-width and formatting characters removed, traditional → simplified
  (OpenCC t2s), variant characters (囯→国 …), everything that is neither a
  letter nor a digit removed (emoji, 【】「」_-·, spaces, punctuation), Latin
  lower-cased. Registry matching ("registered") uses only this.
- ``strip_decorations`` — drops decorative prefixes/suffixes (官方, 官微,
  官方账号, years such as 2024 …) from a normalised name. It changes what the
  name claims to be only cosmetically, so it is used by the impersonation
  matcher on *both* sides (query and registry) to build the "core" key; it is
  never used to decide that an account is registered, because 永州人社官微 is
  a different account name from 永州人社 even if it imitates it.
- ``pinyin_key`` — tone-insensitive pinyin of a normalised name with Latin
  letters kept as written, so 永洲人社, 永州人社 and yongzhou人社 share a key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.seg import mmseg

from core.text import to_simplified

# Characters NFKC keeps but that render as nothing; used to split names invisibly.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e"
             "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u3164\ufeff\uffa0"),
    None,
)

# Variant (异体) characters OpenCC t2s leaves alone, mapped to the standard form.
VARIANTS: dict[str, str] = {
    "囯": "国", "囶": "国", "圀": "国", "国": "国", "佈": "布", "甯": "宁", "衞": "卫",
    "冩": "写", "昰": "是", "淸": "清", "吿": "告", "靑": "青", "蔴": "麻", "菓": "果",
    "塲": "场", "硏": "研", "呌": "叫", "㑹": "会", "夛": "多", "畧": "略", "埜": "野",
    "鄕": "乡", "隣": "邻", "﨑": "崎", "髙": "高", "徳": "德", "峯": "峰", "羣": "群",
    "衆": "众", "裏": "里", "爲": "为", "傢": "家", "敎": "教", "産": "产", "眞": "真",
    "録": "录", "綫": "线", "啓": "启", "徵": "征", "旹": "时", "晒": "晒", "氺": "水",
    "垚": "垚", "兾": "冀", "亊": "事", "廸": "迪", "絶": "绝", "刋": "刊", "鷄": "鸡",
    "凉": "凉", "况": "况", "衮": "衮", "嶋": "岛", "嶌": "岛", "凢": "凡", "兠": "兜",
    "盃": "杯", "粧": "妆", "菴": "庵", "蹟": "迹", "鉄": "铁", "竪": "竖", "舘": "馆",
    "舖": "铺", "舗": "铺", "鑛": "矿", "砿": "矿", "躰": "体", "體": "体", "躳": "躬",
    "姉": "姊", "奬": "奖", "効": "效", "帋": "纸", "乗": "乘", "亰": "京", "亱": "夜",
    "丒": "丑", "両": "两", "乕": "虎", "仝": "同", "灋": "法", "歩": "步",
    # Japanese shinjitai forms that OpenCC leaves alone and that read as the Chinese character.
    "団": "团", "県": "县", "発": "发", "広": "广", "沢": "泽", "浜": "滨", "関": "关", "様": "样",
    "楽": "乐", "売": "卖", "読": "读", "気": "气", "帰": "归", "営": "营", "証": "证", "円": "圆",
    "図": "图", "労": "劳", "戦": "战", "伝": "传", "転": "转", "対": "对", "経": "经", "済": "济",
    "権": "权", "稲": "稻", "覧": "览", "駅": "驿", "歳": "岁", "黒": "黑", "圧": "压", "薬": "药",
}
_VARIANT_TABLE = str.maketrans({k: v for k, v in VARIANTS.items() if k != v})

# Decorations people add to a name to make it look more official, or to dodge
# an exact-name check. Longest first so 官方账号 wins over 官方.
DECORATIONS: tuple[str, ...] = tuple(sorted({
    "官方账号", "官方帐号", "官方平台", "官方频道", "官方微博", "官方微信", "官方抖音", "官方号", "官方版", "官方",
    "官微", "官博", "认证", "账号", "帐号", "公众号", "微信号", "服务号", "订阅号",
    "微博", "抖音号", "抖音", "视频号", "快手号", "头条号", "官抖", "频道", "正版", "真号",
    "新号", "小号", "备用号", "备用", "唯一", "official", "guanfang", "gov",
}, key=len, reverse=True))
_YEAR = re.compile(r"(?:19|20)\d\d(?:年)?")
_DIGITS = re.compile(r"\d+")


class _LettersAndDigits(dict[int, int | None]):
    """str.translate table keeping letters and digits (categories L* and N*; emoji are So, marks M*)
    and dropping every other character: filled on first sight of each character, then a C lookup
    (a Python test per character was half of an audit's registry phase)."""

    def __missing__(self, code: int) -> int | None:
        kept = code if unicodedata.category(chr(code))[0] in "LN" else None
        self[code] = kept
        return kept


_KEEP_LETTERS_AND_DIGITS = _LettersAndDigits()


def normalise_name(name: str) -> str:
    """Identity form of an account name (see module docstring); "" for a name of decorations only."""
    text = unicodedata.normalize("NFKC", name or "").translate(_INVISIBLE)
    text = to_simplified(text).translate(_VARIANT_TABLE).lower()
    return text.translate(_KEEP_LETTERS_AND_DIGITS)


def strip_decorations(normalised: str) -> str:
    """Remove decorative prefixes/suffixes and years from a *normalised* name.

    Repeats until stable (永州人社官方账号2024 → 永州人社). Never strips the
    whole name: if nothing would remain the input is returned unchanged.
    """
    core = _YEAR.sub("", normalised) or normalised
    changed = True
    while changed:
        changed = False
        for word in DECORATIONS:
            if core.endswith(word) and len(core) > len(word):
                core, changed = core[: -len(word)], True
            elif core.startswith(word) and len(core) > len(word):
                core, changed = core[len(word):], True
    return core


def decorations_of(normalised: str) -> str:
    """Whether ``strip_decorations`` removed something, as a human-readable remainder ("" if nothing)."""
    core = strip_decorations(normalised)
    if core == normalised:
        return ""
    start = normalised.find(core)
    return (normalised[:start] + "…" + normalised[start + len(core):]).strip("…")


@lru_cache(maxsize=16384)  # a check asks it of its query once per candidate
def has_latin(normalised: str) -> bool:
    """True when the name contains Latin letters (e.g. pinyin written in Latin: yongzhou发布)."""
    return any("a" <= ch <= "z" for ch in normalised)


@lru_cache(maxsize=262144)  # every registry name and form is asked for again and again by checks
def pinyin_key(normalised: str) -> str:
    """Tone-insensitive pinyin of a normalised name; Latin and digits kept (永洲人社 → yongzhourenshe).

    Latin letters written by the account are kept as they are, so yongzhou发布
    and ＹＯＮＧＺＨＯＵ发布 (after normalisation) share the key of 永州发布.
    """
    return "".join(pinyin_syllables(normalised))


def pinyin_syllables(normalised: str) -> list[str]:
    """Per-character toneless pinyin (Latin runs stay one element).

    The same answer as lazy_pinyin on the whole name: it is cut into words with pypinyin's
    own segmenter and each word's reading is looked up once. Registry names repeat a few
    hundred place and agency words, so this is ~10x faster than converting every name
    (pypinyin was half the audit's time at 100,000 accounts).
    """
    out: list[str] = []
    for run in _HAN_OR_NOT.findall(normalised):
        if "\u3400" <= run[0] <= "\u9fff":
            out += [syllable for word in mmseg.seg.cut(run) for syllable in _word_pinyin(word)]
        else:
            out.append(run)  # Latin letters and digits stay one element, as lazy_pinyin keeps them
    return out


_HAN_OR_NOT = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")


@lru_cache(maxsize=262144)
def _word_pinyin(word: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(word, style=Style.NORMAL, errors="default", v_to_u=False))


def digits_free(normalised: str) -> str:
    """The name without digit runs (used to compare names that differ only by a number)."""
    return _DIGITS.sub("", normalised)
