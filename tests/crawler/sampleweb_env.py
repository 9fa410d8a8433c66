"""A sample web served in the test process plus a govwatch config and store pointing at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from index.sqlite import SqliteBackend
from sampleweb.server import SampleWeb
from sampleweb.world import World
from tests.paths import ROOT

NOW = datetime(2026, 11, 23, 10, 0)


@dataclass
class CrawlEnv:
    web: SampleWeb
    workdir: Path

    @property
    def world(self) -> World:
        return self.web.world

    @property
    def config(self) -> Path:
        return self.workdir / "govwatch.toml"

    @property
    def db(self) -> Path:
        return self.workdir / "store.db"

    def write_config(self) -> None:
        sources = json.load(urllib.request.urlopen(f"{self.web.base_url}/sources.json", timeout=10))
        lines = ["[store]", f"sqlite_path = {json.dumps(str(self.db))}", "[sources]"]
        lines += [
            f"{k} = {json.dumps(v, ensure_ascii=False)}"
            for k, v in sources.items()
            if v not in (None, "", [])
        ]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def command(
        self, spiders: list[str], settings: dict[str, Any] | None = None, args: dict[str, str] | None = None
    ) -> list[str]:
        merged = {"GOVWATCH_REFERENCE_TIME": NOW.isoformat(), "ROBOTSTXT_OBEY": "False", **(settings or {})}
        flags = [arg for key, value in merged.items() for arg in ("-s", f"{key}={value}")]
        flags += [arg for key, value in (args or {}).items() for arg in ("-a", f"{key}={value}")]
        return [sys.executable, "-m", "tests.crawler.run_crawl", str(self.config), *spiders, *flags]

    def crawl(self, spiders: list[str], settings: dict[str, Any] | None = None, env: dict[str, str] | None = None,
              timeout: float = 120, args: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
        """Run spiders in a subprocess; {spider: {"problems", "stats"}}."""
        run = subprocess.run(
            self.command(spiders, settings, args), cwd=ROOT, capture_output=True, text=True, timeout=timeout,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-3000:]
        return {o["name"]: o for o in json.loads(run.stdout.strip().splitlines()[-1])}

    def store(self) -> SqliteBackend:
        return SqliteBackend(self.db)


def expected_posts(world: World, platforms: tuple[str, ...]) -> set[tuple[str, str]]:
    """(platform, post_id) of every post the crawl can see: published by `now`, on reachable accounts."""
    return {
        (a.platform, p.post_id)
        for a in world.accounts
        if a.platform in platforms and a.state == "ok"
        for p in a.posts
        if p.published_at <= world.now
    }


def stored_posts(db: Path) -> list[tuple[str, str]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return [(r[0], r[1]) for r in conn.execute("SELECT platform, post_id FROM posts")]
