"""Names of the sample world: government sites, owners, and the designed accounts.

`SPECIAL` lists the accounts that make every label of the shared definitions
occur at the demo scale; the generator fills the rest of the requested
account count with healthy registered accounts from `filler_specs`.
Labels are never taken from this table: sampleweb.truth computes them from
the generated posts, registry and profiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SITES = {
    "yz": {"name": "永州市人民政府", "place": "永州", "city": "永州市"},
    "wx": {"name": "无锡市人民政府", "place": "无锡", "city": "无锡市"},
}

PLATFORM_ZH = {
    "wechat": "微信公众号",
    "weibo": "新浪微博",
    "douyin": "抖音",
    "kuaishou": "快手",
    "toutiao": "今日头条",
    "bilibili": "哔哩哔哩",
    "wechat_channels": "视频号",
}
# How prose on government pages names a platform: 关注"永州人社"微信号.
PLATFORM_PROSE = {"wechat": "微信号", "weibo": "微博", "douyin": "抖音号", "bilibili": "B站账号",
                  "toutiao": "头条号", "kuaishou": "快手号"}

# Words that make a name or verification text look like a government body's.
GOV_MARKERS = ("政府", "发布", "人社", "公安", "税务", "卫健", "局", "委员会", "办公室", "政务",
               "网信", "法院", "检察", "中心", "人民", "公积金", "管理", "城管", "交警")


@dataclass(frozen=True)
class Spec:
    """One designed account: how it posts (`schedule`), its registry row and profile."""

    schedule: str  # a key of sampleweb.world.SCHEDULES
    platform: str
    name: str
    owner: str
    site: str = ""  # yz | wx: which government's matrix page may list it
    registry: str = ""  # "" (not in registry) | active | closed | active_noid (matched by name)
    primary: bool = False
    verified_type: str = "none"
    verified_reason: str = ""
    on_matrix: bool = False
    imitates: str = ""  # the registered account name or owner this name copies
    extra: dict = field(default_factory=dict)  # state, interaction_enabled, pinned, reposts_only, ...


def _gov(name: str, owner: str, platform: str, site: str, schedule: str = "healthy", **kw) -> Spec:
    """A registered account of a government body, verified as government, listed on the matrix."""
    kw.setdefault("registry", "active")
    kw.setdefault("verified_type", "government")
    kw.setdefault("verified_reason", f"{owner}官方账号")
    kw.setdefault("on_matrix", kw["registry"] != "closed")
    return Spec(schedule, platform, name, owner, site, **kw)


SPECIAL: tuple[Spec, ...] = (
    _gov("永州发布", "永州市人民政府办公室", "wechat", "yz", "daily", primary=True),
    _gov("无锡发布", "无锡市人民政府办公室", "weibo", "wx", "daily", primary=True, extra={"pinned": 120}),
    _gov("永州人社", "永州市人力资源和社会保障局", "wechat", "yz", "cadence_gap", primary=True),
    _gov("无锡人社", "无锡市人力资源和社会保障局", "wechat", "wx", "cadence_gap", primary=True),
    _gov("永州教育", "永州市教育局", "weibo", "yz", "weekly_gap"),
    _gov("无锡教育", "无锡市教育局", "wechat", "wx", "weekly_gap"),
    _gov("永州公安", "永州市公安局", "weibo", "yz", "dormant"),
    _gov("无锡公安", "无锡市公安局", "weibo", "wx", "dormant", extra={"pinned": 2}),
    _gov("健康永州", "永州市卫生健康委员会", "wechat", "yz", "dormant"),
    _gov("永州文旅", "永州市文化旅游广电体育局", "weibo", "yz", "zombie"),
    _gov("零陵发布", "零陵区人民政府办公室", "wechat", "yz", "zombie_severe"),
    _gov("无锡市场监管", "无锡市市场监督管理局", "weibo", "wx", "empty"),
    _gov("滨湖发布", "滨湖区人民政府办公室", "weibo", "wx", "healthy", extra={"reposts_only": True}),
    _gov("梁溪发布", "梁溪区人民政府办公室", "wechat", "wx", "no_original"),
    _gov("江阴公安", "江阴市公安局", "weibo", "wx", "healthy", registry="closed"),
    _gov("宜兴发布", "宜兴市人民政府办公室", "weibo", "wx", "healthy"),
    _gov("宜兴政务", "宜兴市人民政府办公室", "weibo", "wx", "healthy"),
    _gov("健康无锡", "无锡市卫生健康委员会", "wechat", "wx", "healthy", extra={"interaction_enabled": False}),
    _gov("江阴发布", "江阴市人民政府办公室", "weibo", "wx", "healthy", extra={"state": "missing"}),
    _gov("东安发布", "东安县人民政府办公室", "weibo", "yz", "healthy", extra={"state": "needs_credentials"}),
    Spec("healthy", "weibo", "永州住房公积金", "永州市住房公积金管理中心", "yz",
         verified_type="government", verified_reason="永州市住房公积金管理中心官方微博"),
    Spec("healthy", "wechat", "冷水滩发布", "冷水滩区人民政府办公室", "yz", on_matrix=True),
    Spec("healthy", "weibo", "宜兴城管执法", "宜兴市城市管理局", "wx"),
    Spec("healthy", "wechat", "永洲人社", "个人", imitates="永州人社"),  # homophone 洲/州
    Spec("healthy", "weibo", "水州发布", "个人", imitates="永州发布"),  # look-alike 水/永
    Spec("healthy", "wechat", "無錫發佈", "个人", imitates="无锡发布"),  # traditional forms
    Spec("healthy", "weibo", "永州公安★官方", "个人", imitates="永州公安", verified_type="personal"),
    Spec("healthy", "weibo", "无锡市人力资源和社会保障局", "个人", imitates="无锡市人力资源和社会保障局"),
    Spec("healthy", "weibo", "上海美食地图", "上海美食地图工作室", verified_type="personal",
         verified_reason="美食博主"),
    Spec("healthy", "wechat", "永州美食地图", "个人"),
    _gov("无锡交警", "无锡市公安局交通警察支队", "douyin", "wx", "dormant", extra={"pinned": 3}),
    _gov("永州消防", "永州市消防救援支队", "bilibili", "yz", "healthy", extra={"pinned": 90}),
    _gov("梁溪城管", "梁溪区城市管理局", "bilibili", "wx", "healthy", extra={"interaction_enabled": False}),
    _gov("永州气象", "永州市气象局", "toutiao", "yz", "weekly_gap"),
    _gov("惠山发布", "惠山区人民政府办公室", "kuaishou", "wx", "zombie"),
)

# Filler: healthy registered accounts of more bodies (county governments and city departments).
_DEPTS = (("医保", "医疗保障局"), ("司法", "司法局"), ("交通", "交通运输局"), ("应急", "应急管理局"),
          ("生态环境", "生态环境局"), ("税务", "税务局"), ("统计", "统计局"), ("民政", "民政局"),
          ("农业农村", "农业农村局"), ("自然资源", "自然资源和规划局"), ("水利", "水利局"),
          ("科技", "科学技术局"), ("商务", "商务局"), ("退役军人", "退役军人事务局"))
_COUNTIES = {
    "yz": ("祁阳", "道县", "江永", "宁远", "蓝山", "新田", "双牌", "江华"),
    "wx": ("锡山", "新吴", "经开", "锡东"),
}
_COUNTY_SUFFIX = {"祁阳": "市", "道县": "", "江华": "瑶族自治县", "锡山": "区", "新吴": "区", "经开": "区",
                  "锡东": "新城"}


def filler_specs(platforms: tuple[str, ...]) -> Iterator[Spec]:
    """Endless healthy registered accounts with unique names, cycling platforms and sites.

    Departments (weekly cadence) and county press accounts (primary, daily) alternate,
    so any prefix of the sequence has both.
    """
    n = 0
    for round_no in range(1, 10_000):
        suffix = "" if round_no == 1 else str(round_no)
        for site, meta in SITES.items():
            counties = [(f"{c}发布{suffix}", f"{c}{_COUNTY_SUFFIX.get(c, '县')}人民政府办公室{suffix}", True)
                        for c in _COUNTIES[site]]
            depts = [(f"{meta['place']}{short}{suffix}", f"{meta['city']}{dept}{suffix}", False)
                     for short, dept in _DEPTS]
            for i in range(max(len(counties), len(depts))):
                for name, owner, primary in (depts[i:i + 1] + counties[i:i + 1]):
                    yield _filler(name, owner, site, platforms[n % len(platforms)], primary=primary, n=n)
                    n += 1


def _filler(name: str, owner: str, site: str, platform: str, primary: bool, n: int) -> Spec:
    registry = "active_noid" if n % 5 == 3 else "active"
    return _gov(name, owner, platform, site, "daily" if primary else "healthy", primary=primary,
                registry=registry, extra={"pinned": 200} if (platform == "weibo" and n % 3 == 0) else {})
