"""Audit every account and page as of a check time (default now) and store the findings: `audit [--as-of DATE]`."""

from __future__ import annotations

import argparse
from datetime import datetime, time

from audit.content.runner import run_content_audit
from audit.runner import run_audit
from core.errors import BadInputError
from govwatch.commands import opened_store
from govwatch.jobs import send_alerts
from ops.alerts.triggers import calendar_alerts, new_veto_alerts, open_identities
from ops.progress import ProgressBackend


def parse_as_of(text: str) -> datetime:
    """YYYY-MM-DD (the end of that day, 23:59:59) or YYYY-MM-DD HH:MM[:SS] / ISO form."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(datetime.fromisoformat(text.strip()).date(), time(23, 59, 59))
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise BadInputError(f"not a date or date-time: {text!r} (use YYYY-MM-DD or 'YYYY-MM-DD HH:MM')",
                            field="--as-of") from None


def as_of_from(args: argparse.Namespace) -> datetime:
    """The command's --as-of, or now (to the second)."""
    return parse_as_of(args.as_of) if args.as_of else datetime.now().replace(microsecond=0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", dest="as_of", metavar="DATE",
                        help="check time: YYYY-MM-DD (end of that day) or 'YYYY-MM-DD HH:MM'; default now. "
                             "The same store and --as-of always give the same findings.")


def run(args: argparse.Namespace) -> int:
    as_of = as_of_from(args)
    with opened_store(args) as (settings, backend):
        before = open_identities(backend)
        summary = run_audit(ProgressBackend(backend, "audit"), settings, as_of)  # type: ignore[arg-type]
        content = run_content_audit(backend, settings, as_of)
        alerts = new_veto_alerts(backend, before) + calendar_alerts(summary.provisional_years)
    send_alerts(settings, alerts)  # [alerts] webhooks, when configured
    print(f"audit as of {as_of:%Y-%m-%d %H:%M:%S}: {summary.accounts} accounts checked, "
          f"{summary.unreadable} whose posts could not be read (no activity verdict)")
    for kind, count in sorted(summary.by_kind.items()):
        print(f"  {kind:<20} {count}")
    d = summary.delta
    print(f"findings: {d.opened} new, {d.still_open} still open, {d.resolved} resolved (复查)")
    capped = " (capped by [limits] post_checks)" if content.posts_capped else ""
    print(f"content: {content.pages} pages checked, {content.posts} recent posts checked{capped}")
    for kind, count in sorted(content.by_kind.items()):
        print(f"  {kind:<20} {count}")
    c = content.delta
    print(f"content findings: {c.opened} new, {c.still_open} still open, {c.resolved} resolved (复查)")
    for year in summary.provisional_years:
        print(f"calendar: {year} is provisional (no official 调休 days): working-day findings are marked "
              f"'calendar: provisional'; add [calendar.{year}] to the config when they are published")
    return 0
