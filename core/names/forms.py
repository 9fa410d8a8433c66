"""Abbreviated forms of government body names, and the words that claim a government identity.

Accounts are usually named after their owner in the short form everyone uses:
永州市人力资源和社会保障局 runs 永州人社, 广州市公安局 runs 广州公安. The
canonical form applies the common abbreviation rules (agency words shortened,
the 市/省/县/区 after a place name dropped, a trailing 局/厅 dropped) so that
an owner's full name, its abbreviations and the account name meet on one key.
The places and their suffixes are kept on the side, so that 长沙县人社 (a
county body) is not taken for 长沙人社 run by 长沙市人社局 (the city body).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Longest first: each pair is (official wording, the short form used in names).
AGENCY_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("网络安全和信息化委员会办公室", "网信办"), ("人力资源和社会保障", "人社"), ("人力资源社会保障", "人社"), ("中国共产主义青年团", "共青团"),
    ("共产主义青年团", "共青团"), ("文化广电体育和旅游", "文旅"), ("文化旅游广电体育", "文旅"), ("中央委员会", "中央"), ("文化广电和旅游", "文旅"),
    ("文化广电旅游", "文旅"), ("文化和旅游", "文旅"), ("文化旅游", "文旅"), ("文化广播电视和旅游", "文旅"), ("市场监督管理", "市场监管"),
    ("卫生健康委员会", "卫健委"), ("卫生和计划生育委员会", "卫计委"), ("纪律检查委员会", "纪委"), ("发展和改革委员会", "发改委"), ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"), ("自然资源和规划", "自然资源"), ("退役军人事务", "退役军人"), ("交通运输", "交通"), ("应急管理", "应急"), ("医疗保障", "医保"),
    ("教育和体育", "教体"), ("教育体育", "教体"), ("融媒体中心", "融媒"), ("广播电视台", "广电"), ("人民政府办公室", "政府办"), ("人民政府新闻办公室", "新闻办"),
    ("新闻办公室", "新闻办"), ("政府新闻办", "新闻办"), ("人民政府", "政府"), ("最高人民检察院", "最高检"), ("最高人民法院", "最高法"), ("中级人民法院", "中院"),
    ("人民法院", "法院"), ("人民检察院", "检察院"), ("公安局交通警察支队", "交警"), ("公安局交通警察大队", "交警"), ("交通警察支队", "交警"),
    ("交通警察大队", "交警"), ("消防救援支队", "消防"), ("消防救援大队", "消防"), ("消防救援局", "消防"), ("气象局", "气象"), ("税务局", "税务"),
    ("统计局", "统计"), ("委员会", "委"),
)
_REGION = re.compile(r"(.{2,6}?)(特别行政区|自治区|自治州|自治县|新区|地区|省|市|县|区|旗|盟)(?![场域])")  # 市场, 区域
_BRANCH = re.compile(r"^(.*?局)(.{2,4}?)分局$")  # 永州市公安局零陵分局: the branch is a place
_TRAILING = ("局", "厅")

# Words by which a name claims to speak for a government body (or its media).
GOV_WORDS: tuple[str, ...] = (
    "发布", "公安", "警方", "警察", "警务", "交警", "派出所", "人社", "社保", "医保", "文旅", "文化", "旅游",
    "教育", "教体", "市场监管", "政务", "融媒", "政府", "网信", "卫健", "卫生", "疾控", "税务", "应急",
    "消防", "法院", "检察", "司法", "民政", "财政", "住建", "交通", "水利", "农业", "生态", "环境", "环保",
    "自然资源", "气象", "统计", "审计", "信访", "共青团", "团委", "妇联", "工会", "纪委", "监委", "宣传",
    "组织部", "统战", "政法", "人大", "政协", "退役军人", "商务", "发改", "工信", "科技", "体育", "城管",
    "街道", "社区", "新闻", "日报", "晚报", "广电", "电视台", "12345", "热线", "政府办", "新闻办", "网警",
    "平安", "警民", "海关", "边检", "铁路", "检验", "药监", "林业", "国资", "档案", "中央",
    "局", "厅", "委", "部", "办", "署", "院",
)


class NameForms(NamedTuple):  # a tuple: cheap to pickle in the per-registry-version key cache
    """A normalised name in its abbreviated forms, with the places it names."""

    forms: tuple[str, ...]  # canonical keys, the most complete first
    places: tuple[tuple[str, str], ...]  # (place, suffix) in order, suffix "" when unknown


@lru_cache(maxsize=65536)
def name_forms(core: str) -> NameForms:
    """Canonical abbreviated forms of a normalised, decoration-free name.

    永州市人力资源和社会保障局 → (永州人社,); 永州市公安局零陵分局 →
    (永州零陵公安, 零陵公安). The second form keeps only the most specific
    place, so a county account named without its city still meets its owner.
    """
    text = core
    for long, short in AGENCY_ABBREVIATIONS:
        if long in text:
            text = text.replace(long, short)
    places: list[tuple[str, str]] = []
    branch = _BRANCH.match(text)
    if branch:
        text = branch.group(1)
    while (match := _REGION.match(text)) and len(text) > match.end():
        places.append((match.group(1), match.group(2)))
        text = text[match.end():]
    if branch:
        places.append((branch.group(2), ""))
    for suffix in _TRAILING:
        if text.endswith(suffix) and len(text) > 2:
            text = text[: -len(suffix)]
    forms = ["".join(p for p, _ in places) + text]
    if len(places) > 1:
        forms.append(places[-1][0] + text)
    return NameForms(tuple(dict.fromkeys(forms)), tuple(places))


def suffix_conflict(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> str:
    """The place written with different suffixes in `a` and `b` (长沙县 vs 长沙市), or ""."""
    suffixes = {place: suffix for place, suffix in b if suffix}
    for place, suffix in a:
        other = suffixes.get(place)
        if suffix and other and other != suffix:
            return place
    return ""


@lru_cache(maxsize=16384)  # a check asks it of its query once per candidate
def claims_government(core: str) -> bool:
    """True when the name contains a word by which it claims a government identity."""
    return any(word in core for word in GOV_WORDS)
