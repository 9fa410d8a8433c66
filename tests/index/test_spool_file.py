"""The Elasticsearch spool's file (index/elastic/spool.py), without a cluster: what it stores and reads back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from index.elastic.spool import Spool

TEXT = "永州市医疗保障局发布关于城乡居民医保缴费的通知" * 20


def action(pid: str, text: str = TEXT, index: str = "t-posts") -> dict[str, Any]:
    return {"_op_type": "index", "_index": index, "_id": f"weibo:{pid}", "post_id": pid, "text": text}


def stored_bytes(path: Path) -> list[bytes]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT CAST(action AS BLOB) FROM spool ORDER BY seq")]


def test_chinese_text_is_stored_as_utf8_not_as_escapes(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.db")
    spool.push([action("1")])
    spool.close()
    [raw] = stored_bytes(tmp_path / "spool.db")
    assert TEXT.encode("utf-8") in raw and b"\\u" not in raw
    assert len(raw) < len(json.dumps(action("1")).encode("ascii")) / 1.8  # 3 bytes a character, not 6


def test_an_action_with_a_lone_surrogate_is_kept_and_read_back_as_it_was(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.db")
    spool.push([action("1", "半个字 \ud800"), action("2")])
    assert [a for _, a in spool.peek()] == [action("1", "半个字 \ud800"), action("2")]
    spool.drop_through(spool.peek()[-1][0], [(action("1", "半个字 \ud800"), {"reason": "坏 \udc00"})])
    assert spool.rejected() == [(action("1", "半个字 \ud800"), {"reason": "坏 \udc00"})]


def test_a_spool_written_escaped_by_earlier_code_is_read_back_whole(tmp_path: Path) -> None:
    """Rows an earlier govwatch queued (JSON with ensure_ascii, no other column) replay as they were."""
    path = tmp_path / "spool.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL)")
        db.executemany("INSERT INTO spool (action) VALUES (?)", [(json.dumps(action(str(i))),) for i in range(3)])
    spool = Spool(path)
    spool.push([action("new"), action("a", index="t-links")])
    assert [a for _, a in spool.peek()] == [action("0"), action("1"), action("2"), action("new"),
                                            action("a", index="t-links")]
    assert spool.targets() == ["t-posts", "t-links"]  # the old rows' index read from their action
    assert [a for _, a in spool.peek(target="t-posts")] == [action("0"), action("1"), action("2"), action("new")]


def test_the_actions_of_one_index_are_read_and_forgotten_without_touching_another_s(tmp_path: Path) -> None:
    """An index whose shard is unavailable keeps its actions queued while another index's are replayed."""
    spool = Spool(tmp_path / "spool.db")
    spool.push([action("1"), action("a", index="t-links"), action("2"), action("b", index="t-links")])
    links = spool.peek(target="t-links")
    assert [a["_id"] for _, a in links] == ["weibo:a", "weibo:b"]
    spool.drop_through(links[-1][0], target="t-links")
    assert [a["_id"] for _, a in spool.peek()] == ["weibo:1", "weibo:2"] and spool.targets() == ["t-posts"]
