"""Account facts every platform writes differently: counts ("14.5万"), verification text and codes."""

from __future__ import annotations

import math
import re
from typing import Any

# A verification that names a government body (认证信息 "永州市公安局官方账号", "政务号").
_GOVERNMENT = re.compile(
    r"政府|政务|人民政府|委员会|[省市县区州盟旗镇乡]委|办公室|公安|警方|检察|法院|人大|政协|[厅局署]|"
    r"宣传部|网信|人社|医保|卫健|文旅|教育局|应急管理|市场监管|税务|海关|消防|融媒体中心|共青团|团[省市县区]委"
)
_ORGANISATION = re.compile(
    r"企业|公司|机构|媒体|报社|电视台|广播|日报|晚报|学校|大学|学院|医院|协会|基金会|官方"
)
# Weibo-style numeric verified_type codes (profiles and user search):
# 1 government; 2-7 enterprise, media, campus, website, app, organisation; 0 a verified person.
_VERIFIED_TYPES = {
    1: "government",
    2: "organisation",
    3: "organisation",
    4: "organisation",
    5: "organisation",
    6: "organisation",
    7: "organisation",
    0: "personal",
}
_COUNT = re.compile(r"\s*([0-9.,]+)\s*(万|w|W|亿)?\+?\s*")
MAX_COUNT = 10**13  # more followers or posts than people on earth × 1000: a garbled answer, not a count


def parse_count(value: Any) -> int | None:
    """Counts as platforms write them: 1553, "1,553", "14.5万", "1.2w", "3亿"; None if unreadable.

    Negative, infinite, NaN or implausibly large values (400 digits) are unreadable, not crashes.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value) if not isinstance(value, int) or abs(value) < MAX_COUNT else float(MAX_COUNT)
        scale = 1
    else:
        match = _COUNT.fullmatch(str(value or ""))
        if not match:
            return None
        try:
            number = float(match.group(1).replace(",", ""))
        except ValueError:
            return None
        scale = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}.get(match.group(2) or "", 1)
    if not math.isfinite(number) or not 0 <= number * scale < MAX_COUNT:
        return None
    return int(number * scale)


def classify_verification(text: str, verified: bool = True) -> str:
    """government / organisation / personal / none from a verification text."""
    if not verified and not text:
        return "none"
    if _GOVERNMENT.search(text):
        return "government"
    if _ORGANISATION.search(text):
        return "organisation"
    return "personal" if verified or text else "none"


def verified_type(code: Any) -> str:
    """A Weibo-style numeric verified_type code as one of core.models.VERIFIED_TYPES."""
    if isinstance(code, str) and not re.fullmatch(r"-?[0-9]{1,4}", code):  # not "²": isdigit() says yes
        return code if code in ("government", "organisation", "personal", "none") else "none"
    if isinstance(code, bool) or not isinstance(code, int | str):
        return "none"
    return _VERIFIED_TYPES.get(int(code), "none")
