"""How Russian and Ukrainian reporting marks a second version of events.

The counterparts of the English marks in verify.ingest.grouping: verbs and phrases of denying
and disputing ("опроверг", "отрицает", "спростував", "не відповідає дійсності", "назвал это
ложью"), contrastive connectives opening a statement ("однако", "проте", "натомість"), and a
blame or cause given for what the other reported ("по вине", "в результате", "внаслідок").
They are the languages' ordinary reporting vocabulary, matched by stem so that every tense,
gender and number counts.
"""

from __future__ import annotations

import re

_ANSWER = re.compile(
    r"(?i)(?<![^\W_])(?:"
    # Russian: denying, disputing, blaming, a cause
    r"опроверг\w*|опровер\w*|отрица\w*|отверг\w*|отвер\w*|оспари\w*|оспор\w*|"
    r"обвин\w*|возлож\w*\s+ответственност\w*|ложь|ложью|лжи|неправд\w*|фейк\w*|"
    r"не\s+соответству\w*\s+действительност\w*|по\s+вине|в\s+результате|из-за|"
    r"вследствие|"
    # Ukrainian
    r"спростов\w*|спростув\w*|запереч\w*|відкида\w*|відкину\w*|звинува\w*|звинувач\w*|"
    r"брехн\w*|неправд\w*|не\s+відповіда\w*\s+дійсності|з\s+вини|через\s+провину|"
    r"в\s+результаті|у\s+результаті|внаслідок"
    r")(?![^\W_])"
)
# A contrastive connective opening the statement: it answers what came before.
_OPENING = re.compile(
    r"(?i)^\W*(?:однако|но|вместе\s+с\s+тем|тем\s+не\s+менее|напротив|между\s+тем|"
    r"однак|проте|але|натомість|водночас|тим\s+часом)(?![^\W_])"
)
_NEGATION = re.compile(
    r"(?i)(?<![^\W_])(?:не|нет|ни|никто|ничего|никаких|ні|немає|ніхто|нічого|жодних|жодного)"
    r"(?![^\W_])"
)


def answers(text: str) -> bool:
    """Does this Russian or Ukrainian statement dispute, deny, blame or explain another?"""
    return bool(_ANSWER.search(text) or _OPENING.search(text))


def negates(text: str) -> bool:
    """Does this Russian or Ukrainian statement negate something?"""
    return bool(_NEGATION.search(text))


# Cyrillic to Latin as English-language news spells Russian and Ukrainian names (the BGN/PCGN
# romanisations, simplified): "Харьков"/"Харків" -> kharkov/kharkiv, "Белгород" -> belgorod.
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "'": "", "’": "",
}  # fmt: skip
_UKRAINIAN = {"г": "h", "и": "y"}
NAME_PREFIX = 5
"""Names are compared by their first letters: case endings differ ("в Харькове", "Kharkiv")."""
_NAME = re.compile(r"[^\W\d_][^\W\d_'’-]*")


def name_key(word: str, lang: str) -> str:
    """The first letters of a name in Latin spelling, for comparing across scripts."""
    low = word.lower()
    table = {**_LATIN, **_UKRAINIAN} if lang == "uk" else _LATIN
    return "".join(table.get(ch, ch) for ch in low)[:NAME_PREFIX]


def names(text: str, lang: str) -> set[str]:
    """Keys of the capitalised words not opening a sentence: places, people."""
    out = set()
    for m in _NAME.finditer(text):
        word = m.group()
        before = text[: m.start()].rstrip()
        opening = not before or before[-1] in '.!?:“"—«'
        if word[:1].isupper() and not opening and len(word) > 2:
            out.add(name_key(word, lang))
    return out
