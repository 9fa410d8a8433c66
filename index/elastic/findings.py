"""save_findings on Elasticsearch: the same open → still open → resolved lifecycle as SQLite."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from typing import Any

from core.models import Finding
from index.base import FindingsDelta
from index.elastic import docs as D
from index.elastic.parts import EsStore

_SEQ: Any = [{"seq": "asc"}]


def open_findings(backend: EsStore, rule_ids: list[str]) -> dict[tuple[str, str, str], str]:
    """identity → _id of the open findings of `rule_ids`."""
    query = {"bool": {"filter": [{"term": {"status": "open"}}, {"terms": {"rule_id": rule_ids}}]}}
    found = {}
    backend.fresh("findings")
    for hit in _hits(backend, query):
        src = hit["_source"]
        found[(src["rule_id"], src["subject_type"], src["subject_key"])] = hit["_id"]
    return found


def _hits(backend: EsStore, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        extra: dict[str, Any] = {"search_after": after} if after else {}
        hits = backend.client.search(index=backend.index("findings"), query=query, size=2000, sort=_SEQ,
                                     _source=["rule_id", "subject_type", "subject_key"], **extra)["hits"]["hits"]
        yield from hits
        if len(hits) < 2000:
            return
        after = hits[-1]["sort"]


def save_findings(backend: EsStore, findings: Iterable[Finding], rule_ids: list[str],
                  as_of: datetime, keep_open: Collection[str] = ()) -> FindingsDelta:
    """New findings are opened, known open ones updated, open ones of `rule_ids` not found again resolved
    (but not those of subjects in `keep_open`); a rule outside `rule_ids` is looked up, never resolved."""
    delta = FindingsDelta()
    index = backend.index("findings")
    batch = list(findings)
    wanted = sorted(set(rule_ids) | {f.rule_id for f in batch})
    open_now = open_findings(backend, wanted) if wanted else {}
    seen: set[str] = set()
    seq = time.time_ns()
    actions: list[dict[str, Any]] = []
    for f in batch:
        known = open_now.get(f.identity)
        if known is not None:
            if known not in seen:
                delta.still_open += 1
            seen.add(known)
            actions.append({"_op_type": "update", "_index": index, "_id": known, "doc": {
                "evidence": D.evidence(f), "severity": f.severity, "kind": f.kind, "ruleset_version": f.ruleset_version}})
            continue
        seq += 1
        actions.append({"_op_type": "index", "_index": index, "_id": str(seq), **D.finding_doc(f, seq, as_of)})
        open_now[f.identity] = str(seq)
        seen.add(str(seq))
        delta.opened += 1
    resolvable, kept = set(rule_ids), set(keep_open)
    gone = [fid for (rule, _, subject), fid in open_now.items()
            if fid not in seen and rule in resolvable and subject not in kept]
    resolved = {"status": "resolved", "resolved_at": D.dt_out(as_of)}
    actions += [{"_op_type": "update", "_index": index, "_id": fid, "doc": resolved} for fid in gone]
    delta.resolved = len(gone)
    backend._write("findings", actions)
    return delta


def import_findings(backend: EsStore, findings: Iterable[Finding]) -> int:
    """Index findings as they are, in their order (seq keeps list_findings in that order)."""
    first = time.time_ns()
    actions = []
    for seq, f in enumerate(findings, start=first + 1):
        doc = D.finding_doc(f, seq, f.detected_at or datetime.now())
        doc.update(status=f.status, resolved_at=D.dt_out(f.resolved_at))
        # the identity plus detection time: copying the same store again overwrites, never duplicates
        ident = D.doc_id(*f.identity, doc["detected_at"] or "")
        actions.append({"_op_type": "index", "_index": backend.index("findings"), "_id": ident, **doc})
    backend._write("findings", actions)
    return len(actions)
