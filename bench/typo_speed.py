"""Typo step speed on large pages: seconds per size, to show the cost grows linearly (target: 1 MB < 5 s).

The text is real: the main texts of ../shared/realdata/cwced/cleaned/ and the written sentences of
../shared/realdata/typos/odw.train, in file order, never repeated (about 1 MB in all); without that
folder, generated government prose (repetitive, so it flatters the figure: said in the output).

    .venv/bin/python bench/typo_speed.py [--sizes 0.25,0.5,1] [--official]

--official turns the real-word scan on (setting real_word_scan, audit.content.context) and runs it
(and the homophone scan, audit.content.homophones),
with the modern words' witness (audit.content.modern), over all of the text, as on a page of
official prose (the witness scans from the same floor as the other layers: a lower floor for it
was tried and dropped, README typo section); the real text mixes blogs and news, whose register would
leave both off.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.content import typos  # noqa: E402
from audit.content.protect import word_tags  # noqa: E402
from audit.content.typos import TypoDetector  # noqa: E402

REALDATA = Path(os.environ.get("GOVWATCH_REALDATA") or ROOT.parent / "shared" / "realdata")


def real_text() -> str:
    """Real Chinese text, each piece once: cwced main texts, then odw.train sentences as written."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((REALDATA / "cwced" / "cleaned").glob("*.txt"))]
    odw = REALDATA / "typos" / "odw.train"
    if odw.is_file():
        parts += [line.split("\t")[1] for line in odw.read_text(encoding="utf-8").splitlines() if line.count("\t") == 2]
    return "\n".join(parts)

SENTENCES = [
    "为进一步做好城乡居民基本医疗保险参保缴费工作，现将有关事项通知如下。",
    "各县区人民政府、市直各单位要高度重视，切实加强组织领导，确保各项工作落到实处。",
    "市人力资源和社会保障局将于近期开展就业援助月专项活动，为困难群众提供就业服务。",
    "请广大市民通过政务服务网或者线下窗口办理相关业务，咨询电话为本局办公室。",
    "会议强调，要坚持以人民为中心的发展思想，持续优化营商环境，推动经济高质量发展。",
    "本次检查共抽查政务新媒体账号四十个，发现问题账号三个，已责令限期整改。",
    "因道路施工，该路段将实行交通管制，请过往车辆和行人注意安全，按指示绕行。",
    "市场监管部门提醒消费者，购买商品时要索要发票，发现问题及时拨打投诉电话。",
]


def page_text(size_bytes: int, seed: int = 1) -> str:
    """About `size_bytes` of UTF-8 prose in paragraphs, each slightly different."""
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < size_bytes:
        n += 1
        paragraph = "".join(rng.sample(SENTENCES, 4)) + f"（第{n}号，{rng.randint(1, 28)}日）\n"
        if n % 3 == 0:  # a slip now and then: 在 → 再
            paragraph = paragraph.replace("现将", "现再", 1)
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1", help="page sizes in MB, comma-separated")
    parser.add_argument("--official", action="store_true", help="real-word scan on, over all of the text (worst case)")
    args = parser.parse_args()
    if args.official:
        typos.CONTEXT_FROM = typos.MODERN_FROM = typos.HOMOPHONE_FROM = -1.0  # every register counts as official prose
    started = time.perf_counter()
    warm = TypoDetector({"real_word_scan": args.official})
    warm.check_document(page_text(2_000))  # models built outside the timings,
    word_tags()  # with the tables built on first use: jieba's POS tags (a numeral swap reads them)
    warm.model.similarity.warm()  # and every character's confusion set
    print(f"model built once per process: {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f}")
    real = real_text() if (REALDATA / "cwced").is_dir() else ""
    print("text: " + ("real pages and sentences, no repeats" if real else "GENERATED, repetitive (no realdata)"))
    rows = []
    for mb in (float(s) for s in args.sizes.split(",")):
        size = int(mb * 1_000_000)
        text = real.encode("utf-8")[:size].decode("utf-8", "ignore") if real else page_text(size)
        if real and len(text.encode("utf-8")) < size * 0.95:
            print(f"{mb:5.2f} MB: only {len(text.encode('utf-8')):,} bytes of real text; skipped")
            continue
        detector = TypoDetector({"real_word_scan": args.official})
        start, cpu = time.perf_counter(), time.process_time()
        found = detector.check_document(text)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows.append((mb, seconds))
        print(f"{mb:5.2f} MB ({len(text):>8} chars): {seconds:6.2f} s, {seconds / mb:5.2f} s/MB "
              f"(CPU {cpu:.2f} s: the wall time on a shared machine includes waiting), {len(found)} typos")
    if len(rows) > 1:
        (small, t_small), (big, t_big) = rows[0], rows[-1]
        print(f"growth: {big / small:.1f}x the text took {t_big / max(t_small, 1e-9):.1f}x the time (linear: equal)")


if __name__ == "__main__":
    main()
