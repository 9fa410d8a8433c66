"""Check one account name against the registry: registered, impersonation or clear.

Prints {"query", "verdict", "candidates": [{"name", "platform", "owner",
"score", "reasons"}]} with --json (best candidate first), a short text
otherwise. The registry is the store's, or a CSV/XLSX file given with
--registry. Exit codes: 0 registered or clear, 1 impersonation, 2 bad input
(unknown platform, unreadable registry file, a name with no letters).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from audit.impersonation import CheckResult, Matcher
from audit.impersonation.indexed import registry_matcher
from audit.registry.fields import parse_platform
from audit.registry.reader import read_registry
from core.errors import BadInputError
from core.models import RegistryEntry
from govwatch.commands import opened_store

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the account name to check, as written")
    parser.add_argument("--platform", help="platform identifier or Chinese name (wechat, 微博, 抖音 …)")
    parser.add_argument("--registry", metavar="FILE", help="registry CSV/XLSX file (default: the store's registry)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    platform = _platform(args.platform)
    result = Matcher(_file_entries(args.registry)).check(args.name, platform) if args.registry \
        else _store_check(args, platform)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print(_text(result))
    return 1 if result.verdict == "impersonation" else 0


def _platform(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parse_platform(value)
    except ValueError as exc:
        raise BadInputError(str(exc), source="--platform") from None


def _file_entries(path: str) -> list[RegistryEntry]:
    registry = read_registry(path)
    for error in registry.errors:
        print(f"govwatch check name: skipped {error}", file=sys.stderr)
    if not registry.entries:
        raise BadInputError("no usable registry rows", source=path)
    return registry.entries


def _store_check(args: argparse.Namespace, platform: str | None) -> CheckResult:
    """The check over the store's registry (on Elasticsearch, candidates come from its index)."""
    with opened_store(args) as (_, backend):
        matcher = registry_matcher(backend)
        try:
            if not len(matcher):
                log.warning("the store's registry is empty: every name will be clear (import one with "
                            "`registry import`)")
            return matcher.check(args.name, platform)
        finally:
            matcher.close()


def _text(result: CheckResult) -> str:
    lines = [f"{result.query}: {result.verdict}"]
    for cand in result.candidates:
        lines.append(f"  {cand.score:.2f}  {cand.name} ({cand.platform}, {cand.owner or 'owner unknown'})")
        lines.extend(f"        - {reason}" for reason in cand.reasons)
    return "\n".join(lines)
