"""People's names in running text, found by where they stand (audit.content.protect reads them as spans the
typo checks leave alone): a surname with one or two characters before a speech or role word (某某强调,
某某教授), after a title or a by-line label (副队长某某, 记者 某某), alone between punctuation, on a signature
line, in a bracketed note, before its place in a photograph (（右一）), or joined by a middle dot
(瓦哈甫·苏来曼). The surnames and the words around names are this module's own plus what the tagged
corpus adds (audit.content.tagged).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from audit.content.confusion import word_counts
from audit.content.tagged import tagged

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞"
    "颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝逄"
    "阎萧战冼慕晋芮储邴糜宓郗伊厉戎祖束韶郜蓟薄宿邰鄂索赖蔺屠郁胥闻莘贡扶宰郦雍濮扈冀浦茹庾暨匡阙晁阚鞠巢蒯荆竺逯桓"
)  # fmt: skip
_GIVEN = r"[\u4e00-\u9fff]{1,2}"
# Speech and role words only: a verb of doing (主持, 参加, 报道) follows any subject (各地高度视报道工作).
_AFTER = (
    "强调|指出|表示|认为|介绍|透露|坦言|告诉|同志|教授|主任|书记|市长|省长|县长|区长|局长|部长|主席|"
    "总理|委员|院长|校长|记者|先生|女士|博士|研究员|经理|董事长|总裁|律师|医生|老师|说|称|等人|一行|夫妇|当选|"
    # ... or a manner adverb first (某某高兴地说, 某某动情地表示).
    "[\u4e00-\u9fff]{1,2}地(?:说|表示|指出|介绍|告诉)"
)
# A name after a role word (副教授郝维亚, 市长王明): the title comes first in news and notices.
_BEFORE = "教授|研究员|院士|博士|主任|书记|市长|省长|县长|区长|局长|部长|处长|主席|院长|校长|所长|经理|董事长|总裁|律师|医生|老师"
_PROVINCES = ("北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|"
              "海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|台湾|香港|澳门")
# Titles ending in 长 besides those of _BEFORE and the corpus (not any character + 长: 家长, 增长, 成长).
_CHIEFS = "队长|站长|镇长|乡长|村长|厅长|科长|组长|班长|社长|行长|会长|团长|署长|司长|州长|庭长|馆长|参谋长|秘书长|检察长"
_BYLINE = r"(?:记者|作者|编辑|主持人|评论人|通讯员|主讲人|演讲人|撰稿|摄影|责编|校对|模特姓名|姓名|讲者)"


@lru_cache(maxsize=1)
def all_surnames() -> frozenset[str]:
    """This module's surnames and the tagged corpus's."""
    return frozenset(SURNAMES) | tagged().surnames


@lru_cache(maxsize=1)
def name_patterns() -> tuple[re.Pattern[str], ...]:
    """The name patterns, with the surnames and the words around names that the tagged corpus adds
    (audit.content.tagged: 洪, 傅; 秘书长某某, 某某院士) to this module's own."""
    corpus = tagged()
    surnames = f"[{''.join(sorted(all_surnames()))}]"
    after = "|".join((_AFTER, *sorted(corpus.after, key=len, reverse=True)))
    before = "|".join((_BEFORE, *sorted(corpus.before, key=len, reverse=True)))
    return (
        re.compile(rf"{surnames}{_GIVEN}(?=[副总]?(?:{after}))"),
        re.compile(rf"{_BYLINE}[\s:：]*({surnames}{_GIVEN})"),
        # Credit lines: 文/某某, 图／某某, 漫画/某某, 摄影|某某.
        re.compile(rf"(?:文|图|漫画|插图|制图|绘图|摄影|视频|记者|编辑)\s*[/／|｜]\s*({surnames}{_GIVEN})"),
        re.compile(rf"(?:{before}|名叫|叫做|名为)({surnames}{_GIVEN})"),
        # Alone between punctuation (郝梦麟、, ——李某（湖北）).
        re.compile(rf"(?:^|(?<=[\s，,、；;：:（(“\"《—]))({surnames}{_GIVEN})(?=[\s，,、；;：:（(）)”\"》。]|$)", re.M),
        # A note in brackets after the last sentence of a paragraph, or alone on its line, names who wrote it or
        # sent it in, often with a place or unit (。（王若原 刘某）, （某省某县张某）): names the surname patterns miss.
        re.compile(r"(?:(?<=[。！？!?”」])|^)[ \t　]*[（(]([\u4e00-\u9fff \t　]{2,20})[）)][ \t　]*$", re.M),
        # A signature line: a province, the rest of the place, a name, alone on the line (湖南某市刘某, under
        # a reader's letter); led by a province so that a heading (加强城市管理) is not read as one.
        re.compile(rf"^[ \t　]*(?:{_PROVINCES})[\u4e00-\u9fff]{{0,10}}?(?:省|市|县|区|州|旗|镇|乡)[ \t　]*({surnames}{_GIVEN})[ \t　]*$",
                   re.M),
        # A name before its place in a photograph (吴某某（右一）, 李某（左二）).
        re.compile(rf"({surnames}{_GIVEN})(?=[（(][左右前后中][一二三四五六七八九十]?[）)])"),
    )


# A dictionary word this common (jieba's count) that jieba does not tag as a person's name is that word,
# not a surname and a given name (高度, 家长), nor part of a name joined by a middle dot (首页, 安全生产).
COMMON_WORD = 500
# Characters that spell foreign and minority names (佛洛伊德, 瓦哈甫, 苏来曼).
FOREIGN = "阿埃艾奥佛巴拜鲍贝彼毕波伯博布达戴丹德迪蒂杜厄恩尔菲芬弗伽盖冈戈格哈赫亨霍吉贾杰卡凯坎柯科克肯库奎拉莱兰朗劳勒雷蕾莉琳卢鲁伦罗洛玛迈麦曼梅蒙米莫姆穆纳娜奈尼涅纽努诺欧帕潘佩皮珀普奇契乔萨塞桑瑟森莎舍斯苏索塔泰坦汤特托瓦威韦维沃乌锡希谢雅亚耶伊尤约泽扎詹兹"


@lru_cache(maxsize=1)
def word_tags() -> Mapping[str, str]:
    """jieba's dictionary POS tags (jieba.posseg reads them from the dictionary once, ~1 s)."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def common_word(word: str) -> bool:
    """Whether `word` is a common dictionary word (COMMON_WORD) that is not a person's name."""
    return (word_counts().get(word) or 0) >= COMMON_WORD and not word_tags().get(word, "").startswith("nr")


def word_not_name(text: str, start: int) -> bool:
    """Whether what a name pattern read at `start` begins with a surname that is the first character of a
    common word (高度视 after 市长 or before 报道 is 高度重视 misspelt, not a person)."""
    return text[start : start + 1] in all_surnames() and common_word(text[start : start + 2])


@lru_cache(maxsize=1)
def _likely_name() -> re.Pattern[str]:
    corpus = tagged()
    surnames, given = "".join(sorted(corpus.name_surnames)), "".join(sorted(corpus.given))
    return re.compile(rf"[{surnames}](?:[{given}][\u4e00-\u9fff]?|[\u4e00-\u9fff][{given}])")


def likely_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of a surname beside a character of given names, wherever they stand (刘佑民, 孙先敏, 孙自铎):
    the corpus's name characters (audit.content.tagged), mostly names, whose slips are rare. Not where the
    surname begins a common word (高度, 张开)."""
    if not tagged().given:
        return
    for match in _likely_name().finditer(text):
        if not word_not_name(text, match.start()):
            yield match.span()


_DOT = re.compile("[·・•‧]")
_HAN_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,4}$")
_HAN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,4}")


def _name_side(side: str, left: bool) -> str:
    """The characters of `side` nearest the dot, up to (not including) the first that completes a common word."""
    for k in range(1, len(side) + 1):
        part = side[-k:] if left else side[:k]
        if any(common_word(part[i:j]) for i in range(k - 1) for j in range(i + 2, k + 1)):
            return side[len(side) - k + 1 :] if left else side[: k - 1]
    return side


def dotted_names(text: str) -> Iterator[tuple[int, int]]:
    """Names joined by a middle dot are transliterated or minority names (瓦哈甫·苏来曼, 玛丽·居里): up to four
    Han characters each side of each dot, up to a common word, at least two each side, with a character of
    FOREIGN. A headline's or a menu's separator joins words (学党史·悟思想, 首页·高度视…): no name there.
    Found from the dots: a pattern tried at every position cost more."""
    for dot in _DOT.finditer(text):
        before = _HAN_BEFORE.search(text, max(0, dot.start() - 6), dot.start())
        after = _HAN_AFTER.match(text, dot.end())
        if not (before and after):
            continue
        left, right = _name_side(before.group(), left=True), _name_side(after.group(), left=False)
        if len(left) >= 2 and len(right) >= 2 and any(c in FOREIGN for c in left + right):
            yield dot.start() - len(left), dot.end() + len(right)


@lru_cache(maxsize=1)
def _titled() -> re.Pattern[str]:
    corpus = tagged()
    titles = sorted({*_BEFORE.split("|"), *_CHIEFS.split("|"), *corpus.before}, key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(titles)})([\u4e00-\u9fff]{{2,3}})(?=[\s，,、；;：:（(。])")


def titled_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of two or three characters between a title and a clause's end (总裁蒉某，, 副队长刘某，):
    a name whatever its surname, unless they begin a common word (董事长职务，). A title ending in 长 needs
    this end: 家长 and 增长 are no titles, and 站长 or 队长 before a word is not before a name."""
    for match in _titled().finditer(text):
        start, end = match.span(1)
        if not any(common_word(text[start:k]) for k in range(start + 2, end + 1)):
            yield start, end


# Two or three Han characters standing alone, or before 等 (、 is not Han: a list's items are such runs).
_ITEM = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}(?=等|[^\u4e00-\u9fff]|$)")


def listed_names(text: str, names: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(start, end) of the short items of an enumeration (、) next to a surname and given name that no
    dictionary knows: a list of people (蔡健雅、张译、河森堡等), whatever their surnames or stage names; not
    a list of words, which jieba may tag as names (关爱、和睦、酣蜜: 和睦 is nr)."""
    counts = word_counts()
    known = {(a, b) for a, b in names if text[a:b] not in counts}
    if not known:
        return
    items = [m.span() for m in _ITEM.finditer(text)]
    for k, (start, end) in enumerate(items):
        if (start, end) in known:
            continue
        left = k > 0 and items[k - 1] in known and text[items[k - 1][1] : start] == "、"
        right = k + 1 < len(items) and items[k + 1] in known and text[end : items[k + 1][0]] == "、"
        if left or right:
            yield start, end
