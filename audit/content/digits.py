"""Letters typed inside numbers ("Io0%", "2O19年"): O/o for 0, I/l for 1.

A run is reported when a letter sits between digits, or when the run is followed by a unit
(年, %, 元 …): "IO" alone is a word, "IO年" is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A trailing X is a placeholder digit (202X年), so 2O2X年 still shows its letter O.
_DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9])[0-9OoIl]*[0-9][0-9OoIl]*[Xx]{0,2}(?![A-Za-z0-9])")
_UNIT = re.compile(r"\s?(?:[%％年月日号元万亿千百个人次家项件条户岁天余多米吨亩台辆所座]|公里|小时|分钟|平方)")
_LETTER_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_BETWEEN = re.compile(r"[0-9][OoIl]+[0-9]")


def letters_in_numbers(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, run as written, run with digits) of every number run holding a letter."""
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        fixed = run.translate(_LETTER_DIGIT)
        if fixed != run and (_BETWEEN.search(run) or _UNIT.match(text, match.end())):
            yield match.start(), run, fixed
