"""Account-name normalisation now lives in core.names (index/ needs it for the Elasticsearch keys).

Kept so that `from audit.names import normalise_name` goes on working; new code imports core.names.
"""

from core.names import (
    DECORATIONS,
    VARIANTS,
    decorations_of,
    digits_free,
    has_latin,
    normalise_name,
    pinyin_key,
    pinyin_syllables,
    strip_decorations,
)

__all__ = ["DECORATIONS", "VARIANTS", "decorations_of", "digits_free", "has_latin", "normalise_name",
           "pinyin_key", "pinyin_syllables", "strip_decorations"]
