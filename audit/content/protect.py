"""Spans of real text that typo checks must leave alone: people's names, numbered articles,
document numbers and government abbreviations.

A name is recognised by where it stands, not by a list: a common surname with one or two
characters before a speech or role word (某某强调, 某某教授), after a by-line label
(记者 某某, 主持人：某某), or alone between punctuation (逄锦聚（南开大学）, 郝梦麟、).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.names.forms import GOV_WORDS

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞"
    "颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝逄"
    "阎萧战冼慕晋芮储邴糜宓郗伊厉戎祖束韶郜蓟薄宿邰鄂索赖蔺屠郁胥闻莘贡扶宰郦雍濮扈冀浦茹庾暨匡阙晁阚鞠巢蒯荆竺逯桓"
)  # fmt: skip
_S = f"[{SURNAMES}]"
_GIVEN = r"[\u4e00-\u9fff]{1,2}"
_AFTER = (
    "强调|指出|表示|认为|介绍|参加|出席|主持|透露|坦言|告诉|同志|教授|主任|书记|市长|省长|县长|区长|局长|部长|主席|"
    "总理|委员|院长|校长|记者|先生|女士|博士|研究员|经理|董事长|总裁|律师|医生|老师|说|称|等人|一行"
)
# A name after a role word (副教授郝维亚, 市长王明): the title comes first in news and notices.
_BEFORE = "教授|研究员|院士|博士|主任|书记|市长|省长|县长|区长|局长|部长|处长|主席|院长|校长|所长|经理|董事长|总裁|律师|医生|老师"
_BYLINE = r"(?:记者|作者|编辑|主持人|评论人|通讯员|主讲人|演讲人|撰稿|摄影|责编|校对|模特姓名|姓名|讲者)"
_NAME_PATTERNS = (
    re.compile(rf"{_S}{_GIVEN}(?=[副总]?(?:{_AFTER}))"),
    re.compile(rf"{_BYLINE}[\s:：]*({_S}{_GIVEN})"),
    re.compile(rf"(?:{_BEFORE})({_S}{_GIVEN})"),
    re.compile(rf"(?:^|(?<=[\s，,、；;：:（(“\"《]))({_S}{_GIVEN})(?=[\s，,、；;：:（(）)”\"》。]|$)", re.M),
)
# 第十二条, 第3款, 国办发〔2024〕5号, 省政办函, 市府办: numbered articles and document numbers.
_FIXED = (
    re.compile(r"第[一二三四五六七八九十百千零〇两\d]+(?:条|款|项|章|节|编|部分|次|届|批|期)"),
    re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号"),
    re.compile(r"(?:国办|省政办|市政办|县政办|区政办|市府办|省府办|县府办|区府办|政办|府办|国发|国函|办发|办函)[发函字电明传]?"),
)


# Characters that spell foreign names (佛洛伊德, 奥布莱恩, 阿卜杜拉): three or more of them in a row,
# one other character allowed inside, are a transliteration, whose spellings vary (佛罗依德).
_FOREIGN = "阿埃艾奥佛巴拜鲍贝彼毕波伯博布达戴丹德迪蒂杜厄恩尔菲芬弗伽盖冈戈格哈赫亨霍吉贾杰卡凯坎柯科克肯库奎拉莱兰朗劳勒雷蕾莉琳卢鲁伦罗洛玛迈麦曼梅蒙米莫姆穆纳娜奈尼涅纽努诺欧帕潘佩皮珀普奇契乔萨塞桑瑟森莎舍斯苏索塔泰坦汤特托瓦威韦维沃乌锡希谢雅亚耶伊尤约泽扎詹兹"
_TRANSLITERATION = re.compile(rf"[{_FOREIGN}]{{2,}}[\u4e00-\u9fff]?[{_FOREIGN}]+|[{_FOREIGN}][\u4e00-\u9fff][{_FOREIGN}]{{2,}}")


def protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every name, numbered article, document number or abbreviation in `text`."""
    for pattern in (*_NAME_PATTERNS, _TRANSLITERATION, *_FIXED):
        for match in pattern.finditer(text):
            start, end = match.span(match.lastindex or 0)
            if end > start:
                yield start, end


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
