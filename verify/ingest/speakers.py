"""Who a source is, across a document: pronouns and descriptions resolved to earlier mentions.

"he" takes the last named person a few sentences back; "the ministry" or "Berg" take the
most specific earlier mention with the same head word ("Dornland's defence ministry",
"Ola Berg"). Unnamed sources ("officials") are never resolved to a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verify.models import SourceKind

PRONOUN_REACH = 3
"""A pronoun takes the last named speaker at most this many sentences back."""
_PERSONAL = {"he", "she"}
_DETERMINERS = {"the", "this", "that", "a", "an"}


# English nouns that name a body rather than a person, and those that name a news outlet.
_BODIES = {
    "ministry", "government", "authority", "authorities", "army", "police", "department",
    "agency", "office", "council", "committee", "service", "services", "forces", "party",
    "company", "court", "commission", "parliament", "administration", "command", "military",
    "embassy", "union", "organisation", "organization", "group", "board", "campaign", "team",
    "white house", "kremlin", "pentagon", "secretariat", "bank",
}  # fmt: skip
_OUTLETS = {
    "news", "times", "post", "journal", "herald", "gazette", "telegraph", "courier", "tribune",
    "newspaper", "broadcaster", "tv", "television", "radio", "channel", "magazine", "outlet",
    "wire", "press", "reuters", "daily", "network",
}  # fmt: skip
_WORDS = re.compile(r"[\w’'-]+")


def key(speaker: str) -> str:
    """What identifies a speaker across documents: lower case, without a leading article or
    quotation marks."""
    words = [w.lower() for w in _WORDS.findall(speaker)]
    if words and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def kind_of(speaker: str, anonymous: bool) -> SourceKind:
    """Person, organisation, outlet or unnamed official, from the speaker's words."""
    if anonymous:
        return SourceKind.unnamed_official
    words = key(speaker).split()
    if not words:
        return SourceKind.unknown
    if words[-1] in _OUTLETS or (len(words) > 1 and words[-2] in _OUTLETS):
        return SourceKind.outlet
    if any(w in _BODIES for w in words) or " ".join(words[-2:]) in _BODIES:
        return SourceKind.organisation
    return SourceKind.person


def head(speaker: str) -> str:
    return speaker.split()[-1].lower().strip("’'s,.") if speaker.split() else ""


@dataclass
class Resolver:
    last_person: tuple[str, int] | None = None
    mentions: dict[str, str] = field(default_factory=dict)
    """head word -> the most specific mention seen with it."""

    def resolve(
        self, speaker: str | None, pronoun: bool, anonymous: bool, index: int
    ) -> str | None:
        if speaker is None:
            return None
        if pronoun:
            recent = self.last_person is not None and index - self.last_person[1] <= PRONOUN_REACH
            if self.last_person and recent and speaker.lower() in _PERSONAL:
                return self.last_person[0]
            return None
        if anonymous:
            return speaker
        key = head(speaker)
        known = self.mentions.get(key)
        words = speaker.split()
        described = words[0].lower() in _DETERMINERS or len(words) == 1
        if known and described and len(known) > len(speaker):
            speaker = known
        else:
            # Every word of a mention finds it again: "the mayor" -> "Tarn Mayor I. Bersk".
            for word in speaker.split():
                w = word.lower().strip("’'s,.")
                if w and w not in _DETERMINERS and len(speaker) > len(self.mentions.get(w, "")):
                    self.mentions[w] = speaker
        if any(w[:1].isupper() for w in speaker.split()):
            self.last_person = (speaker, index)
        return speaker
