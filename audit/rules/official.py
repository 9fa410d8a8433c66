"""Does an account look official (speak in a government body's name)?

Official-looking (DESIGN.md, unregistered rule): verified as a government
body; or listed on a government site's matrix page; or its name or
verification text names a government body. The last test is a word list of
body names and the standard suffixes of Chinese government organs; an office
extends it with `[content] government_terms = [...]` in the config.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from audit.names import normalise_name
from core.models import Account

# Body names and suffixes (机关 / 部门 / 派出机构) that only a government organ uses in its name.
GOVERNMENT_TERMS = (
    "人民政府", "政府", "办公厅", "办公室", "委员会", "人大", "政协", "纪委", "监委", "党委", "宣传部",
    "组织部", "统战部", "政法委", "公安", "派出所", "交警", "警方", "法院", "检察院", "司法局",
    "税务", "海关", "消防", "应急管理", "市场监管", "生态环境", "人力资源", "社会保障", "人社",
    "卫健", "卫生健康", "疾控", "教育局", "教育厅", "民政", "财政", "发改", "住建", "城管", "交通运输",
    "农业农村", "文旅", "文化和旅游", "自然资源", "水利", "统计局", "医保", "网信", "退役军人",
    "融媒体中心", "街道办", "街道", "管委会", "气象局", "政务", "发布", "档案局", "信访", "公积金", "检察",
)
# "发布" and "政务" are how government press accounts name themselves (永州发布, 政务无锡).
_ORGAN_SUFFIX = re.compile(r"(省|市|县|区|州|盟|旗|乡|镇)[\u4e00-\u9fff]{0,12}(局|厅|委|办|署|院|所|中心)$")


def names_government_body(text: str, extra_terms: Iterable[str] = ()) -> bool:
    """True when `text` (a name or a verification text) names a government body."""
    norm = normalise_name(text)
    if not norm:
        return False
    if any(term in norm for term in (*GOVERNMENT_TERMS, *extra_terms)):
        return True
    return bool(_ORGAN_SUFFIX.search(norm))


def looks_official(
    account: Account, listed: bool, extra_terms: Iterable[str] = ()
) -> tuple[bool, list[str]]:
    """Whether `account` looks official, and why (the reasons go into the finding's evidence)."""
    reasons = []
    if account.verified_type == "government":
        reasons.append("verified_type=government")
    if listed or account.found_via == "gov_site":
        reasons.append("listed on a government site")
    if names_government_body(account.name, extra_terms):
        reasons.append("name names a government body")
    if account.verified_reason and names_government_body(account.verified_reason, extra_terms):
        reasons.append("verification names a government body")
    return bool(reasons), reasons
