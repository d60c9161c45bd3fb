"""Who is said to say what: the source, the cue (reporting words) and the content of each
attribution in a document.

The words of each sentence are labelled source / cue / content / outside by the tagger
(verify.ingest.tagger, learned from annotated news). Each run of cue words is one
attribution: its source is the nearest run of source words before it (or after it: "...,
said the mayor"), its content the content words on the other side, up to the next
attribution's words, so "the governor said X, while the ministry blamed Y" is two attributions.
Quotations carried on in the next sentences extend the content. The source is cut to its noun
phrase: a relative clause or an appositive after a comma is not the speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from verify.ingest import sentences, tagger
from verify.textsafe import clean

PRONOUNS = {"he", "she", "they", "we", "i", "it", "you"}
"""Sources the caller resolves to an earlier mention."""
_RELATIVE = {"who", "which", "whose", "whom", "that", "where", "when", "while"}
_ARTICLES = {"a", "an", "the"}
_BE = {"is", "are", "was", "were", "be", "been", "being"}
_EXPLETIVE = {"there"}
_QUOTE_CHARS = "“”\"‘’'"
_WHITESPACE = re.compile(r"\s+")
_ANONYMOUS_HEADS = {
    "official", "officials", "authorities", "source", "sources", "insider", "insiders",
    "aide", "aides", "diplomat", "diplomats", "people", "residents", "witnesses", "analysts",
    "experts", "observers", "spokesperson", "spokesman", "spokeswoman", "person", "someone",
}  # fmt: skip
"""Nouns that name a role, not a body: "officials" is unnamed, "the police" is not."""
_ANONYMOUS_WORDS = ("unnamed", "anonymous", "informed source", "a source", "familiar with")
_COMMON = {
    "local", "senior", "top", "some", "several", "many", "government", "military", "security",
    "western", "eastern", "regional", "city", "state", "federal", "other", "two", "three",
    "the", "an", "a", "u.s", "u.s.",
}  # fmt: skip
_DEMONYM_ENDINGS = ("ian", "ese", "ish", "an", "i", "ic")
Span = tuple[int, int]
SOURCE_GAP = 3
CLAUSE_GAP = 8
"""A source is one run across a clause of at most this many words set off by commas ("the
doctors, speaking on condition of anonymity, said")."""


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    verb: str | None
    anonymous: bool
    pronoun: bool = False
    """The speaker is a pronoun ("he continued"): the caller resolves it."""


NONE = Attribution(None, None, False)


@dataclass(frozen=True)
class Found:
    """One attribution in a document: character spans of its source, cue and content."""

    source: Span | None
    cue: Span
    content: Span | None
    speaker: str | None
    verb: str
    anonymous: bool
    pronoun: bool
    sentence: int
    """Index of the sentence (sentences.split) holding the cue."""
    last_sentence: int = -1
    """Index of the last sentence the content reaches (a quotation carried on)."""

    @property
    def extent(self) -> Span:
        """From the first to the last character of source, cue and content."""
        spans = [s for s in (self.source, self.cue, self.content) if s]
        return min(a for a, _ in spans), max(b for _, b in spans)


def is_anonymous(speaker: str) -> bool:
    """True for sources that are not named: "officials", "regional authorities", "an informed
    source in the ministry". A named office ("the Defense Ministry") is not anonymous."""
    low = speaker.lower().replace("“", "").replace("”", "").replace('"', "")
    if any(w in low for w in _ANONYMOUS_WORDS):
        return True
    words = re.findall(r"[\w’']+", speaker)
    head = _head_index(words)
    if head is None or words[head].lower() not in _ANONYMOUS_HEADS:
        return False
    named = [w for w in words[:head] if w[:1].isupper() and w.lower() not in _COMMON]
    return all(w.endswith(_DEMONYM_ENDINGS) for w in named)


def _head_index(words: list[str]) -> int | None:
    """The head noun of "an informed source in the ministry" is "source": before "in/of"."""
    for k, w in enumerate(words):
        if k and w.lower() in ("in", "of", "at", "from", "with", "for", "close", "familiar"):
            return k - 1
    return len(words) - 1 if words else None


def _runs(labels: list[int], label: int) -> list[Span]:
    """[start, end) word index runs of one label."""
    out, start = [], None
    for i, y in enumerate([*labels, -1]):
        if y == label and start is None:
            start = i
        elif y != label and start is not None:
            out.append((start, i))
            start = None
    return out


_PREPOSITIONS = {"in", "of", "at", "from", "for", "with", "within", "inside", "close", "near"}
_HEAD_REACH = 6


def _with_head(words: list[tagger.Token], labels: list[int], lo: int, hi: int) -> Span:
    """A source run that starts inside a prepositional phrase ("[an informed source in] the
    ministry") takes back the head noun phrase before the preposition, up to a comma or cue."""
    k = lo
    # A name is not cut in two: "[Interior] Affairs Ministry".
    while k > 1 and words[k - 1].text[:1].isupper() and labels[k - 1] != 2:
        k -= 1
    if k < lo and (words[k - 1].text.lower() not in _ARTICLES | _PREPOSITIONS):
        k = lo
    lo = min(lo, k)
    while k > 0 and words[k - 1].text.lower() in _ARTICLES:
        k -= 1
    if k == 0 or words[k - 1].text.lower() not in _PREPOSITIONS:
        return lo, hi
    j = k - 1
    while j > 0 and k - j <= _HEAD_REACH and labels[j - 1] != 2:
        if words[j - 1].text in (",", ";", ":", "—", "(") or words[j - 1].text.lower() in _RELATIVE:
            break
        j -= 1
    return (j, hi) if j < k - 1 else (lo, hi)


def _trim_source(words: list[tagger.Token], lo: int, hi: int) -> tuple[int, int]:
    """The noun phrase of a source run: no relative clause, no appositive description, no
    quotation marks or punctuation at either end."""
    while lo < hi and not words[lo].text[:1].isalnum():
        lo += 1
    for k in range(lo + 1, hi):
        w = words[k].text
        if w in (",", "(", "—", "–") and k + 1 < hi and _clause_opener(words[k + 1].text):
            hi = k
            break
        if w.lower() in _RELATIVE and words[k - 1].text != "of":
            hi = k
            break
    while hi > lo and not words[hi - 1].text[:1].isalnum() and words[hi - 1].text != ".":
        hi -= 1
    return lo, hi


def _speaker_part(words: list[tagger.Token], lo: int, hi: int) -> tuple[int, int]:
    """Of a source with commas, the part that names the speaker."""
    parts = [k for k in range(lo, hi) if words[k].text == ","]
    if parts:
        last = parts[-1]
        tail = [t.text for t in words[last + 1 : hi]]
        # "Ola Berg, a member of parliament": the description after the name is not it;
        # otherwise the part next to the cue is the subject ("via Telegram, the mayor").
        if not tail or tail[0].lower() in ("a", "an") or not any(t[:1].isalpha() for t in tail):
            hi = last
        elif not any(t[:1].isupper() for t in tail) or any(t[:1].isupper() for t in tail[1:]):
            lo = last + 1
    while hi > lo and not words[hi - 1].text[:1].isalnum() and words[hi - 1].text != ".":
        hi -= 1
    return lo, hi


def _merged(words: list[tagger.Token], labels: list[int], runs: list[Span]) -> list[Span]:
    """A source run holding a relative clause (", who is travelling to") and the run just after
    it are one source: the tagger may lose a word or two inside the clause, which is cut off
    later. Other runs stay apart (merging them loses precision on PolNeAR train)."""
    out: list[Span] = []
    relative = False  # whether the last run holds a relative clause
    for run in runs:
        gap = (out[-1][1], run[0]) if out else (0, 0)
        clause = (
            (
                gap[1] - gap[0] <= CLAUSE_GAP
                and words[gap[0]].text == ","
                and _clause_opener(words[gap[0] + 1].text)
            )
            if out and gap[1] - gap[0] > 1
            else False
        )
        if (
            out
            and ((relative and gap[1] - gap[0] <= SOURCE_GAP) or clause)
            and 2 not in labels[gap[0] : gap[1]]
        ):
            out[-1] = (out[-1][0], run[1])
        else:
            out.append(run)
            relative = _has_relative(words, *run)
    return out


def _clause_opener(word: str) -> bool:
    """Words that open a clause inside a noun phrase: "who", "which", "speaking", "citing"."""
    low = word.lower()
    return low in _RELATIVE or (low.endswith("ing") and len(low) > 4 and low.isalpha())


def _has_relative(words: list[tagger.Token], lo: int, hi: int) -> bool:
    return any(
        words[k].text == "," and _clause_opener(words[k + 1].text) for k in range(lo, hi - 1)
    )


def _sentence(
    sent: sentences.Sentence, index: int, words: list[tagger.Token], labels: list[int]
) -> list[Found]:
    lexicon = tagger.lexicon()
    cues = _runs(labels, 2)
    sources = _merged(words, labels, _runs(labels, 1))
    contents = _runs(labels, 3)
    source_starts = [s[0] for s in sources]
    content_starts = [c[0] for c in contents]
    out: list[Found] = []
    taken: set[Span] = set()

    def within(runs: list[Span], starts: list[int], lo: int, hi: int) -> list[Span]:
        # Runs between two cues only: each run is looked at for its two neighbouring cues,
        # so a sentence of many cues costs linear time.
        first, last = bisect_left(starts, lo), bisect_left(starts, hi)
        return [r for r in runs[first:last] if r[1] <= hi and r not in taken]

    for k, (clo, chi) in enumerate(cues):
        left_edge = cues[k - 1][1] if k else 0
        right_edge = cues[k + 1][0] if k + 1 < len(cues) else len(words)
        before = within(sources, source_starts, left_edge, clo)
        after = within(sources, source_starts, chi, right_edge)
        source = before[-1] if before else (after[0] if after else None)
        if words[clo].text.lower() in _BE or (chi < len(words) and words[chi].text.lower() == "by"):
            # Passive: "casualties are reported", "was blamed by the army": the words before
            # the cue are what is reported; the source, if any, follows "by".
            by = [s for s in after if s[0] > chi and words[s[0] - 1].text.lower() == "by"]
            source = by[0] if by else None
        elif all(
            w.text.lower().endswith("ly") and lexicon.get(w.text.lower(), 0.0) < tagger.CUE_MIN
            for w in words[clo:chi]
            if w.text[:1].isalpha()
        ):
            # A cue of adverbs the annotated corpus never saw reporting ("a claim unwittingly
            # backed by ...") names nobody: the noun before it is spoken of, not speaking.
            source = None
        if source and words[source[1] - 1].text.lower() in _ARTICLES:
            # A noun phrase does not end in an article: "according to the [harbour authority]".
            end = source[1]
            while (
                end < right_edge
                and end - source[1] < _HEAD_REACH
                and words[end].text[:1].isalnum()
                and labels[end] != 2
            ):
                end += 1
            source = (source[0], end)
        if source:
            taken.add(source)
        # Content on the side away from the source; else whichever side has it.
        right = within(contents, content_starts, chi, right_edge)
        left = within(contents, content_starts, left_edge, clo)
        # "“...,” said the mayor": a source after the cue has its content before it.
        side = (left or right) if source is not None and source[0] >= chi else (right or left)
        if side is right and source is not None and source[0] >= chi:
            side = [c for c in side if c[0] >= source[1]]
        if side is left and source is not None and source[1] <= clo:
            side = [c for c in side if c[1] <= source[0]] or side
        # A later attribution's source ends this one's content.
        if side and side is right:
            later = within(sources, source_starts, side[0][0], right_edge)
            stops = [s[0] for s in later if s != source]
            limit = min(stops, default=len(words))
            side = [c for c in side if c[1] <= limit] or side[:1]
        taken.update(side)
        content = (words[side[0][0]].start, words[side[-1][1] - 1].end) if side else None
        source_span = speaker = None
        if source:
            lo, hi = _trim_source(words, *_with_head(words, labels, *source))
            if lo < hi:
                source_span = (words[lo].start, words[hi - 1].end)
                slo, shi = _speaker_part(words, lo, hi)
                if slo >= shi:
                    slo, shi = lo, hi
                speaker = sent.text[words[slo].start - sent.start : words[shi - 1].end - sent.start]
                # A speaker becomes a source's name: one line, no control codes.
                speaker = _WHITESPACE.sub(" ", clean(speaker)).strip(_QUOTE_CHARS + " ,")
                # "The head of the army, Gen. X": the speaker is the name in apposition.
                named = speaker.rsplit(",", 1)[-1].strip()
                if named != speaker and any(w[:1].isupper() for w in named.split()):
                    speaker = named
        if speaker and (
            not any(ch.isalpha() for ch in speaker) or speaker.split()[0].lower() in _EXPLETIVE
        ):
            speaker, source_span = None, None
        cue_words = [w.text for w in words[clo:chi]]
        cue_text = " ".join(w for w in cue_words if w[:1].isalnum()) or " ".join(cue_words)
        pronoun = bool(speaker) and speaker.lower() in PRONOUNS  # type: ignore[union-attr]
        out.append(
            Found(
                source=source_span,
                cue=(words[clo].start, words[chi - 1].end),
                content=content,
                speaker=speaker,
                verb=cue_text.lower(),
                anonymous=bool(speaker) and not pronoun and is_anonymous(speaker or ""),
                pronoun=pronoun,
                sentence=index,
                last_sentence=index,
            )
        )
    return out


def _labelled(
    split: list[sentences.Sentence],
) -> Iterator[tuple[int, sentences.Sentence, list[tagger.Token], list[int]]]:
    """The labelled words of each sentence that may hold an attribution, in order.

    A sentence with no reporting word (one the training corpus often saw as a cue), colon or
    quotation mark attributes nothing: tagging it would label every word outside. A first look
    at its words in C finds those, and only the rest are tokenised and tagged.
    """
    lexicon = tagger.lexicon()
    heads, marks = tagger.cue_heads()
    todo: list[int] = []
    tokenised: dict[int, list[tagger.Token]] = {}
    for k, sent in enumerate(split):
        if not (
            any(m in sent.text for m in marks) or heads & set(_CHUNK.findall(sent.text.lower()))
        ):
            continue
        words = tagger.tokens(sent.text, sent.start)
        if any(
            lexicon.get(w.text.lower(), 0.0) >= tagger.CUE_MIN or w.text in marks for w in words
        ):
            todo.append(k)
            tokenised[k] = words
    keeps = {k: tagger.without_scare_quotes([w.text for w in tokenised[k]]) for k in todo}
    probs = tagger.tag_many([[tokenised[k][i].text for i in keeps[k]] for k in todo])
    for k, p in zip(todo, probs, strict=True):
        # After an article comes a noun phrase, never the reporting verb ("an informed
        # source").
        keep, words = keeps[k], tokenised[k]
        for j in range(1, len(keep)):
            if words[keep[j - 1]].text.lower() in _ARTICLES:
                p[j, 2] = 0.0
    for index, kept in zip(todo, tagger.decode_many(probs), strict=True):
        sent, words, keep = split[index], tokenised[index], keeps[index]
        labels = [0] * len(words)
        for k, y in zip(keep, kept, strict=True):
            labels[k] = y
        # A dropped quotation mark takes the label of the word it encloses.
        kept_set = set(keep)
        for k in range(len(words)):
            if k not in kept_set:
                opening = k + 1 < len(words) and words[k].text in "“‘"
                labels[k] = labels[k + 1] if opening else (labels[k - 1] if k else 0)
        yield index, sent, words, labels


_CHUNK = re.compile(r"\w+")


def find(text: str, split: list[sentences.Sentence] | None = None) -> list[Found]:
    """Every attribution of a document, in order; `split` is its sentences, if already split."""
    out: list[Found] = []
    for index, sent, words, labels in _labelled(sentences.split(text) if split is None else split):
        found = _sentence(sent, index, words, labels)
        if len(found) > 1 and any(f.content is None for f in found):
            # A cue with nothing reported beside it, where another has content, is a word of
            # a source ("an informed source"): relabel it as its neighbours and decode again.
            starts = [w.start for w in words]
            for f in found:
                if f.content is None:
                    for k in range(bisect_left(starts, f.cue[0]), bisect_left(starts, f.cue[1])):
                        labels[k] = 1
            found = _sentence(sent, index, words, labels)
        if not found and out and out[-1].content and out[-1].last_sentence == index - 1:
            # A quotation carried on into this sentence, with no cue of its own.
            share = sum(y == 3 for y in labels) / max(1, len(labels))
            if share >= 0.5:
                prev = out[-1]
                last = max(i for i, y in enumerate(labels) if y == 3)
                out[-1] = Found(
                    prev.source,
                    prev.cue,
                    (prev.content[0], words[last].end),  # type: ignore[index]
                    prev.speaker,
                    prev.verb,
                    prev.anonymous,
                    prev.pronoun,
                    prev.sentence,
                    index,
                )
                continue
        out.extend(found)
    return out


def attribute(sentence: str) -> Attribution:
    """The first attribution with a speaker in one sentence, or NONE."""
    text = sentence.strip()
    # One sentence, as given: not split again.
    for found in find(text, [sentences.Sentence(text, 0, len(text), 0)]):
        if found.speaker:
            return Attribution(found.speaker, found.verb, found.anonymous, found.pronoun)
    return NONE
