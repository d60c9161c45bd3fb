"""Which language a text is in: "en", "ru", "uk" or "other".

Script first (Latin or Cyrillic letters), then, inside Cyrillic, the letters each orthography
has and the other lacks: Ukrainian writes і, ї, є and ґ, Russian ы, э, ъ and ё. Most Russian or
Ukrainian sentences hold at least one of them; for the rest, the commonest function words of
each language decide (Ukrainian "що", "та", "від", "який"; Russian "что", "это", "от",
"который"). Latin text is English when English function words are a fair share of its words:
verify reads news and posts, where they always are.
"""

from __future__ import annotations

import re
from collections import Counter

LANGUAGES = ("en", "ru", "uk", "other")

_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")
# The commonest words of each language that the other spells differently (from frequency
# lists of each language's news: conjunctions, prepositions, pronouns, auxiliaries).
_UK_WORDS = frozenset(
    """що та як це від він вона вони який яка які якого його її їх був була було були також
    але вже ще щоб коли тому після через для між під над про навіть лише тільки може можуть
    мають має буде будуть ми ви нас вас нам їм цього цієї цих того тих цей ця ці той та""".split()
)
_RU_WORDS = frozenset(
    """что как это от он она они который которая которые которого его её их был была было
    были также но уже ещё чтобы когда поэтому после через для между под над про даже лишь
    только может могут имеют имеет будет будут мы вы нас вас нам им этого этой этих того тех этот
    эта эти тот та""".split()
)
_EN_WORDS = frozenset(
    """the of and to in a is that for it on was with as by he be at from his are have has
    this not but an they were had which been their said will would who its or we there
    more about after than also over new into her she says one two""".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def language(text: str) -> str:
    """The language of `text` (a sentence, a post or a whole document)."""
    latin = cyrillic = 0
    for ch in text:
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            latin += 1
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
    if not latin and not cyrillic:
        return "other"
    words = [w.lower() for w in _WORD.findall(text)]
    if cyrillic > latin:
        return _cyrillic(text.lower(), words)
    if not words:
        return "other"
    english = sum(w in _EN_WORDS for w in words)
    # Headlines and short posts often carry no function word: only a longer Latin text
    # without English function words is taken for another language.
    return "en" if len(words) < 10 or english / len(words) >= 0.05 else "other"


def _cyrillic(low: str, words: list[str]) -> str:
    letters = Counter(ch for ch in low if ch in _UK_LETTERS or ch in _RU_LETTERS)
    uk = sum(n for ch, n in letters.items() if ch in _UK_LETTERS)
    ru = sum(n for ch, n in letters.items() if ch in _RU_LETTERS)
    # Ukrainian "и" is common; Russian "и" is too, so it decides nothing; a lone "і" or "ы"
    # can be a quoted name, so function words count as much as letters.
    uk += 2 * sum(w in _UK_WORDS and w not in _RU_WORDS for w in words)
    ru += 2 * sum(w in _RU_WORDS and w not in _UK_WORDS for w in words)
    if uk == ru:
        return "ru" if not uk else ("uk" if any(c in _UK_LETTERS for c in low) else "ru")
    return "uk" if uk > ru else "ru"
