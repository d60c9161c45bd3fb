"""Text as "already checked?" compares it: normalised wording, index terms, n-grams.

Social posts need their own normalisation: links go, dates of "— author (@handle) date" tails
go, and handles and hashtags become words (@realDonaldTrump -> real donald trump,
#DefundTheCBC -> defund the cbc), because who posted and whom it names often say which claim
it is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from verify.lang import language, words

MAX_QUERY_CHARS = 5000
_URL = re.compile(r"(https?://\S+|pic\.twitter\.com/\S+|www\.\S+)")
_TAIL_DATE = re.compile(r"\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}")
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
# Letters and digits of any script: Cyrillic words are terms too (Russian and Ukrainian claims).
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves says said say rt amp via""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    # Loaded on first use: the package loads every language's stemmer, which commands that
    # never index or match a claim (`verify show`, `list`) should not pay for.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # The vocabulary is small next to the number of words read: stem each word once.
    return str(_stemmer().stemWord(word))


def _words(tag: str) -> str:
    return _CAMEL.sub(" ", tag).replace("_", " ")


def _ngrams(text: str, n: int = 4) -> Counter[str]:
    padded = f" {text} "
    return Counter(padded[i : i + n] for i in range(len(padded) - n + 1))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def normalize(text: str) -> str:
    """Text as it should be compared: no links, handles or tweet tails; hashtags as words."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS])
    text = _TAIL_DATE.sub(") ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(lambda m: " " + _words(m.group(0)[1:]) + " ", text)
    text = _HASHTAG.sub(lambda m: " " + _words(m.group(1)) + " ", text)
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(text.split()).lower()


def terms(text: str) -> list[str]:
    """The index terms of `text`: stems, without function words, in its own language."""
    normal = normalize(text)
    out: list[str] = []
    lang = ""
    for token in _TOKEN.findall(normal):
        if token.isascii():
            if token not in STOPWORDS:
                out.append(_stem(token))
        elif words.is_cyrillic(token):
            lang = lang or language(normal)
            if not words.is_stopword(token, lang):
                out.append(words.stem(token, lang))
        else:
            out.append(token)
    return out


def indexed_text(claim_text: str, extra: dict[str, Any]) -> str:
    """What a claim is matched on: its text and the headline of its fact-check."""
    title = extra.get("title")
    return f"{claim_text} {title}" if isinstance(title, str) and title else claim_text


def _partial_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.partial_ratio(a, b))
