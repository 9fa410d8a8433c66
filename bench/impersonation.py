"""Benchmark the impersonation matcher on a generated registry of 100,000 names.

    .venv/bin/python -m bench.impersonation [--entries 100000] [--queries 3000] [--seed 1]

The registry is realistic in shape: real place names (and generated
two-character county/district names) with a 市/县/区 level × agency words
(发布, 公安, 人社 … with their owners' full names) × platforms, plus
free-form names from a character generator. Queries mix registered names,
impersonations (homophones, look-alikes, decorations, owner names, zero-width
characters) and benign names. Prints the build time, peak RSS, p50/p95/p99
single-lookup latency (target p95 ≤ 20 ms) and batch throughput.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator

from audit.impersonation import Matcher
from audit.impersonation.places import PLACES
from core.models import RegistryEntry
from core.names.confusables import GROUPS

AGENCIES = (  # account-name word, owner's agency wording
    ("发布", "人民政府新闻办公室"), ("公安", "公安局"), ("人社", "人力资源和社会保障局"), ("文旅", "文化和旅游局"),
    ("市场监管", "市场监督管理局"), ("教育", "教育局"), ("卫健委", "卫生健康委员会"), ("融媒", "融媒体中心"),
    ("交警", "公安局交通警察支队"), ("应急管理", "应急管理局"), ("住建", "住房和城乡建设局"), ("医保", "医疗保障局"),
    ("税务", "税务局"), ("气象", "气象局"), ("消防", "消防救援支队"), ("共青团", "共青团委员会"),
    ("妇联", "妇女联合会"), ("民政", "民政局"), ("司法", "司法局"), ("检察", "人民检察院"), ("法院", "人民法院"),
    ("政务服务", "政务服务中心"), ("网信", "网信办"), ("生态环境", "生态环境局"), ("水利", "水利局"),
    ("农业农村", "农业农村局"), ("自然资源", "自然资源局"), ("统计", "统计局"), ("审计", "审计局"),
    ("退役军人", "退役军人事务局"), ("商务", "商务局"), ("发改", "发展和改革委员会"),
)
PLATFORMS = ("wechat", "weibo", "douyin", "toutiao", "kuaishou", "bilibili", "wechat_channels")
CHARS = "安宁平和兴华昌盛泰福康乐永新城山江河湖海川林峰岭阳明光德仁义信东南西北中长丰庆顺利云龙凤"
HOMOPHONES = {"州": "洲", "安": "按", "发": "法", "布": "步", "社": "设", "公": "工", "教": "叫", "京": "晶"}
SHAPES = {ch: g[(g.index(ch) + 1) % len(g)] for g in GROUPS for ch in g}
BENIGN = ("美食地图", "房产网", "租房", "火锅", "民宿", "吃货", "摄影", "早茶", "小吃", "旅行攻略", "婚纱", "二手车")


def regions(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(place, level) pairs: real places first, then generated two- or three-character names."""
    out = [(p, "市") for p in sorted(PLACES)]
    seen = {p for p, _ in out}
    while len(out) < count:
        name = "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 2, 3))))
        if name not in seen:
            seen.add(name)
            out.append((name, rng.choice("县区市")))
    return out[:count]


def generate(n: int, seed: int) -> list[RegistryEntry]:
    """`n` registry entries: place × agency × platform, then free-form names up to n."""
    rng = random.Random(seed)
    entries: list[RegistryEntry] = []
    for place, level in regions(rng, n // 20):
        for word, agency in rng.sample(AGENCIES, 8):
            for platform in rng.sample(PLATFORMS, rng.choice((1, 2, 3))):
                if len(entries) >= n * 9 // 10:
                    break
                entries.append(RegistryEntry(
                    name=place + word, platform=platform, account_id=f"{platform}-{len(entries)}",
                    owner=place + level + agency, registry_no=f"B{len(entries):06d}",
                ))
    while len(entries) < n:  # free-form brand names (平安xx, 清风xx …)
        name = "".join(rng.choice(CHARS) for _ in range(rng.choice((3, 4, 5)))) + rng.choice(("在线", "之声", "e家", "通"))
        entries.append(RegistryEntry(name=name, platform=rng.choice(PLATFORMS), account_id=f"x-{len(entries)}",
                                     registry_no=f"B{len(entries):06d}"))
    return entries


def queries(entries: list[RegistryEntry], count: int, seed: int) -> Iterator[tuple[str, str]]:
    """(name, platform) queries: a mix of registered, imitated and benign names."""
    rng = random.Random(seed + 1)
    for _ in range(count):
        e = rng.choice(entries)
        kind = rng.randrange(6)
        if kind == 0:
            yield e.name, e.platform
        elif kind == 1:
            yield "".join(HOMOPHONES.get(c, c) for c in e.name), e.platform
        elif kind == 2:
            i = rng.randrange(len(e.name))
            yield e.name[:i] + SHAPES.get(e.name[i], e.name[i]) + e.name[i + 1 :], e.platform
        elif kind == 3:
            yield rng.choice(("【", "")) + e.name[:2] + "\u200b" + e.name[2:] + rng.choice(("官方", "官微", "2024")), e.platform
        elif kind == 4:
            yield e.owner or e.name, rng.choice(PLATFORMS)
        else:
            yield e.name[:2] + rng.choice(BENIGN), e.platform


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    entries = generate(args.entries, args.seed)
    started = time.perf_counter()
    matcher = Matcher(entries)
    build = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"registry: {len(entries)} entries, built in {build:.1f} s, peak RSS {rss_mb:.0f} MB")
    qs = list(queries(entries, args.queries, args.seed))
    latencies, verdicts = [], {"registered": 0, "impersonation": 0, "clear": 0}
    for name, platform in qs:
        t0 = time.perf_counter()
        verdicts[matcher.check(name, platform).verdict] += 1
        latencies.append((time.perf_counter() - t0) * 1000)
    print(f"single lookups: {len(qs)}; latency ms p50 {statistics.median(latencies):.2f}, "
          f"p95 {percentile(latencies, 95):.2f}, p99 {percentile(latencies, 99):.2f}, max {max(latencies):.2f}; "
          f"verdicts {verdicts}")
    batch = list(queries(entries, args.queries, args.seed + 7))
    t0 = time.perf_counter()
    for name, platform in batch:
        matcher.check(name, platform)
    elapsed = time.perf_counter() - t0
    print(f"batch: {len(batch)} names in {elapsed:.2f} s = {len(batch) / elapsed:.0f} names/s (one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
