"""Chinese labels for the page: platforms, finding kinds, severities, roles (identifier shown beside)."""

from __future__ import annotations

from core.platforms import PLATFORM_LABELS

PLATFORM_ZH = PLATFORM_LABELS  # one vocabulary: core/platforms.py
KIND_ZH = {
    "dormant": "休眠", "zombie": "僵尸", "zombie_severe": "僵尸（一年以上）", "empty_shell": "空壳",
    "unregistered": "未备案", "impersonation": "冒用", "cadence_primary": "主账号未每个工作日更新",
    "cadence_weekly": "每周更新不足", "no_original": "两周无原创", "duplicate_platform": "同平台重复开设",
    "closed_but_alive": "已注销仍在更新", "registry_ambiguous": "备案匹配不唯一", "no_interaction": "无互动功能",
    "missing": "账号不存在", "typo": "错别字", "wording_error": "严重表述错误", "spam_injection": "暗链/篡改",
    "broken_service": "服务功能无法使用", "compromised_page": "网页被篡改", "too_large": "网页过大未检查",
}
SEVERITY_ZH = {"veto": "单项否决", "deduction": "扣分", "info": "提示"}
STATUS_ZH = {"open": "未整改", "resolved": "已复查解决"}
STATE_ZH = {"ok": "正常", "missing": "不存在", "needs_credentials": "需要登录"}


def label(table: dict[str, str], ident: str | None) -> str:
    """'休眠 dormant': the Chinese name with the identifier beside (the identifier alone if unknown)."""
    if not ident:
        return ""
    zh = table.get(ident)
    return f"{zh} {ident}" if zh else ident
