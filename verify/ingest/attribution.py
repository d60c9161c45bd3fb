"""Who is said to say it: the speaker, the reporting verb, and whether the source is unnamed.

Heuristics over one sentence, in the forms news copy uses: "X said ...", "..., X said",
"according to X", "X claimed that", "X posted:", "X added, “...”", titles with names
("Belgorod Governor Vyacheslav Gladkov"), appositives ("The head of the army, Gen. X,
said"), and pronoun follow-ups ("he continued") resolved by the caller to the last speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verify.ingest import sentences

VERBS = (
    "said", "says", "say", "claimed", "claims", "claim", "told", "tells", "posted", "posts",
    "warned", "warns", "noted", "notes", "stated", "states", "announced", "announces", "added",
    "adds", "insisted", "insists", "denied", "denies", "reported", "reports", "wrote", "writes",
    "cited", "cites", "alleged", "alleges", "argued", "argues", "confirmed", "confirms",
    "declared", "declares", "explained", "acknowledged", "admitted", "blamed",
    "accused", "estimated", "predicted", "suggested", "tweeted", "asserted", "maintained",
    "spoke", "testified", "revealed", "disclosed", "countered", "conceded",
)  # fmt: skip
_VERB_ALT = "|".join(VERBS)
_AUX = r"(?:(?:has|have|had|also|reportedly|later|earlier|then|again|once)\s+)*"
_SUBJECT_VERB = re.compile(rf"^(?P<np>.+?)\s+{_AUX}(?P<verb>{_VERB_ALT})\b(?P<rest>.*)$", re.S)
_TRAILING = re.compile(
    rf",[”\"’']?\s+(?:(?P<verb1>{_VERB_ALT})\s+(?P<np1>[^,;:]+?)|(?P<np2>[^,;:]+?)\s+"
    rf"(?P<verb2>{_VERB_ALT}))\s*[.!]?[”\"]?\s*$"
)
_ACCORDING = re.compile(r"\baccording to (?P<np>[^,.;:]+)", re.I)
# "continued" reports speech only after a pronoun ("he continued"); "the strikes continued"
# is not a quotation.
_PRONOUN = re.compile(
    rf"(?:^|,\s*)(?P<np>he|she|they)\s+{_AUX}(?P<verb>{_VERB_ALT}|continued|went on)\b", re.I
)
_PASSIVE_END = ("is", "are", "was", "were", "be", "been", "being")

_DISCOURSE = {
    "however",
    "meanwhile",
    "instead",
    "earlier",
    "later",
    "separately",
    "also",
    "but",
    "and",
    "still",
    "yet",
    "moreover",
    "in addition",
    "on the other hand",
    "then",
    "now",
    "again",
}
_ANONYMOUS_HEADS = {
    "official", "officials", "authorities", "source", "sources", "insider", "insiders",
    "aide", "aides", "diplomat", "diplomats", "people", "residents", "witnesses", "analysts",
    "experts", "observers", "police", "spokesperson", "spokesman", "spokeswoman",
}  # fmt: skip
_ANONYMOUS_WORDS = ("unnamed", "anonymous", "informed source", "a source", "sources said")
_TIME_PHRASE = re.compile(
    r"^(?:on|in|at|by|after|before|during|late|early|earlier|later)\b.*$", re.I
)
_MAX_SPEAKER_WORDS = 14


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    verb: str | None
    anonymous: bool
    pronoun: bool = False
    """The speaker is a pronoun ("he continued"): the caller resolves it."""


NONE = Attribution(None, None, False)


def _has_name(segment: str) -> bool:
    words = segment.split()
    return any(w[:1].isupper() for w in words[1:]) or (
        bool(words)
        and words[0][:1].isupper()
        and words[0].lower() not in _DISCOURSE
        and words[0].lower() not in ("the", "a", "an")
    )


def _speaker_from(np: str) -> str | None:
    """The speaker inside the words before the verb, dropping time phrases and connectives."""
    segments = [s.strip(" “”\"'") for s in re.split(r"[,;]", np)]
    segments = [
        s for s in segments
        if s and s.lower() not in _DISCOURSE and not _TIME_PHRASE.match(s)
    ]  # fmt: skip
    if not segments:
        return None
    last = segments[-1]
    if last.lower() in ("he", "she", "they"):
        return last.lower()
    # "Kira Rudik, a member of parliament, posted": prefer the named part of an appositive.
    if not any(c.isupper() for c in last) and len(segments) > 1 and _has_name(segments[-2]):
        last = segments[-2]
    words = last.split()
    while words and words[0].lower() in _DISCOURSE:
        words = words[1:]
    if not words or len(words) > _MAX_SPEAKER_WORDS or words[-1].lower() in _PASSIVE_END:
        return None
    speaker = " ".join(words).strip(" “”\"'")
    return speaker or None


def is_anonymous(speaker: str) -> bool:
    """True for sources that are not named: "officials", "Russian authorities", "an informed
    source in the ministry". A named office ("the Defense Ministry") is not anonymous."""
    low = speaker.lower().replace("“", "").replace("”", "").replace('"', "")
    if any(w in low for w in _ANONYMOUS_WORDS):
        return True
    words = re.findall(r"[\w’']+", speaker)
    if not words or words[-1].lower() not in _ANONYMOUS_HEADS:
        return False
    named = [w for w in words[:-1] if w[:1].isupper() and w.lower() not in _COMMON]
    return all(w.endswith(_DEMONYM_ENDINGS) for w in named)


_COMMON = {
    "local", "senior", "top", "some", "several", "many", "government", "military", "security",
    "western", "eastern", "regional", "city", "state", "federal", "other", "two", "three",
    "the", "an", "a", "u.s",
}  # fmt: skip
_DEMONYM_ENDINGS = ("ian", "ese", "ish", "an", "i", "ic")


def attribute(sentence: str) -> Attribution:
    text = sentence.strip()
    pronoun = _PRONOUN.search(text)
    if pronoun:
        return Attribution(
            pronoun.group("np").lower(), pronoun.group("verb").lower(), False, pronoun=True
        )
    trailing = _TRAILING.search(text)
    if trailing:
        np = trailing.group("np1") or trailing.group("np2")
        verb = trailing.group("verb1") or trailing.group("verb2")
        speaker = _speaker_from(np)
        if speaker and len(speaker.split()) <= 8:
            return Attribution(speaker, verb.lower(), is_anonymous(speaker))
    match = _SUBJECT_VERB.match(text)
    if match:
        np = match.group("np")
        # The subject must come before any quotation: "“We won,” he said" is handled above.
        if "“" not in np.split(",")[-1] or "source" in np.lower():
            speaker = _speaker_from(np)
            if speaker and speaker[0].isalpha():
                if speaker.lower() in ("he", "she", "they"):
                    return Attribution(
                        speaker.lower(), match.group("verb").lower(), False, pronoun=True
                    )
                return Attribution(speaker, match.group("verb").lower(), is_anonymous(speaker))
    according = _ACCORDING.search(text)
    if according:
        speaker = _speaker_from(according.group("np"))
        if speaker:
            return Attribution(speaker, "according to", is_anonymous(speaker))
    return NONE


@dataclass(frozen=True)
class Found:
    """One attribution in a document: character spans of its source, cue and content."""

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int]
    speaker: str | None
    verb: str | None
    anonymous: bool
    pronoun: bool


def _locate(text: str, needle: str | None, start: int = 0) -> tuple[int, int] | None:
    if not needle:
        return None
    at = text.lower().find(needle.lower(), start)
    return (at, at + len(needle)) if at >= 0 else None


def find(text: str) -> list[Found]:
    """Every attributed sentence of a document, its content being the rest of the sentence."""
    out = []
    for sent in sentences.split(text):
        attr = attribute(sent.text)
        if attr.speaker is None:
            continue
        source = _locate(sent.text, attr.speaker)
        cue = _locate(sent.text, attr.verb, source[1] if source else 0) or _locate(
            sent.text, attr.verb
        )
        taken = [s for s in (source, cue) if s]
        lo = min(a for a, _ in taken) if taken else 0
        hi = max(b for _, b in taken) if taken else 0
        content = (0, lo) if lo > len(sent.text) - hi else (hi, len(sent.text))

        def shift(span: tuple[int, int] | None, base: int = sent.start) -> tuple[int, int] | None:
            return (span[0] + base, span[1] + base) if span else None

        out.append(
            Found(
                shift(source),
                shift(cue),
                (content[0] + sent.start, content[1] + sent.start),
                attr.speaker,
                attr.verb,
                attr.anonymous,
                attr.pronoun,
            )
        )
    return out
