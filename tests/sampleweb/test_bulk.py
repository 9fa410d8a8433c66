"""Benchmark-scale generator: deterministic, exact totals, the same label-driving schedules."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from itertools import islice

from index.sqlite import SqliteBackend
from sampleweb.bulk import ROLES, BulkWorld, fill_store
from sampleweb.truth import activity_labels

NOW = datetime(2026, 11, 23, 10, 0)


def test_same_seed_same_stream_other_seed_other_roles():
    a, b, c = BulkWorld(7, 500, 20_000, NOW), BulkWorld(7, 500, 20_000, NOW), BulkWorld(8, 500, 20_000, NOW)
    first = [(p.post_id, p.published_at, p.is_original) for p in islice(a.posts(), 2000)]
    assert first == [(p.post_id, p.published_at, p.is_original) for p in islice(b.posts(), 2000)]
    assert [x.role for x in a.bulk_accounts()] != [x.role for x in c.bulk_accounts()]


def test_post_total_is_exact_apart_from_pinned_posts_and_ids_are_unique():
    world = BulkWorld(3, 1000, 37_001, NOW)
    posts = list(world.posts())
    assert sum(not p.is_pinned for p in posts) == 37_001
    assert len({p.post_id for p in posts}) == len(posts)
    assert all(p.published_at is not None and p.published_at <= NOW for p in posts)
    assert len({a.name for a in world.accounts()}) == 1000


def test_every_role_occurs_and_activity_labels_follow_from_the_schedules():
    world = BulkWorld(7, 3000, 150_000, NOW)
    roles = {b.account.account_id: b.role for b in world.bulk_accounts()}
    assert set(roles.values()) == {role for _, role in ROLES}
    by_account = defaultdict(list)
    for post in world.posts():
        by_account[post.account_id].append(post)
    labels: Counter[str] = Counter()
    for account_id, role in roles.items():
        primary = role in ("daily", "cadence_gap")
        found = activity_labels(by_account[account_id], NOW, primary)  # type: ignore[arg-type]
        labels.update(found)
        if role == "dormant":
            assert found == ["dormant"], account_id
        if role == "cadence_gap":
            assert "cadence_primary" in found, account_id
        if role in ("daily", "healthy"):
            assert found == [], (account_id, role)
    for label in ("dormant", "zombie", "zombie_severe", "empty_shell", "cadence_primary", "cadence_weekly",
                  "no_original"):
        assert labels[label] > 0, label


def test_registry_and_fill_store_write_a_usable_sqlite_store(tmp_path):
    world = BulkWorld(7, 400, 8_000, NOW)
    entries = list(world.registry())
    assert any(not e.account_id for e in entries) and any(e.status == "closed" for e in entries)
    assert Counter((e.platform, e.owner) for e in entries if e.status == "active").most_common(1)[0][1] == 2
    store = SqliteBackend(tmp_path / "bulk.db")
    store.setup()
    fill_store(store, accounts=400, posts=8_000, seed=7, now=NOW)
    counts = store.counts()
    store.close()
    assert counts["accounts"] == 400 and counts["posts"] == sum(1 for _ in world.posts())
    assert counts["registry"] == len(entries)


def test_post_text_has_real_words_with_zipf_frequencies_and_no_placeholders():
    from sampleweb import vocab

    posts = list(islice(BulkWorld(7, 400, 40_000, NOW).posts(), 20_000))
    assert not any("{" in p.title + p.text or "}" in p.title + p.text for p in posts)
    assert len({p.text for p in posts}) > 19_000  # not a handful of fixed bodies
    chars = set("".join(p.text for p in posts))
    assert len(chars) > 2500
    words = vocab.words()
    text = "\n".join(p.text for p in posts[:5000])
    df = {w: text.count(w) for w in (words[0], words[10], words[1000], words[20_000])}
    assert df[words[0]] > df[words[10]] > df[words[1000]] > df[words[20_000]]  # frequency falls with rank
    in_posts = Counter(w for p in posts[:5000] for w in words[5000:5200] if w in p.text)
    assert any(0 < n <= 5 for n in in_posts.values())  # rare words exist


def test_parallel_loaders_parts_together_write_every_post_once():
    world = BulkWorld(5, 300, 9_000, NOW)
    whole = [(p.platform, p.post_id, p.published_at, p.text) for p in world.posts()]
    parts = [[(p.platform, p.post_id, p.published_at, p.text) for p in world.posts(part, 3)] for part in range(3)]
    assert all(parts)
    assert sorted(x for part in parts for x in part) == sorted(whole)
    assert len({x[1] for part in parts for x in part}) == len(whole)


def test_fill_store_without_posts_leaves_them_to_the_loaders(tmp_path):
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()
    try:
        fill_store(store, accounts=200, posts=4_000, seed=5, now=NOW, with_posts=False)
        counts = store.counts()
        assert counts["accounts"] == 200 and counts["registry"] > 0 and counts["posts"] == 0
    finally:
        store.close()
