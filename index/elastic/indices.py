"""Versioned indices behind aliases: creation (safe to rerun) and migration to a new version."""

from __future__ import annotations

import logging
import time
from typing import Any

from elasticsearch import Elasticsearch, RequestError

from index.elastic import docs as D
from index.elastic.catchup import catch_up, max_seq_no
from index.elastic.mappings import INDICES, body

log = logging.getLogger(__name__)


def alias(prefix: str, name: str) -> str:
    """The name every read and write uses: `<prefix>-<name>`."""
    return f"{prefix}-{name}"


def versioned(prefix: str, name: str, version: int) -> str:
    return f"{prefix}-{name}-v{version}"


def current_index(client: Elasticsearch, prefix: str, name: str) -> str | None:
    """The concrete index the alias points to, or None when there is no alias yet."""
    found = client.indices.get_alias(name=alias(prefix, name), ignore=404)  # 404: no alias (not worth a warning)
    if not found or "status" in found:
        return None
    return sorted(found)[-1]


def _create(client: Elasticsearch, index: str, name: str) -> None:
    try:
        client.indices.create(index=index, **body(name))
    except RequestError as exc:  # another process set up the same store at the same moment
        if exc.error != "resource_already_exists_exception":
            raise


def ensure(client: Elasticsearch, prefix: str) -> None:
    """Create every index at its current version and its alias, unless the alias exists (then keep it)."""
    for name, (version, _) in INDICES.items():
        if current_index(client, prefix, name) is not None:
            continue
        index = versioned(prefix, name, version)
        _create(client, index, name)
        client.indices.update_aliases(body={"actions": [{"add": {"index": index, "alias": alias(prefix, name)}}]})


def migrate(client: Elasticsearch, prefix: str, name: str, *, force: bool = False) -> dict[str, Any]:
    """Reindex `name` into its current mapping version and switch the alias; searches go on meanwhile.

    1. create the new index; 2. reindex from the old one (the alias still points there, so reads
    and writes go on); 3. switch the alias in one atomic call, then block writes to the old index
    (which waits for those already on their way); 4. copy again what was written to the old index
    since step 2 began (catchup.py): new documents and changed ones, unless written to the new
    index since the switch (that write is newer). A document *deleted* from the old index during
    the reindex is not caught up: it stays in the new index (govwatch itself deletes no document).
    The catch-up's bounds are kept in the new index's mapping (_meta) until it is done, so a
    migration stopped after its switch finishes its catch-up when run again (with or without force).
    """
    version = INDICES[name][0]
    old = current_index(client, prefix, name)
    resumed = _finish_catch_up(client, old) if old else None
    new = versioned(prefix, name, version)
    if old == new and not force:
        if resumed is not None:
            return {"index": name, "from": resumed[0], "to": new, "copied": resumed[1], "skipped": False}
        return {"index": name, "from": old, "to": new, "copied": 0, "skipped": True}
    if old == new or (old and client.indices.exists(index=new)):
        new = f"{new}-{time.strftime('%Y%m%d%H%M%S')}"
    _create(client, new, name)
    copied = 0
    if old:
        old_from = max_seq_no(client, old)
        client.indices.refresh(index=old)  # the reindex copies what a search sees: every write up to old_from
        copied = _reindex(client, old, new, "index")
        new_from = max_seq_no(client, new)  # the copy's last write: a higher one is a write after the switch
        bounds = {"from": old, "old_from": old_from, "new_from": new_from}
        _note_catch_up(client, new, bounds)
    actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": alias(prefix, name)}}]
    if old:
        actions.insert(0, {"remove": {"index": old, "alias": alias(prefix, name)}})
    client.indices.update_aliases(body={"actions": actions})
    if old:
        copied += _catch_up(client, new, bounds)
    log.info("migrated %s: %s -> %s (%d documents)", name, old, new, copied)
    return {"index": name, "from": old, "to": new, "copied": copied, "skipped": False}


def _note_catch_up(client: Elasticsearch, index: str, bounds: dict[str, Any] | None) -> None:
    """Keep in `index`'s mapping the catch-up still to do after the switch to it (None: done)."""
    client.indices.put_mapping(index=index, body={"_meta": {"catch_up": bounds}})


def _finish_catch_up(client: Elasticsearch, index: str) -> tuple[str, int] | None:
    """Do the catch-up noted in `index`'s mapping, if one is: (the index it copies from, documents copied)."""
    bounds = client.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {}).get("catch_up")
    return (bounds["from"], _catch_up(client, index, bounds)) if bounds else None


def _catch_up(client: Elasticsearch, index: str, bounds: dict[str, Any]) -> int:
    """Block writes to the index migrated from (a write still on its way is retried: writer.py), copy what was
    written to it during the reindex (catchup.py), then note the catch-up done. When that index is gone (deleted
    by hand after a failed migrate), there is nothing to copy from: the note is cleared, else every later migrate
    of the name would fail on it."""
    if not client.indices.exists(index=bounds["from"]):
        log.warning("%s: %s, which writes made during its reindex were to be caught up from, is gone: they are not",
                    index, bounds["from"])
        _note_catch_up(client, index, None)
        return 0
    client.indices.add_block(index=bounds["from"], block="write")
    copied = catch_up(client, bounds["from"], index, bounds["old_from"], bounds["new_from"])
    _note_catch_up(client, index, None)
    return copied


# The `search` field is indexed but not kept in _source (mappings._SEARCH): a copy rebuilds it
# exactly as docs.search_text does (title three times, then the text; Painless strings have no \n).
_REBUILD_SEARCH = """
String t = ctx._source.title == null ? '' : ctx._source.title;
String x = ctx._source.text == null ? '' : ctx._source.text;
ctx._source.search = t.isEmpty() ? x : t + params.nl + t + params.nl + t + params.nl + x;
"""
# Neither is a post's `hit` doc value (mappings.HIT): a copy writes it from the _source's shown fields as
# docs.hit_value does, JSON (strings escaped as JSON requires) in base64; Painless has no JSON writer.
# A shown field is a string, number, boolean or null (docs.post_doc).
_JSON_VALUE = """
String q(def v) {
  if (v == null) { return 'null'; }
  if (v instanceof Boolean || v instanceof Number) { return v.toString(); }
  String s = v.toString();
  StringBuilder b = new StringBuilder();
  b.append('"');
  for (int i = 0; i < s.length(); ++i) {
    char c = s.charAt(i);
    if (c == (char) '"' || c == (char) '\\\\') { b.append('\\\\'); b.append(c); }
    else if (c < (char) ' ') {
      String h = Integer.toHexString((int) c);
      b.append('\\\\u'); b.append('0000'.substring(h.length())); b.append(h);
    }
    else { b.append(c); }
  }
  b.append('"');
  return b.toString();
}
"""
_REBUILD_HIT = """
StringBuilder j = new StringBuilder();
j.append('{');
for (def e : ctx._source.entrySet()) {
  if (params.not_shown.contains(e.getKey())) { continue; }
  if (j.length() > 1) { j.append(','); }
  j.append(q(e.getKey())); j.append(':'); j.append(q(e.getValue()));
}
j.append('}');
ctx._source.hit = j.toString().encodeBase64();
"""


def _reindex(client: Elasticsearch, source: str, dest: str, op_type: str) -> int:
    body: dict[str, Any] = {"source": {"index": source}, "dest": {"index": dest, "op_type": op_type},
                            "conflicts": "proceed"}
    properties = client.indices.get_mapping(index=dest)[dest]["mappings"].get("properties", {})
    rebuilt = (_REBUILD_SEARCH if "search" in properties else "") + (_REBUILD_HIT if "hit" in properties else "")
    if rebuilt:
        functions = _JSON_VALUE if "hit" in properties else ""  # Painless: functions come first
        body["script"] = {"lang": "painless", "source": functions + rebuilt,
                          "params": {"nl": "\n", "not_shown": list(D.NOT_SHOWN)}}
    # elasticsearch-py 7.17 takes the request body of reindex, mget and update_aliases as `body`
    answer = client.reindex(body=body, refresh=True, wait_for_completion=True, request_timeout=3600)
    return int(answer.get("created", 0)) + int(answer.get("updated", 0))


def drop_all(client: Elasticsearch, prefix: str) -> None:
    """Delete every index of the store `prefix` (tests and `index copy --replace`)."""
    for name in INDICES:
        found = client.indices.get_alias(name=alias(prefix, name), ignore=404)
        for index in found if "status" not in found else ():
            client.indices.delete(index=index)
