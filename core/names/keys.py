"""Index keys of a name: exact keys (core, pinyin, shape, abbreviated forms) and n-gram keys.

Both the registry side and the query side go through `name_keys`, so a key
matches exactly when the two names agree under that folding. Keys carry a
short prefix saying which folding produced them; the Elasticsearch registry index
holds the same keys as keyword fields (index/elastic/registry.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from core.names import normalise_name, pinyin_key, pinyin_syllables, strip_decorations
from core.names.confusables import shape_key
from core.names.forms import NameForms, name_forms

MIN_FUZZY_LEN = 3  # shorter names collide by accident; only exact/decorated matches count for them


class NameKeys(NamedTuple):  # a tuple: cheap to pickle in the per-registry-version key cache
    """Every folding of one name the matcher compares."""

    raw: str
    norm: str  # normalise_name: the identity form
    core: str  # norm without decorations (官微, 2024 …)
    pinyin: str  # toneless pinyin of core
    syllables: tuple[str, ...]  # per-character pinyin of core
    shape: str  # core with look-alike characters folded
    forms: NameForms  # abbreviated forms of core (owner-name matching)

    @property
    def form_pinyins(self) -> frozenset[str]:
        return form_sets(self.forms.forms)[0]

    @property
    def form_shapes(self) -> frozenset[str]:
        return form_sets(self.forms.forms)[1]


# Every comparison with a candidate asks for these: computed once per distinct forms, not per comparison,
# or read from the registry's saved key index (remember_form_sets), which computed them when it was built.
FORM_SETS_KEPT = 400_000
_FORM_SETS: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}


def form_sets(forms: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(pinyin keys, shape keys) of abbreviated forms: pypinyin is the costly part of a comparison."""
    found = _FORM_SETS.get(forms)
    if found is None:
        found = (frozenset(pinyin_key(f) for f in forms), frozenset(shape_key(f) for f in forms))
        remember_form_sets(forms, *found)
    return found


def remember_form_sets(forms: tuple[str, ...], pinyins: frozenset[str], shapes: frozenset[str]) -> None:
    """Keep the sets of `forms` (computed earlier, e.g. saved in a key index); bounded memory."""
    if len(_FORM_SETS) >= FORM_SETS_KEPT:
        _FORM_SETS.clear()
    _FORM_SETS[forms] = (pinyins, shapes)


@lru_cache(maxsize=8192)
def name_keys(raw: str) -> NameKeys:
    """All foldings of `raw` (cached: registry entries repeat names across platforms)."""
    norm = normalise_name(raw)
    core = strip_decorations(norm)
    syllables = tuple(pinyin_syllables(core))
    return NameKeys(
        raw=raw, norm=norm, core=core, pinyin="".join(syllables), syllables=syllables,
        shape=shape_key(core), forms=name_forms(core),
    )


def exact_keys(keys: NameKeys, *, owner: bool = False) -> set[str]:
    """Keys looked up by equality. An owner name contributes only its abbreviated forms."""
    out: set[str] = set()
    if not owner:
        out.add("c:" + keys.core)
        if len(keys.core) >= MIN_FUZZY_LEN:
            out.update(("p:" + keys.pinyin, "s:" + keys.shape))
    for form in keys.forms.forms:
        out.add("f:" + form)
        if len(form) >= MIN_FUZZY_LEN:
            out.update(("fp:" + pinyin_key(form), "fs:" + shape_key(form)))
    return out


def gram_keys(keys: NameKeys) -> set[str]:
    """Fuzzy keys: bigrams of the shape-folded core and bigrams of its pinyin syllables."""
    shape, syl = keys.shape, keys.syllables
    grams = {"g:" + shape[i : i + 2] for i in range(len(shape) - 1)}
    grams.update("y:" + syl[i] + " " + syl[i + 1] for i in range(len(syl) - 1))
    if len(shape) == 1:
        grams.add("g:" + shape)
    return grams
