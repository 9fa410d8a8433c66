"""CPU of a page's highlights: 20 hits' snippets and marks as a search answer builds them (index/highlight.py).

    .venv/bin/python bench/highlight.py [--code DIR] [--rounds 7]

Pages of 20 sample-web posts (sampleweb.world, seed 3) that match each query of bench/search.py's
fixed mix; each page is normalised in one go and highlighted hit by hit, as the Elasticsearch
backend's `_hits` does. Prints the thread CPU per page (best and median of --rounds passes) and a
digest of every snippet and mark, so two checkouts (`--code`: highlight.py from another checkout,
e.g. a `git archive` of the code before) can be compared for speed and sameness in the same minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.query import Term, parse  # noqa: E402
from sampleweb.model import SamplePost  # noqa: E402
from sampleweb.world import generate  # noqa: E402

QUERIES = ["工作", "发展", "中国", "通知", "局", "中", "市", "永州市医疗保障局发布关于城乡居民医保缴费的通知",
           "无锡市人民政府办公室关于印发乡村振兴实施方案的通知", "医保 OR 防火", "乡村振兴 OR 文明城市 OR 食品安全"]


def load(code: Path) -> ModuleType:  # the module of another checkout: its functions are not this one's
    spec = importlib.util.spec_from_file_location("highlight_under_test", code / "index" / "highlight.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose index/highlight.py is timed")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    hl = load(Path(args.code))
    posts = [p for a in generate(seed=3).accounts for p in a.posts]
    pages = []
    for q in QUERIES:
        terms = parse(q).positive_terms()
        hits = [p for p in posts if hl.spans(p.title, terms) or hl.spans(p.text, terms)][:20]
        pages.append((hits, terms))

    def page(hits: list[SamplePost], terms: list[Term]) -> list[Any]:  # what that checkout's version answers
        forms = hl.normal_forms([part for p in hits for part in (p.title, p.text)])
        return [hl.snippet_and_highlights(p.title, p.text, terms, (forms[2 * n], forms[2 * n + 1]))
                for n, p in enumerate(hits)]

    digest = hashlib.sha256(json.dumps([page(h, t) for h, t in pages], ensure_ascii=False).encode()).hexdigest()
    times = []
    for _ in range(args.rounds):
        started = time.thread_time()
        for _ in range(20):
            for hits, terms in pages:
                page(hits, terms)
        times.append((time.thread_time() - started) / (20 * len(pages)) * 1000)
    print(f"{args.code}: {min(times):.3f} ms a page best, {statistics.median(times):.3f} median "
          f"({len(pages)} pages of {sum(len(h) for h, _ in pages) / len(pages):.0f} hits), digest {digest[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
