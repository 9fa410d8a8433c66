"""bench/search_fresh.py: every path it hands out is new, of its shape, and a query the language accepts."""

from __future__ import annotations

from urllib.parse import parse_qsl

from bench.search_fresh import SHAPES, Fresh
from index.query import parse


def test_fresh_paths_are_never_repeated_nor_already_asked() -> None:
    fresh = Fresh(seed=3, asked={"/posts?q=工作"})
    makers = fresh.classes()
    assert sorted(makers) == sorted(f"new-{s}" for s in SHAPES)
    seen = [maker() for _ in range(300) for (maker,) in makers.values()]
    assert len(set(seen)) == len(seen)
    assert "/posts?q=工作" not in seen


def test_fresh_shapes_parse_as_their_class_says() -> None:
    fresh = Fresh(seed=5)
    for _ in range(50):
        params = dict(parse_qsl(fresh.path("or").split("?", 1)[1]))
        assert " OR " in params["q"] and len(parse(params["q"]).must) == 1  # one OR group
        params = dict(parse_qsl(fresh.path("platform").split("?", 1)[1]))
        assert params["platform"] and parse(params["q"])
        params = dict(parse_qsl(fresh.path("newest").split("?", 1)[1]))
        assert params["sort"] == "newest"
        long = parse(dict(parse_qsl(fresh.path("long").split("?", 1)[1]))["q"])
        assert long.minimum_should_match < len(long.should)  # a natural query: some words optional
