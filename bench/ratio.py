"""The figure bench/index.py prints for every backend: the raw path and the backend, posts/s and ratio."""

from __future__ import annotations


def print_ratio(backend: str, posts: int, repeat: int, raw: tuple[str, float], ours: tuple[str, float],
                target: float) -> None:
    """`raw` and `ours`: (label, best seconds). The ratio is raw time / our time (1.0 = as fast as raw)."""
    (raw_label, raw_s), (our_label, our_s) = raw, ours
    width = max(len(raw_label), len(our_label)) + 2
    print(f"{backend}: {posts:,} posts (best of {repeat})")
    print(f"  {raw_label:<{width}}{posts / raw_s:10,.0f} posts/s  ({raw_s:.2f} s)")
    print(f"  {our_label:<{width}}{posts / our_s:10,.0f} posts/s  ({our_s:.2f} s)")
    print(f"  {'ratio':<{width}}{raw_s / our_s:10.2f}  (target >= {target})")
