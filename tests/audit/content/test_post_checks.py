"""Posts are typo-checked too: a wrong character in a recent post is a finding on the posting account."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from audit.content.posts import POST_TYPO_RULE
from audit.content.runner import run_content_audit
from core.config import Limits, Settings, StoreSettings
from core.models import Post, account_key
from govwatch.cli import main
from index.sqlite import SqliteBackend
from sampleweb.world import World, generate
from tests.audit.world_store import load_world

SLIP = "各单位要再接再励，确保各项措施落地见效。"


def world_with_slip(path: Path) -> tuple[World, Post]:
    """The sample world stored, one of its recent posts rewritten to hold 再接再励."""
    world = generate(seed=7, accounts=40, posts=30)
    store = SqliteBackend(path)
    store.setup()
    load_world(store, world)
    recent = [p for p in store.iter_posts(world.now - timedelta(days=3), world.now) if p.text]
    assert recent, "the sample world has posts in the last three days"
    post = replace(recent[0], text=recent[0].text + SLIP, content_hash="")  # a recrawl hashes the new text
    store.upsert_posts([post])
    store.close()
    return world, post


def test_a_post_with_a_slip_is_a_finding_on_its_account(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world, post = world_with_slip(tmp_path / "govwatch.db")
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "govwatch.db"}"\n')
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), "audit", "--as-of", world.now.isoformat(sep=" ")])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "recent posts checked" in out and "0 recent posts checked" not in out
    store = SqliteBackend(tmp_path / "govwatch.db")
    found = [f for f in store.list_findings(kind="typo") if f.rule_id == POST_TYPO_RULE]
    store.close()
    assert [f.subject_key for f in found] == [account_key(post.platform, post.account_id)]
    assert found[0].subject_type == "account"
    quoted = found[0].evidence["posts"][0]
    assert quoted["post_id"] == post.post_id
    assert [(t["text"], t["suggestion"]) for t in quoted["typos"]] == [("再接再励", "再接再厉")]


def test_posts_outside_the_window_or_past_the_cap_are_not_read(tmp_path: Path) -> None:
    world, post = world_with_slip(tmp_path / "govwatch.db")
    store = SqliteBackend(tmp_path / "govwatch.db")
    base = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")))
    try:
        later = world.now + timedelta(days=base.limits.post_check_days + 5)  # the slip has left the window
        summary = run_content_audit(store, base, later)
        assert summary.by_kind["typo"] == 0
        in_window = sum(1 for _ in store.iter_posts(world.now - timedelta(days=14), world.now))
        capped = replace(base, limits=Limits(post_checks=3))
        summary = run_content_audit(store, capped, world.now)
        assert (summary.posts, summary.posts_capped) == (3, in_window > 3)
        whole = run_content_audit(store, base, world.now)
        assert whole.posts == in_window and not whole.posts_capped
        assert any(f.subject_key == account_key(post.platform, post.account_id)
                   for f in store.list_findings(kind="typo"))
    finally:
        store.close()


def test_a_fixed_post_resolves_the_finding(tmp_path: Path) -> None:
    world, post = world_with_slip(tmp_path / "govwatch.db")
    store = SqliteBackend(tmp_path / "govwatch.db")
    settings = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")))
    try:
        assert run_content_audit(store, settings, world.now).delta.opened >= 1
        store.upsert_posts([replace(post, text=post.text.replace("再接再励", "再接再厉"), content_hash="")])
        again = run_content_audit(store, settings, world.now)
        assert again.delta.resolved >= 1
        assert not [f for f in store.list_findings(kind="typo") if f.rule_id == POST_TYPO_RULE]
    finally:
        store.close()


def _rewrite(store: SqliteBackend, post: Post) -> Post:
    """`post` stored again with the slip in its text (a recrawl hashes the new text)."""
    slipped = replace(post, text=(post.text or "") + SLIP, content_hash="")
    store.upsert_posts([slipped])
    return slipped


def _in_window(store: SqliteBackend, world: World) -> list[Post]:
    return [p for p in store.iter_posts(world.now - timedelta(days=14), world.now) if p.text]


def _stored_world(tmp_path: Path) -> tuple[World, SqliteBackend, list[Post]]:
    """A sample world in a file store, and its posts of the 14-day window that have text."""
    world = generate(seed=7, accounts=40, posts=30)
    store = SqliteBackend(tmp_path / "govwatch.db")
    store.setup()
    load_world(store, world)
    return world, store, _in_window(store, world)


def test_a_capped_run_reads_the_newest_posts_first(tmp_path: Path) -> None:
    world, store, posts = _stored_world(tmp_path)
    newest = max(posts, key=lambda p: (p.published_at, [-ord(c) for c in p.platform + p.post_id]))
    assert newest.post_id != posts[0].post_id, "the newest post is not also the first by key"
    _rewrite(store, newest)
    capped = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")), limits=Limits(post_checks=1))
    try:
        summary = run_content_audit(store, capped, world.now)
        assert (summary.posts, summary.posts_capped) == (1, True)
        found = [f.subject_key for f in store.list_findings(kind="typo") if f.rule_id == POST_TYPO_RULE]
        assert found == [account_key(newest.platform, newest.account_id)]
    finally:
        store.close()


def test_a_capped_run_leaves_the_findings_of_accounts_it_did_not_reach_open(tmp_path: Path) -> None:
    world, store, posts = _stored_world(tmp_path)
    newest = max(posts, key=lambda p: p.published_at or world.now)
    oldest = min((p for p in posts if p.account_id != newest.account_id), key=lambda p: p.published_at or world.now)
    _rewrite(store, oldest)
    base = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")))
    subject = account_key(oldest.platform, oldest.account_id)
    try:
        assert run_content_audit(store, base, world.now).delta.opened >= 1
        capped = run_content_audit(store, replace(base, limits=Limits(post_checks=1)), world.now)
        assert capped.posts_capped and capped.delta.resolved == 0
        assert subject in {f.subject_key for f in store.list_findings(kind="typo") if f.rule_id == POST_TYPO_RULE}
        # once the post is fixed, a full run judges the account again and resolves its finding
        store.upsert_posts([replace(oldest, content_hash="")])
        assert run_content_audit(store, base, world.now).delta.resolved >= 1
        assert subject not in {f.subject_key for f in store.list_findings(kind="typo")}
    finally:
        store.close()
