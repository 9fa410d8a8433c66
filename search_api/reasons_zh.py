"""Chinese for the impersonation checker's reasons (audit.impersonation writes them in English).

One table, one line per reason: the English wording, ``|``, the Chinese.
``{}`` stands for the names or characters a reason carries; they are kept
as they are. A reason no line knows is shown in English only.
"""

from __future__ import annotations

import re

TABLE = """
identical after normalisation | 规范化后与备案名称相同
same name with decorations changed: {} | 仅修饰词不同：{}
homophone characters: {} | 同音字：{}
visually similar characters: {} | 形近字：{}
pinyin written in Latin letters: {} reads as {} | 拼音字母写法：{} 读作 {}
owner's name used as the account name: {} | 以主办单位名称作账号名：{}
homophone of the owner's name {} | 与主办单位名称同音：{}
looks like the owner's name {} | 与主办单位名称形近：{}
another form of the registered name: {} | 备案名称的另一种写法：{}
sounds or looks like another form of the registered name {} | 音形近似备案名称的另一种写法：{}
contains the registered name {} with {} added | 包含备案名称 {}，另加 {}
registered name {} with a character dropped | 备案名称 {} 少一个字
registered name {} with one character inserted | 备案名称 {} 多一个字
characters of {} reordered | {} 的字序被调换
normalised away: full-width or compatibility characters | 使用全角或兼容字符
normalised away: zero-width or invisible characters | 含零宽或不可见字符
normalised away: traditional characters | 使用繁体字
normalised away: variant characters | 使用异体字
normalised away: decorative punctuation, symbols or spaces | 含装饰性标点、符号或空格
account not verified | 账号未认证
account created recently: {} | 账号新近注册：{}
commercial links: {} | 含商业链接：{}
"""


def _compile(english: str) -> re.Pattern[str]:
    """The English wording as an anchored pattern, each ``{}`` a group."""
    return re.compile("^" + "(.*)".join(re.escape(part) for part in english.split("{}")) + "$")


PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (_compile(english.strip()), zh.strip())
    for english, zh in (line.split(" | ") for line in TABLE.strip().splitlines())
]


def reason_zh(reason: str) -> str:
    """The reason in Chinese, or "" when no line of the table knows it."""
    for pattern, zh in PATTERNS:
        found = pattern.match(reason)
        if found:
            return zh.format(*found.groups())
    return ""
