"""Chinese for the impersonation checker's reasons (audit.impersonation writes them in English).

Each pattern rewrites the fixed words of one reason and keeps its names and
characters; a reason no pattern knows is shown in English only.
"""

from __future__ import annotations

import re

PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in [
    (r"^identical after normalisation$", "规范化后与备案名称相同"),
    (r"^same name with decorations changed: (.*)$", r"仅修饰词不同：\1"),
    (r"^homophone characters: (.*)$", r"同音字：\1"),
    (r"^visually similar characters: (.*)$", r"形近字：\1"),
    (r"^pinyin written in Latin letters: (.*) reads as (.*)$", r"拼音字母写法：\1 读作 \2"),
    (r"^owner's name used as the account name: (.*)$", r"以主办单位名称作账号名：\1"),
    (r"^homophone of the owner's name (.*)$", r"与主办单位名称同音：\1"),
    (r"^looks like the owner's name (.*)$", r"与主办单位名称形近：\1"),
    (r"^another form of the registered name: (.*)$", r"备案名称的另一种写法：\1"),
    (r"^sounds or looks like another form of the registered name (.*)$", r"音形近似备案名称的另一种写法：\1"),
    (r"^contains the registered name (.*) with (.*) added$", r"包含备案名称 \1，另加 \2"),
    (r"^registered name (.*) with a character dropped$", r"备案名称 \1 少一个字"),
    (r"^registered name (.*) with one character inserted$", r"备案名称 \1 多一个字"),
    (r"^characters of (.*) reordered$", r"\1 的字序被调换"),
    (r"^normalised away: full-width or compatibility characters$", "使用全角或兼容字符"),
    (r"^normalised away: zero-width or invisible characters$", "含零宽或不可见字符"),
    (r"^normalised away: traditional characters$", "使用繁体字"),
    (r"^normalised away: variant characters$", "使用异体字"),
    (r"^normalised away: decorative punctuation, symbols or spaces$", "含装饰性标点、符号或空格"),
    (r"^account not verified$", "账号未认证"),
    (r"^account created recently: (.*)$", r"账号新近注册：\1"),
    (r"^commercial links: (.*)$", r"含商业链接：\1"),
]]


def reason_zh(reason: str) -> str:
    """The reason in Chinese, or "" when no pattern knows it."""
    for pattern, zh in PATTERNS:
        if pattern.match(reason):
            return pattern.sub(zh, reason)
    return ""
