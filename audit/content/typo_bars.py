"""Every threshold of the typo detector (audit.content.typos), each with why it is where it is.

Kept apart so the detector reads as logic; tests and benches patch them on audit.content.typos,
which imports each name.
"""

# Precision first: an inspector stops reading a tool that cries wolf (tuned on a held-out split).
DEFAULT_MIN_GAIN = 9.0
# Evidence = gain + fluency bonus + context bonus; a finding needs min_gain + EXTRA[size of the fix].
# Two-character fixes are where names, brands and rare words of real pages land (张明超 → 明朝,
# 江铃 → 江陵): they need the most (chosen on the tune parts of bench/realpages.py and bench/typos.py).
EXTRA = {2: 4.5, 3: 4.0, 4: 4.0}
# The fluency bonus: + (log p per character of the fixed context + 5.5) - 12 × (share of
# single-character words - 0.3), at most FLUENCY_CAP. Fluent prose around a fix is a slip in
# official writing; a run of single characters is a name, a foreign word or classical text.
FLUENCY_CAP = 3.0
# The context bonus: LM_WEIGHT × how much more likely the characters read once fixed under a
# character trigram model of the state press (audit.content.charlm), at most LM_CAP. The word
# model sees words; this one sees that 部际联席会议 is how the sentence goes on.
# A character the corpus has seen fewer than LM_MIN_SEEN times (潞) gets no bonus: the model knows
# only that it is rare, which is what a name is too.
LM_WEIGHT, LM_CAP, LM_MIN_SEEN = 0.2, 3.0, 5
# The two bonuses are trusted for at most BONUS_ROOM together: no fix gaining less than
# bar + EXTRA - BONUS_ROOM (nor SCAN_FLOOR) is looked for, which keeps the scan fast (bounds.py).
BONUS_ROOM, SCAN_FLOOR = 4.5, 4.0
# Official prose (audit.content.register) lowers the bar by up to REGISTER_SHIFT: from no shift at
# a share of REGISTER_FROM administrative words to all of it REGISTER_SPAN later. Chosen on the tune
# parts of bench/typos.py and bench/realpages.py: news, essays and novels stay below the share,
# the slips of official documents are where the context model earns its keep. 3 until session 15; 4 since
# the word model's veto (WORDS_VETO below): ECSpell tune-a 0.514 → 0.530, tune-b 0.560 → 0.567, no more
# alarms on the tune pages, the gne look half or the People's Daily folds (5: 0.540 / 0.576 but 123).
REGISTER_SHIFT, REGISTER_FROM, REGISTER_SPAN = 4.0, 0.12, 0.1
# A written form that is itself a common word (seen COMMON_WORD times) is a word, not a slip:
# 便民 is not 人民 misspelt, however much likelier 人民 is. It needs WORD_EXTRA more evidence.
COMMON_WORD, WORD_EXTRA = 50, 3.0
MISSING_EXTRA = 1.0  # a missing character: min_gain + 1 of evidence (出土物 is a word, not 出土文物)
# Outside official prose only the government's set phrases (高度重视) count as missing a character: news and
# essays shorten idioms on purpose (恍然悟到, headlines' 多姿彩, 险象生: bench/typos_pd98.py; no ECSpell tune hit).
# Outside official prose a fix whose characters are linked only by a radical or a stroke
# (audit.content.similar: 抽身而出 → 挺身而出, 七山一水 → 一山一水) needs WEAK_EXTRA more: on real pages
# and in the People's Daily such pairs are idiom variants, names and rare words far more often than slips
# (bench/typos_pd98.py).
WEAK_EXTRA = 2.0
# The second witness (audit.content.modern, the modern word lists): a fix the evidence above
# rejects is still reported when the modern words gain MODERN_GAIN from it too (two word lists, of
# two eras, agree the text reads as much likelier words); one it accepts is dropped when they gain
# less than MODERN_VETO (研判), PLAIN_VETO outside official prose, where the rescue never runs (南昆险,
# 岂不快哉: bench/typos_pd98.py; no ECSpell tune slip there gains under 5.8). Rescue only in official prose
# (MODERN_FROM): elsewhere both lists take style, names and dialect for slips (神么, 瓮里 on the tune pages).
# Since the modern witness became the lesser gain of two modern lists (wordfreq's and JioNLP's), its rescue
# needs 7 rather than 8: ECSpell tune-a/b recall 0.549/0.581 -> 0.554/0.593 at equal precision, the People's
# Daily folds back at session 17's 138 alarms (122 at 8), the tune pages and the gne look half unchanged.
MODERN_GAIN, MODERN_VETO, PLAIN_VETO = 7.0, 2.0, 5.0
# A slip leaving a real word (audit.content.context) needs bar + CONTEXT_EXTRA, and is looked for in
# official prose only (register above REGISTER_FROM): in blogs, fiction and old essays the model of
# the state press takes style for slips (甚么, 恩慈). Chosen on the tune parts of both benches.
CONTEXT_EXTRA, CONTEXT_FROM = 6.0, REGISTER_FROM
MODERN_FROM = REGISTER_FROM
# In official prose the scan floor is at most OFFICIAL_FLOOR, so the modern words see weaker slips where the
# register is just official (制修顶 → 修订); chosen on ECSpell tune (5.5 gave a false line, 6 none).
OFFICIAL_FLOOR = 6.0
# The input method's wrong word of the same pinyin (audit.content.homophones; 平谷 for 评估), in official prose.
HOMOPHONE_FROM = REGISTER_FROM
# The third witness (audit.content.wordlm, the input method's word trigram model of modern text): a fix
# that makes the words around it less than WORDS_VETO (log10) likelier is dropped however the word lists
# judge it (names and terms of real pages: 张明超 → 明朝 gains 1.2); one the evidence rejects is still
# reported in official prose when they gain at least WORDS_GAIN. Chosen on the tune parts of bench/typos.py
# and bench/realpages.py, the gne look half and bench/typos_pd98.py.
WORDS_VETO, WORDS_GAIN = 2.0, 5.5
# Outside official prose, a fix the bar refuses is still reported when all three witnesses back it: the
# word lists' gain at least PLAIN_FLOOR (the scan's floor there too), the modern words' PLAIN_MODERN and
# the words in context PLAIN_WORDS, unless the form reaches into a protected name (佛罗依德). Tune-a
# 0.530 → 0.549, tune-b 0.567 → 0.581; tune pages unchanged once three clear slips it found there were
# labelled (苦笑不得, 各仲, 畅开); People's Daily 121 → 138. Most of ECSpell's missed slips sit in lines
# the register does not call official, where only this can reach them.
PLAIN_FLOOR, PLAIN_MODERN, PLAIN_WORDS = 6.0, 8.0, 7.0
