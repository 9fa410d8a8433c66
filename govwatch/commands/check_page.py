"""Inspect one page (file or URL, HTML or plain text, any Chinese encoding): spam, typos, accounts.

Prints {"url", "title", "published", "spam": {"compromised", "terms",
"evidence"}, "typos": [{"text", "suggestion", "offset", "rule", "kind"}],
"accounts": [{"name", "platform"}]} with --json; typo offsets index the
decoded input as given. A URL is also fetched as a search-engine crawler to
catch spam shown only to crawlers (--no-cloaking skips that). Exit codes: 0
clean or deductions only, 1 a veto (compromised page or serious wording
error), 2 bad input (missing file, unreachable URL, a binary file, a page
over `[limits] page_bytes`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from audit.content.lexicon import find_terms
from audit.content.probes import cloaking_evidence
from audit.content.spam import SpamInspector, SpamReport
from audit.content.typos import Typo, TypoDetector
from core.config import Settings
from core.errors import BadInputError
from core.text import to_simplified
from crawler.probes import ProbeFetcher
from govwatch.commands import settings_from

if TYPE_CHECKING:
    from crawler.pages.page_info import PageInfo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="PATH_OR_URL", help="a saved page (HTML or text) or an http(s) URL")
    parser.add_argument("--url", default="", help="the page's address when PATH_OR_URL is a file (for clone checks)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-cloaking", action="store_true", help="do not refetch a URL as a search-engine crawler")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    body, url, content_type = _read(args.target, args.url)
    _check_input(body, args.target, settings.limits.page_bytes)
    from crawler.pages.page_info import page_info  # lazy: the parser pulls in lxml/dateparser

    info = page_info(body, url, content_type)
    typos, spam = page_findings(info, url, settings)
    if url.startswith(("http://", "https://")) and not args.no_cloaking:
        with ProbeFetcher(timeout=15.0) as fetch:
            if (found := cloaking_evidence(info.decoded, url, fetch)) is not None:
                spam.add(found)
    result: dict[str, Any] = {
        "url": url,
        "title": info.title,
        "published": info.published.isoformat() if info.published else None,
        "spam": spam.as_dict(),
        "typos": [t.as_dict() for t in typos],
        "accounts": [{"name": to_simplified(m.name), "platform": m.platform} for m in info.accounts],
    }
    print(json.dumps(result, ensure_ascii=False) if args.json else _text(result))
    veto = spam.compromised or any(t.kind == "wording_error" for t in typos)
    return 1 if veto else 0


def page_findings(info: PageInfo, url: str, settings: Settings) -> tuple[list[Typo], SpamReport]:
    """Typos and spam of one parsed page. Typos read the article only (title and main text of HTML), know
    the page's own account names, and leave spam text to the spam report."""
    names = [m.name for m in info.accounts] + list(settings.content.get("names", []))
    main = f"{info.title}\n{info.body_text}" if info.html else None
    typos = TypoDetector(settings.content, names).check_document(info.decoded, info.published, main)
    spam = SpamInspector(settings.sources.gov_sites, settings.gov_domains).inspect(info.decoded, url)
    if spam.compromised:
        typos = [t for t in typos if not find_terms(info.decoded[max(0, t.offset - 20) : t.offset + 20])]
    return typos, spam


def _read(target: str, url: str) -> tuple[bytes, str, str | None]:
    if target.startswith(("http://", "https://")):
        from crawler.linkcheck import fetch

        try:
            status, body, content_type = fetch(target)
        except httpx.HTTPError as exc:
            raise BadInputError(f"cannot fetch: {exc}", source=target) from None
        if status >= 400:
            raise BadInputError(f"HTTP {status}", source=target)
        return body, target, content_type
    path = Path(target)
    if not path.is_file():
        raise BadInputError("no such file", source=target)
    return path.read_bytes(), url, None


def _check_input(body: bytes, target: str, limit: int) -> None:
    """Refuse what is no page: over the size limit (the checks would run for minutes) or binary."""
    from crawler.pages.encoding import binary_kind

    if len(body) > limit:
        raise BadInputError(f"page is {len(body):,} bytes, over the limit of {limit:,} ([limits] page_bytes)",
                            source=target)  # fmt: skip
    if kind := binary_kind(body):
        raise BadInputError(f"not a page but {kind}", source=target)


def _text(result: dict[str, Any]) -> str:
    lines = [f"{result['title'] or '(no title)'}  {result['url']}  published {result['published'] or 'unknown'}"]
    spam = result["spam"]
    lines.append(f"spam: {'COMPROMISED' if spam['compromised'] else 'clean'} {' '.join(spam['terms'])}")
    lines += [f"  {e['kind']} at {e['where']}: {e['text']}" for e in spam["evidence"]]
    lines.append(f"typos: {len(result['typos'])}")
    lines += [f"  @{t['offset']} {t['text']} → {t['suggestion']} ({t['rule']})" for t in result["typos"]]
    lines.append("accounts: " + ", ".join(f"{a['name']} ({a['platform']})" for a in result["accounts"]))
    return "\n".join(lines)
