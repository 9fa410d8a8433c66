"""Account facts that make a look-alike name more (or less) suspicious, as reasons.

They never decide the verdict alone — the shared definition judges
impersonation by the name, "regardless of official look" — but an
investigator needs them: an unverified, week-old account with a shop link
that is called 永洲人社 is a different case from a verified one whose
verification names the registered owner (probably the owner's own,
unregistered account).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from core.models import Account, RegistryEntry
from core.names import normalise_name, strip_decorations
from core.names.forms import name_forms

RECENT_DAYS = 90  # an account this young that imitates an old registered one is suspicious
COMMERCIAL_HOSTS = ("taobao.com", "tmall.com", "jd.com", "pinduoduo.com", "yangkeduo.com", "weidian.com",
                    "youzan.com", "1688.com", "jinritemai.com", "kwaixiaodian.com", "xiaohongshu.com/goods",
                    "mall.", "shop.")
COMMERCIAL_WORDS = ("有限公司", "公司", "商贸", "商行", "电商", "店铺", "旗舰店", "专卖", "代理", "加盟", "淘宝")


def account_facts(
    account: Account | None, entry: RegistryEntry, now: datetime | None, links: Sequence[str] = ()
) -> list[str]:
    """Reasons drawn from the account's verification, age and links (empty when nothing is known)."""
    reasons: list[str] = []
    if account is not None:
        reasons.extend(_verification(account, entry))
        created = account.created_at
        if created is not None:
            age = ((now or datetime.now()) - created).days
            if 0 <= age <= RECENT_DAYS:
                reasons.append(f"account created recently: {created:%Y-%m-%d} ({age} days before the check)")
    commercial = [link for link in links if _commercial_link(link)]
    if commercial:
        reasons.append("commercial links: " + ", ".join(commercial[:3]))
    return reasons


def _verification(account: Account, entry: RegistryEntry) -> list[str]:
    if not account.verified:
        return ["account not verified"]
    text = account.verified_reason.strip()
    if account.verified_type == "personal":
        return [f"verified as a personal account: {text}" if text else "verified as a personal account"]
    if any(word in text for word in COMMERCIAL_WORDS):
        return [f"verification names a business: {text}"]
    if not entry.owner:
        return []
    if owner_named(text, entry.owner):
        return [f"verification names the registered owner {entry.owner} (may be its own unregistered account)"]
    return [f"verification text {text!r} does not name the registered owner {entry.owner}"]


def owner_named(text: str, owner: str) -> bool:
    """True when a verification text names the owner, in full or in an abbreviated form."""
    norm_text, norm_owner = normalise_name(text), normalise_name(owner)
    if not norm_text or not norm_owner:
        return False
    if norm_owner in norm_text:
        return True
    text_forms = name_forms(strip_decorations(norm_text)).forms
    return any(form in tf for form in name_forms(norm_owner).forms for tf in text_forms)


def _commercial_link(url: str) -> bool:
    parts = urlsplit(url if "//" in url else "//" + url)
    target = (parts.hostname or "") + parts.path
    return any(host in target for host in COMMERCIAL_HOSTS)
