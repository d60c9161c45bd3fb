"""Words and stems for the "already checked?" index, in English, Russian and Ukrainian.

English keeps Snowball English (as verify.match always did); Russian uses Snowball Russian.
Snowball has no Ukrainian stemmer, so Ukrainian gets a light suffix stripper of the same
design (inflection endings removed after the first vowel, reflexive -ся/-сь first): it only has
to make "повідомив", "повідомила" and "повідомили" one term, not to find dictionary forms.
Which stemmer a Cyrillic word gets is decided by its own letters when they tell (і ї є ґ are
Ukrainian, ы э ъ ё Russian), else by the language of the whole text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")
_VOWELS = frozenset("аеиоуюяіїєыэё")

# Function words of news prose (prepositions, conjunctions, particles, pronouns): like the
# English list in verify.match, they are in nearly every claim and say nothing about which.
STOPWORDS_RU = frozenset(
    """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
    только ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли
    если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего
    ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз
    тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом
    один почти мой тем чтобы нее неё были куда зачем всех никогда можно при наконец два
    об другой хоть после над больше тот через эти нас про всего них какая много разве
    три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им
    более всегда конечно всю между это также который которая которые которых заявил
    сообщил сообщила заявила""".split()
)
STOPWORDS_UK = frozenset(
    """і й та в у не що він на я з із зі як а то все вона так його але ти к до же ви за б
    по тільки її мені було ось від мене ще немає о про йому тепер коли навіть чи якщо вже
    або ні бути був нього вас вам адже там потім себе нічого їй може вони тут де є треба
    ній для ми тебе їх ніж була сам без чого раз теж собі під буде тоді хто цей того тому
    цього який зовсім ним тут цьому один майже мій тим щоб неї були куди навіщо всіх
    ніколи можна при нарешті два інший хоч після над більше той через ці нас всього них
    яка багато три цю моя перед іноді краще трохи тому не можна такий їм більш завжди
    звичайно між це також які яких заявив повідомив повідомила заявила""".split()
)

_UK_ENDINGS = tuple(
    sorted(
        """ившись ивши ючись учись ячись ачись ями ами ові еві ого ому ими іми ою ею єю ах
        ях ів їв ий ій їй им ім их іх ої ей ати яти ити іти ать ять ить уть ють ено ала яла
        ила іла ула али яли или іли ули ало ило іло ав яв ив ти ть ме те ну ує ює а я о е є у
        ю и і ї ь й в""".split(),
        key=len,
        reverse=True,
    )
)


@lru_cache(maxsize=1)
def _russian() -> Any:
    # Loaded on first use: one-shot commands that never meet a Cyrillic word skip it.
    import snowballstemmer

    return snowballstemmer.stemmer("russian")


def stem_uk(word: str) -> str:
    """A Ukrainian word without its inflection ending (a light, rule-based stem)."""
    start = next((i + 1 for i, ch in enumerate(word) if ch in _VOWELS), len(word))
    for reflexive in ("ся", "сь"):
        if word.endswith(reflexive) and len(word) - 2 >= start:
            word = word[:-2]
            break
    for ending in _UK_ENDINGS:
        # At least two letters of stem stay: "ми" and "ці" are words, not endings.
        if word.endswith(ending) and len(word) - len(ending) >= max(start, 2):
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """The stem of a lower-case Cyrillic `word` in a text of language `lang`."""
    letters = set(word)
    if letters & _UK_LETTERS:
        lang = "uk"
    elif letters & _RU_LETTERS:
        lang = "ru"
    if lang == "uk":
        return stem_uk(word)
    return str(_russian().stemWord(word))


def is_stopword(word: str, lang: str) -> bool:
    if lang == "uk":
        return word in STOPWORDS_UK
    return word in STOPWORDS_RU or (lang != "ru" and word in STOPWORDS_UK)


def is_cyrillic(word: str) -> bool:
    return "\u0400" <= word[0] <= "\u04ff"
