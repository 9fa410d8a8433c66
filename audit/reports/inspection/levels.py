"""The level of an owning body (主办单位): province, city, county or department.

Registries name bodies, not levels, so the level is read from the name: a
省/自治区 body is provincial; a 县/区/旗 (or a town under one) is county level;
a 市/州/盟 body is city level unless its supervisor is another city's body
(宜兴市 under 无锡市 is a county-level city); a body with no place in its name
(a vertical department such as 国家税务总局) is a department. `overrides`
(config [report] owner_levels) settles any body the names get wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_PROVINCE = re.compile(r"^[^市县区]{2,8}?(省|自治区)")
_COUNTY = re.compile(r"(县|区|旗|街道|乡|镇)")
_CITY = re.compile(r"^(.{2,6}?)(市|州|盟)")


def owner_level(owner: str, supervisor: str = "", overrides: Mapping[str, str] | None = None) -> str:
    """province | city | county | department ('' for an empty owner)."""
    owner = owner.strip()
    if not owner:
        return ""
    if overrides and owner in overrides:
        return overrides[owner]
    city = _CITY.match(owner)
    if _PROVINCE.match(owner) and not city:
        return "province"
    if city is None:
        return "county" if _COUNTY.search(owner) else "department"
    if _COUNTY.search(owner[city.end():]):
        return "county"
    above = _CITY.match(supervisor.strip())
    if above and above[1] != city[1] and not _PROVINCE.match(supervisor):
        return "county"  # a county-level city supervised by its prefecture-level city
    return "city"
