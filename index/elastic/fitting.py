"""Fields a newer mapping has that the index behind an alias may still lack: a post's `hit` on posts v3.

Every write, live or replayed from the spool, is fitted here to the index its alias points to: a
field that index's strict mapping lacks is left out (it would refuse the whole document). Live
writes and the spool thus follow one rule, and the spool keeps each action whole, so a replay
after `index migrate posts` writes `hit` to the new index.

What each alias's index lacks is read once (get_mapping) and kept: every bulk answer names the
concrete index each item went to, which is how a switch of the alias is seen, in the very answer
of the first write after it:
- an item that went to another index than the one known drops what is kept (read again at the next
  write); if fields were left out for the old index, the item is written again, whole, to the index it
  went to, on condition that nobody wrote the document since (if_seq_no: a later write wins);
- an item refused because its index lacks a field that was sent (a kept answer gone stale the other
  way) drops what is kept too, and is sent again, fitted anew.
"""

from __future__ import annotations

import re
from typing import Any

from elasticsearch import Elasticsearch, TransportError

OPTIONAL = frozenset({"hit"})  # fields newer mapping versions have (posts v4: mappings.HIT)
_REFUSED = re.compile(r"dynamic introduction of \[([^\]]+)\]")


class Fitting:
    """What the index behind each alias lacks of OPTIONAL, read once and checked by every bulk answer."""

    def __init__(self, client: Elasticsearch):
        self.client = client
        self.known: dict[str, tuple[str | None, frozenset[str]]] = {}  # alias → (its index, fields it lacks)

    def lacks(self, alias: str) -> tuple[str | None, frozenset[str]]:
        """(the concrete index behind `alias`, the OPTIONAL fields its mapping lacks)."""
        if alias not in self.known:
            try:
                found = self.client.indices.get_mapping(index=alias)
            except TransportError:  # unreachable or not allowed: send every field (a refusal is handled)
                return None, frozenset()
            mapped = [set(m["mappings"].get("properties", {})) for m in found.values()]
            concrete = next(iter(found)) if len(found) == 1 else None
            self.known[alias] = (concrete, OPTIONAL - set.intersection(*mapped) if mapped else frozenset())
        return self.known[alias]

    def fit(self, action: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """(`action` as it is to be sent, the index it was fitted to when fields were left out, else None)."""
        update = action.get("_op_type") == "update"
        body = action.get("doc") if update else action
        if not isinstance(body, dict) or OPTIONAL.isdisjoint(body):
            return action, None
        concrete, lacking = self.lacks(str(action["_index"]))
        left_out = lacking.intersection(body)
        if not left_out:
            return action, None
        kept = {k: v for k, v in body.items() if k not in left_out}
        return ({**action, "doc": kept} if update else kept), concrete or ""

    def landed(self, action: dict[str, Any], fitted_to: str | None, info: dict[str, Any]) -> dict[str, Any] | None:
        """After an item was written: the whole action again for the index it went to, when fields were left
        out for another one (the alias moved), conditional on the document being as this write left it."""
        alias, went_to = str(action["_index"]), info.get("_index")
        if went_to and self.known.get(alias, (went_to,))[0] != went_to:
            self.known.pop(alias, None)
        if fitted_to is None or not went_to or went_to == fitted_to or "_seq_no" not in info:
            return None
        concrete, lacking = self.lacks(alias)  # read again: what the index it went to lacks
        if concrete != went_to or lacking:
            return None
        op = "index" if action.get("_op_type") == "create" else action.get("_op_type", "index")
        return {**action, "_op_type": op, "_index": went_to, "if_seq_no": info["_seq_no"],
                "if_primary_term": info["_primary_term"]}

    def refused(self, action: dict[str, Any], sent: dict[str, Any], error: Any) -> bool:
        """True when the item was refused for a field this module could have left out (what is kept is
        dropped: the action is to be sent again, fitted anew)."""
        field = _REFUSED.search(str(error.get("reason", "")) if isinstance(error, dict) else "")
        body = sent.get("doc") if sent.get("_op_type") == "update" else sent
        if not field or field.group(1) not in OPTIONAL or not isinstance(body, dict) or field.group(1) not in body:
            return False
        self.known.pop(str(action["_index"]), None)
        return True
