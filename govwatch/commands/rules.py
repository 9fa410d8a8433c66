"""List every rule with its kind, veto or deduction, thresholds and source (audit/catalog.py).

`govwatch rules` prints one line a rule; `--json` prints a JSON list of
{"id", "kind", "severity", "subject", "source", "thresholds", "check"}.
"""

from __future__ import annotations

import argparse
import json

from audit.catalog import RULES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def run(args: argparse.Namespace) -> int:
    rules = [spec.as_dict() for spec in RULES]
    if args.json:
        print(json.dumps(rules, ensure_ascii=False, indent=1))
        return 0
    for r in rules:
        thresholds = f" [{', '.join(r['thresholds'])}]" if r["thresholds"] else ""
        print(f"{r['id']:<28} {r['severity']:<9} {r['subject']:<7} {r['source']}{thresholds}")
    return 0
