"""Who says it in Russian and Ukrainian news: source, cue and content spans of a sentence.

The forms covered are those of wire copy and official channels in both languages:
"X заявил(а), что ...", "X повідомив: «...»", "«...», — сказал X", "..., сообщил X",
"По словам X, ...", "За даними X, ...", "Как сообщил X, ...", "Об этом заявил X", and the
Telegram-channel lead "Гладков: ...". A reporting verb is recognised by its stem (заяв-,
сообщ-, повідом-, ...) and a verb ending, so every tense, gender and number form counts and
"заявление" (a noun) does not. Spans are [start, end) character offsets into the sentence,
with the same roles as the English attribution (and the PARC/PolNeAR scheme): the source is
who speaks, the cue the words that say so, the content what is said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

_STEMS = (
    # Russian
    "заяв", "сообщ", "сказ", "рассказ", "отмет", "отмеч", "подчеркн", "подчеркив",
    "подчёркив", "добав", "поясн", "объясн", "уточн", "напомн", "напомина", "предупред",
    "предупрежд", "подтверд", "подтвержд", "призна", "указ", "указыва", "ответ", "отвеча",
    "написа", "пиш", "говор", "скаж", "расскаж", "утвержд", "счита", "опроверг", "пообеща",
    "обеща", "призва",
    "призыва", "завер", "заверя", "переда", "охарактеризова", "констатирова", "замет",
    "замеча", "возраз", "сетова", "сету",
    # Ukrainian
    "повідом", "повідомля", "розпов", "розповіда", "зазнач", "наголос", "наголош", "дода",
    "нагада", "попере", "попередж", "визна", "вказ", "вказу", "відпов", "відповіда", "каз",
    "ствердж", "вважа", "спростува", "пообіця", "обіця", "закли", "запевн", "запевня",
)  # fmt: skip
_ENDINGS = (
    "ил", "ила", "или", "ило", "ит", "ят", "ат", "ал", "ала", "али", "ет", "ёт", "ут", "ют",
    "ает", "ают", "ял", "яла", "яли", "яет", "яют", "ул", "ула", "ули", "ив", "ав", "ав",
    "ив", "ила", "ла", "ли", "л", "ает", "ается", "ется", "ится", "ует", "уют", "ывает",
    "ывают", "ывал", "ывала", "ывали", "ивает", "ивают", "ивал", "ивала", "ивали", "аю", "ую",
    "ет", "ут", "у",
    # Ukrainian endings: -ив (he), -ла, -ли, present -є, -ють, -е, -уть, gerund -вши
    "є", "ють", "ює", "ує", "ують", "ає", "ають", "е", "уть", "ить", "ять", "ивши", "авши",
    "яв", "ів", "іл", "ала", "ало",
)  # fmt: skip
_ENDING_SET = frozenset(_ENDINGS)
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W\d_]+)*")
_ACCORDING = re.compile(
    r"(?i)(?<![^\W_])(?P<cue>по\s+(?:словам|данным|мнению|информации|сообщению|оценке|"
    r"оценкам|утверждению|версии)|за\s+(?:словами|даними|інформацією|оцінками|"
    r"повідомленням|версією)|на\s+думку)\s+(?P<src>[^,.;:!?]+)"
)
_LEADING = re.compile(
    r"(?i)^(?:как|як|ранее|раніше|при этом|при цьому|также|також|однако|однак|проте|"
    r"кроме того|крім того|между тем|тем временем|тим часом|позже|пізніше|в частности|"
    r"зокрема|и|і|а|но|але)\b[\s,]*"
)
_THIS = re.compile(
    r"(?i)^(?:об\s+этом|о\s+ч[её]м|про\s+це|про\s+що|это|це|так|таким\s+образом|что|що)$"
)
# Adverbs and particles that stand between a speaker and the verb ("Путин осенью заявил",
# "X недавно сказал", "Ты же только что сказал"): not part of the source.
_BETWEEN = frozenset(
    """вчера сегодня тогда ранее позже еще ещё же только уже также тоже вот и а но осенью
    весной летом зимой утром вечером ночью днем днём всегда часто публично открыто прямо
    недавно постоянно неоднократно официально лично вновь снова тоже теперь сейчас учора
    сьогодні тоді раніше пізніше ще вже також теж ось і але восени навесні влітку взимку
    вранці ввечері вночі вдень завжди часто публічно відкрито прямо нещодавно постійно
    неодноразово офіційно особисто знову тепер зараз""".split()
)
_THAT = re.compile(r"(?i),?\s*(?:что|що|будто|нібито)\b")
_POSSESSIVE = re.compile(
    r"(?i)(?<![^\W_])(?:по|за)\s+(?:его|её|ее|их|його|її|їх)\s+(?:словами|словам|даними|данным|мнению)"
)
_DASH = "—–\\-"
_QUOTES = "«»„“”\"'"
_MAX_SOURCE_WORDS = 10
MAX_CHARS = 2000
"""Longer "sentences" (a splitter's failure, or hostile input) are not attributed: every rule
here is linear, but trying each of thousands of verbs would not be."""
_MAX_VERBS = 5
"""Reporting verbs tried per sentence: the first ones are the sentence's own."""
_COLON_SOURCE_WORDS = 5
_ANONYMOUS = re.compile(
    r"(?i)\b(?:источник\w*|джерел\w*|собеседник\w*|співрозмовник\w*|осведомлен\w*|"
    r"поінформован\w*|неназванн\w*|анонимн\w*|анонімн\w*)"
)


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    verb: str | None
    anonymous: bool
    source: Span | None = None
    cue: Span | None = None
    content: Span | None = None
    pronoun: bool = False
    """Kept for the same shape as English attribution; pronoun speakers are not resolved."""


NONE = Attribution(None, None, False)


def is_reporting_verb(word: str) -> bool:
    low = word.lower()
    for stem in _STEMS:
        if low.startswith(stem):
            rest = low[len(stem) :]
            # Reflexive "-ся"/"-сь" after a verb ending: "сообщается", "повідомляється".
            if rest.endswith(("ся", "сь")) and rest[:-2] in _ENDING_SET:
                return True
            if rest in _ENDING_SET:
                return True
    return False


def _strip(text: str, start: int, end: int, chars: str = " ,:;—–-") -> Span:
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars + ".!?"):
        end -= 1
    return start, end


def _content_after(text: str, start: int) -> Span:
    a, b = _strip(text, start, len(text))
    # The period closing the sentence is not part of what was said.
    return a, b


def _ends_a_quote(head: str) -> bool:
    """Does `head` end as what is said before "— сказал X" does (a comma, quote or dash)?"""
    end = head.rstrip()
    if end[-1:] in ("—", "–", "-"):
        end = end[:-1].rstrip()
    return bool(end) and end[-1] in ",—–-" + _QUOTES


def _trim_between(words: str) -> str:
    """`words` without the adverbs and particles at their end."""
    parts = words.rstrip().split(" ")
    while parts and parts[-1].lower().strip(",") in _BETWEEN:
        parts.pop()
    return " ".join(parts)


_PREPOSITIONS = frozenset(
    """в во на о об обо с со по для после до при из от за у к ко над под про через перед
    между без у від для після до при з із зі за к над під про через перед між без""".split()
)


def _drop_adverbial(text: str, source: Span) -> Span:
    """The source without a leading prepositional phrase ("В своей речи министр"): a subject
    never starts with a preposition. Its object ends before the first capitalised word, or,
    with none, after two words (an adjective and its noun)."""
    words = list(re.finditer(r"\S+", text[source[0] : source[1]]))
    if len(words) < 2 or words[0].group().lower() not in _PREPOSITIONS:
        return source
    capital = next((i for i, w in enumerate(words[1:], 1) if w.group()[0].isupper()), None)
    cut = capital if capital is not None else min(3, len(words) - 1)
    return (source[0] + words[cut].start(), source[1])


def _drop_trailing(text: str, source: Span) -> Span:
    """The source without where it spoke ("Сергей Шойгу в интервью ТАСС", "X в Telegram"): a
    preposition right after a capitalised word ends the name."""
    words = list(re.finditer(r"\S+", text[source[0] : source[1]]))
    for i in range(2, len(words)):
        if words[i].group().lower() in _PREPOSITIONS and words[i - 1].group()[0].isupper():
            return (source[0], source[0] + words[i - 1].end())
    return source


def _result(text: str, source: Span, cue: Span, content: Span | None) -> Attribution:
    source = _drop_trailing(text, _drop_adverbial(text, source))
    speaker = text[source[0] : source[1]].strip(_QUOTES + " ")
    verb = text[cue[0] : cue[1]].lower()
    if not speaker or len(speaker.split()) > _MAX_SOURCE_WORDS:
        return NONE
    return Attribution(speaker, verb, bool(_ANONYMOUS.search(speaker)), source, cue, content)


def attribute(sentence: str) -> Attribution:
    """Source, cue and content of one Russian or Ukrainian sentence (NONE when unattributed)."""
    text = sentence
    if len(text) > MAX_CHARS:
        return NONE
    words = list(_WORD.finditer(text))
    possessive = _POSSESSIVE.search(text)
    if possessive:
        # "По его словам, ..." names no one: the caller resolves "he" to the last speaker.
        content = _content_after(text, possessive.end())
        return Attribution(
            "he", possessive.group().lower(), False, None, possessive.span(), content, pronoun=True
        )
    according = _ACCORDING.search(text)
    if according:
        src = _strip(text, *according.span("src"))
        cue = according.span("cue")
        before = _strip(text, 0, according.start())
        after = _content_after(text, according.end())
        content = after if after[1] > after[0] else before
        if before[1] - before[0] > after[1] - after[0]:
            content = before
        return _result(text, src, cue, content if content[1] > content[0] else None)
    tried = 0
    for index, word in enumerate(words):
        if tried == _MAX_VERBS:
            break
        if not is_reporting_verb(word.group()):
            continue
        tried += 1
        cue = word.span()
        head = text[: cue[0]]
        following = text[cue[1] :].lstrip()
        introduces = following.startswith(":") or bool(_THAT.match(following))
        # "«...», — сказал X." / "..., сообщил X.": what is said comes first.
        said_first = index > 0 and not introduces and _ends_a_quote(head)
        if said_first and len(head.strip()) > 1 and not _LEADING.match(head.strip()):
            source = _strip(text, cue[1], len(text))
            cut = re.search(r"[,;:(]", text[source[0] : source[1]])
            if cut:
                source = (source[0], source[0] + cut.start())
                source = _strip(text, *source)
            pronoun = re.match(
                r"(?i)(?:ему|ей|им|мне|нам|вам|йому|їй|їм|мені)\s+", text[source[0] : source[1]]
            )
            if pronoun:
                source = (source[0] + pronoun.end(), source[1])
            found = _result(text, source, cue, _strip(text, 0, cue[0]))
            if found is not NONE:
                return found
            continue
        # "Как сообщил X, ..." and "Об этом заявил X.": the source follows the verb.
        lead = _LEADING.match(head)
        rest = head[lead.end() :] if lead else head
        clause = _trim_between(rest[rest.rfind(",") + 1 :])
        if not clause.strip() or _THIS.match(clause.strip(" ,")):
            tail = text[cue[1] :]
            cut = re.search(r"[,:;.!?]", tail)
            end = cue[1] + (cut.start() if cut else len(tail))
            source = _strip(text, cue[1], end)
            cue_span = (cue[0] - len(head) + (lead.start() if lead else 0), cue[1])
            if lead and lead.group().strip(" ,").lower() in ("как", "як"):
                cue_span = (lead.start(), cue[1])
            else:
                cue_span = cue
            said: Span | None = None
            if cut and text[end] == ",":
                said = _content_after(text, end)
            found = _result(text, source, cue_span, said)
            if found is not NONE:
                return found
            continue
        # "X заявил, что ...": the source is what stands before the verb.
        start = lead.end() if lead else 0
        segment = text[start : cue[0]]
        comma = segment.rfind(",")
        if comma >= 0 and len(segment[comma + 1 :].split()) >= 1:
            start += comma + 1
        source = _strip(text, start, cue[0])
        trimmed = _trim_between(text[source[0] : source[1]])
        source = (source[0], source[0] + len(trimmed))
        lead_words = re.match(r"(?i)(?:что|що|вот|ось|и|і)\s+", trimmed)
        if lead_words:
            source = (source[0] + lead_words.end(), source[1])
        return _result(text, source, cue, _content_after(text, cue[1]))
    colon = text.find(":")
    if colon > 0:
        source = _strip(text, 0, colon)
        head = text[source[0] : source[1]]
        if (
            head
            and head[0].isupper()
            and len(head.split()) <= _COLON_SOURCE_WORDS
            and not any(ch.isdigit() for ch in head)
        ):
            return _result(text, source, (colon, colon + 1), _content_after(text, colon + 1))
    return NONE


def token_roles(sentence: str, tokens: list[str]) -> list[str]:
    """The role ("source", "cue", "content" or "None") of each token of `sentence`, tokens
    given in order (as an annotated corpus has them)."""
    found = attribute(sentence)
    spans = {"source": found.source, "cue": found.cue, "content": found.content}
    roles = []
    cursor = 0
    for token in tokens:
        at = sentence.find(token, cursor)
        if at < 0:
            roles.append("None")
            continue
        cursor = at + len(token)
        role = "None"
        for name, span in spans.items():
            if span and span[0] <= at and cursor <= span[1]:
                role = name
                break
        roles.append(role)
    return roles
