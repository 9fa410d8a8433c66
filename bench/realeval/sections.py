"""One function per bench section: takes the pages and the CLI args, returns the lines to print."""

from __future__ import annotations

import argparse
from functools import cache

from bench.realeval import measures
from bench.realeval.corpus import PARTS, RealPage, realdata_dir
from core.config import load_settings
from crawler.pages.page_info import PageInfo, page_info
from govwatch.commands.check_page import page_findings


def _parts(args: argparse.Namespace) -> tuple[str, ...]:
    """The parts asked for (--part), else both."""
    return (args.part,) if getattr(args, "part", None) else PARTS


@cache
def _info(raw: bytes) -> PageInfo:
    return page_info(raw)


def _tally_lines(label: str, tally: measures.Tally, args: argparse.Namespace) -> list[str]:
    lines = [f"{label} right / n: " + "  ".join(f"{part} {tally.figure(part)}" for part in _parts(args))]
    if args.misses:
        lines += [f"    miss: {miss}" for miss in tally.misses["tune"]]
    return lines


def maintext(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    f1 = measures.main_text_f1(pages, lambda raw: _info(raw).body_text)
    return ["main-text F1 vs cleaned/: " + "  ".join(f"{part} {f1.get(part, 0):.3f}" for part in _parts(args))]


def titles(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    return _tally_lines("titles", measures.titles(pages, lambda raw: _info(raw).title), args)


def dates(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    return _tally_lines("dates", measures.dates(pages, lambda raw: _info(raw).published), args)


def typos(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    """False alarms per part, once per --typo-chars measure (the first N characters of each page, 0 = all)."""
    from audit.content.typos import TypoDetector

    detector = TypoDetector()
    lines = []
    for limit in (int(n) for n in str(args.typo_chars).split(",")):
        found = measures.typo_alarms(pages, detector.check_document, limit)
        scope = f"first {limit:,} chars per page" if limit else "all of each page"
        lines += _alarm_lines(found, args, f"on real main text ({scope})")
    return lines + _typos_as_read(pages, args)


def _alarm_lines(found: dict, args: argparse.Namespace, what: str) -> list[str]:
    """One line per part (alarms per 10,000 characters, then how many each rule gave: counts only, so the
    held-out part's alarms are never read), with the tune part's alarms under --misses."""
    lines = []
    for part in _parts(args):
        alarms, chars, quotes, rules, slips = found.get(part, (0, 0, [], {}, 0))
        by_rule = measures.by_rule(rules)
        lines.append(f"typo false alarms {what}, {part}: {alarms} in {chars} chars = "
                     f"{10_000 * alarms / max(1, chars):.2f} per 10,000 chars" + (f" ({by_rule})" if by_rule else "")
                     + f"; {slips} more found real slips (bench/labels/real_typos.tsv)")
        if args.misses and part == "tune":
            lines += [f"    alarm: {quote}" for quote in quotes]
    return lines


def _typos_as_read(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    """The same count on what `govwatch check page` reports (its own page_findings: title and extracted main
    text of the HTML, the page's own account names known, spam text left to the spam report)."""
    settings = load_settings(None)

    def check(raw: bytes) -> tuple[str, list]:
        info = _info(raw)
        return f"{info.title}\n{info.body_text}", page_findings(info, "", settings)[0]

    found = measures.typo_alarms_as_read(pages, check)
    return _alarm_lines(found, args, "as check page reads the HTML (title + extracted main text)")


def mentions(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    from bench.realeval import mentions as mention_eval
    from bench.realeval import real_mentions
    from crawler.pages.mentions import extract_mentions

    real = real_mentions.score(pages[0].root if pages else realdata_dir(), lambda raw: _info(raw).accounts)
    lines = [real.line(p) for p in _parts(args)]
    s_right, s_found, s_labelled, s_wrong = mention_eval.on_sentences(extract_mentions)
    lines.append(f"mentions in sentences we wrote (not real text): recall {s_right}/{s_labelled} = "
                 f"{s_right / max(1, s_labelled):.2f}, precision {s_right}/{s_found} = {s_right / max(1, s_found):.2f}")
    return lines + ([f"    {w}" for w in real.tune_misses + s_wrong] if args.misses else [])


def spam(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    from bench.realeval import spam as spam_eval

    caught, injected, flagged, real, misses = spam_eval.measure(pages)
    lines = ["spam injections caught / n: " + "  ".join(f"{p} {caught[p]}/{injected[p]}" for p in _parts(args)),
             "real pages flagged: " + "  ".join(f"{p} {flagged[p]}/{real[p]}" for p in _parts(args))]
    return lines + ([f"    {m}" for m in misses] if args.misses else [])


def ecspell(pages: list[RealPage], args: argparse.Namespace) -> list[str]:
    return ["ecspell: see bench/typos.py"]
