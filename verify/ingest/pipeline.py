"""From a document to proposed claims: sentences, attribution, check-worthiness, grouping.

`extract` analyses text without saving; `ingest` archives the document and stores the
proposed claims (status `proposed`) with their accounts, as one transaction.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from verify import anchor, match
from verify.ids import new_id, stable_id
from verify.ingest import across, attribution, grouping, sentences, speakers, worthiness
from verify.ingest.documents import Archived
from verify.lang import attribution_ru, language
from verify.models import Account, Claim, ClaimStatus, Document, Source
from verify.store import Store

if TYPE_CHECKING:
    import numpy as np

DUPLICATE_SIMILARITY = 0.8
"""An existing claim this alike is the same claim: attach to it instead of adding another."""
OTHER_CLAIMS = 3
"""How many of the casebook's most alike claims a statement of a new document is compared
with, as another speaker's account of the same event."""


@dataclass
class Candidate:
    text: str
    start: int
    end: int
    speaker: str | None
    verb: str | None
    anonymous: bool
    score: float
    group: str = ""
    cue: list[int] | None = None
    """[start, end) of the reporting words in the document text."""
    content_span: list[int] | None = None
    """[start, end) of what is reported, in the document text."""

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": [self.start, self.end],
            "speaker": self.speaker,
            "verb": self.verb,
            "anonymous": self.anonymous,
            "score": round(self.score, 4),
            "group": self.group,
            "cue": self.cue,
            "content_span": self.content_span,
        }


@dataclass
class Analysis:
    sentences: int
    candidates: list[Candidate]

    @property
    def groups(self) -> int:
        return len({c.group for c in self.candidates})


def _part(text: str, attr: attribution.Found) -> tuple[int, int]:
    """One attribution's own words in a sentence holding several, without edge punctuation."""
    start, end = attr.extent
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in '”"’.)':
        end -= 1
    return start, end


def _span(span: tuple[int, int] | None) -> list[int] | None:
    return list(span) if span else None


_HEADER = re.compile(r"^(update|updated)\b.*\bgmt\b|^(map|photo|video|source|image)s?:", re.I)
MIN_WORDS = 6


def _is_statement(text: str) -> bool:
    """Sentences, not headers, captions, headlines or lead-ins ("X posted:")."""
    stripped = text.rstrip()
    if _HEADER.search(stripped) or len(stripped.split()) < MIN_WORDS:
        return False
    return stripped.endswith((".", "!", "?", "”", '"', "’", "'", ".)"))


def _attributions_ru(split: list[sentences.Sentence]) -> list[attribution.Found]:
    """Russian and Ukrainian reported speech (verify.lang.attribution_ru), in the same form
    as English attributions: spans in the document, one per sentence that holds a cue."""
    out: list[attribution.Found] = []
    for index, sentence in enumerate(split):
        attr = attribution_ru.attribute(sentence.text)
        if attr.cue is None:
            continue

        def shift(
            span: attribution.Span | None, base: int = sentence.start
        ) -> attribution.Span | None:
            return None if span is None else (span[0] + base, span[1] + base)

        cue = shift(attr.cue)
        assert cue is not None
        out.append(
            attribution.Found(
                source=shift(attr.source),
                cue=cue,
                content=shift(attr.content),
                speaker=attr.speaker,
                verb=attr.verb or "",
                anonymous=attr.anonymous,
                pronoun=attr.pronoun,
                sentence=index,
                last_sentence=index,
            )
        )
    return out


def extract(
    text: str,
    threshold: float = worthiness.THRESHOLD,
    vectors: dict[str, np.ndarray] | None = None,
) -> Analysis:
    """Check-worthy sentences with who says them, grouped into accounts of the same event.

    `vectors`, when given, receives the meaning vectors the scoring computed on the way.
    """
    statements: list[Candidate] = []
    found: list[Candidate] = []
    # Grouping reuses the vectors the scoring computes, whether or not the caller keeps them.
    vectors = {} if vectors is None else vectors
    split = sentences.split(text)
    cyrillic = language(text) in ("ru", "uk")
    by_sentence: dict[int, list[attribution.Found]] = {}
    for each in _attributions_ru(split) if cyrillic else attribution.find(text, split):
        for k in range(each.sentence, max(each.sentence, each.last_sentence) + 1):
            by_sentence.setdefault(k, []).append(each)
    resolver = speakers.Resolver()
    lead_in: tuple[str, str, int] | None = None  # "X posted:" -> the next paragraph is X's
    for index, sentence in enumerate(split):
        attrs = [a for a in by_sentence.get(index, []) if a.speaker]
        # Two attributions in one sentence are two statements, each its own words.
        parts: list[tuple[attribution.Found | None, int, int]] = (
            [(a, *_part(text, a)) for a in attrs]
            if len(attrs) > 1 and all(a.sentence == index for a in attrs)
            else [(attrs[0] if attrs else None, sentence.start, sentence.end)]
        )
        for attr, start, end in parts:
            speaker = verb = None
            anonymous = False
            if attr is not None:
                verb, anonymous = attr.verb, attr.anonymous
                speaker = resolver.resolve(attr.speaker, attr.pronoun, anonymous, index)
            elif lead_in and sentence.paragraph == lead_in[2] + 1:
                speaker, verb = lead_in[0], lead_in[1]
            if speaker and sentence.text.rstrip().endswith(":"):
                lead_in = (speaker, verb or "said", sentence.paragraph)
            if not _is_statement(sentence.text):
                continue
            statements.append(
                Candidate(
                    text[start:end],
                    start,
                    end,
                    speaker,
                    verb if speaker else None,
                    anonymous if speaker else False,
                    0.0,
                    cue=_span(attr.cue if attr and speaker else None),
                    content_span=_span(attr.content if attr and speaker else None),
                )
            )
    # Scored together: the encoder works in batches and re-scores a share of the whole text.
    for cand, score in zip(
        statements, worthiness.scores([c.text for c in statements], vectors), strict=True
    ):
        if cyrillic and (cand.speaker or any(ch.isdigit() for ch in cand.text)):
            # The check-worthiness model reads English only: in Russian and Ukrainian text,
            # what someone is reported to say, and any statement with a figure, is proposed.
            score = max(score, threshold)
        if score >= threshold:
            cand.score = score
            found.append(cand)
    numbers = grouping.group([c.text for c in found], [c.speaker for c in found], vectors)
    for cand, number in zip(found, numbers, strict=True):
        cand.group = f"g{number + 1}"
    return Analysis(len(split), found)


@dataclass
class IngestResult:
    document_id: str
    address: str
    new_document: bool
    sentences: int = 0
    candidates: int = 0
    groups: int = 0
    claims: list[str] = field(default_factory=list)
    attached: int = 0
    """Candidates that matched an existing claim and joined it as accounts."""
    duplicates: int = 0
    """Candidates already present (same statement on the matching claim): skipped."""
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document_id,
            "address": self.address,
            "new_document": self.new_document,
            "sentences": self.sentences,
            "candidates": self.candidates,
            "groups": self.groups,
            "claims": self.claims,
            "attached": self.attached,
            "duplicates_skipped": self.duplicates,
            "warnings": self.warnings,
        }


def _source_for(
    known: dict[str, Source], name: str | None, anonymous: bool
) -> tuple[Source | None, bool]:
    """The source record for a speaker, and whether it is new (one per name, reused)."""
    if not name:
        return None, False
    # "The defence ministry" in one article and "the defence ministry" in another are one.
    sid = stable_id("s", speakers.key(name))
    if sid in known:
        return known[sid], False
    kind = speakers.kind_of(name, anonymous)
    source = Source(id=sid, name=name, kind=kind, grade="F", anonymous=anonymous)
    known[sid] = source
    return source, True


@dataclass
class _Planned:
    """What one group of candidates will do: join an existing claim, or become a new one."""

    members: list[Candidate]
    accounts: list[Account]
    target: str | None = None
    """The existing claim these accounts join."""
    join: _Planned | None = None
    """An earlier group of the same document these accounts join (its wording repeats)."""
    created: str | None = None


def ingest(store: Store, archived: Archived) -> IngestResult:
    """Archive a document and propose its claims; re-ingesting the same bytes adds nothing.

    Everything slow (check-worthiness, encoding, the "already checked?" look-ups) happens
    before the write transaction, each text encoded once; the transaction itself only
    re-checks what another process may have changed meanwhile and writes, so it holds the
    casebook for milliseconds, not for the length of the document.
    """
    doc = archived.document
    result = IngestResult(doc.id, doc.address, new_document=False, warnings=archived.warnings)
    if store.has_document(doc.id):
        return result
    vectors: dict[str, np.ndarray] = {}
    analysis = extract(doc.text, vectors=vectors)
    groups: dict[str, list[Candidate]] = {}
    for cand in analysis.candidates:
        groups.setdefault(cand.group, []).append(cand)
    known = {s.id: s for s in store.sources()}
    new_sources: list[Source] = []
    plans: list[_Planned] = []
    for members in groups.values():
        accounts = []
        for cand in members:
            source, created = _source_for(known, cand.speaker, cand.anonymous)
            if source is not None and created:
                new_sources.append(source)
            accounts.append(
                Account(
                    id=new_id("a"),
                    source_id=source.id if source else None,
                    statement=cand.text,
                    origin=anchor.selector_for(doc.id, doc.text, cand.start, cand.end),
                )
            )
        plans.append(_Planned(members, accounts))
    texts = [p.members[0].text for p in plans]
    if any(language(t) in grouping.ACROSS_LANGUAGES[1:] for t in texts):
        across.fill(store)  # what this document's statements are compared with
        later: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    elif match.has_cyrillic_claims(store.conn):
        later = contextlib.nullcontext()
    else:
        later = match.across_later()
    with later, match.prepared(texts, known=vectors):
        seen = _last_event(store)
        _look_up(store, plans)
        with store.transaction():
            if store.has_document(doc.id):
                return result  # another process archived it meanwhile: nothing added
            if _claims_changed_since(store, seen):
                # Another process wrote claims since the look-ups: look again (the vectors
                # are prepared, so this costs no encoding).
                _look_up(store, plans)
            store.tx_insert_document(doc, archived.raw)
            if archived.capture is not None:
                from verify.capture import table  # the WARC records the document came in

                table.tx_keep(store, archived)
            for source in new_sources:
                if not store.conn.execute(
                    "SELECT 1 FROM sources WHERE id = ?", (source.id,)
                ).fetchone():
                    store.tx_put_source(source, "source.create")
            now = store.clock()
            for plan in plans:
                _apply(store, doc, plan, now, result)
    result.new_document = True
    result.sentences = analysis.sentences
    result.candidates = len(analysis.candidates)
    result.groups = analysis.groups
    return result


def _look_up(store: Store, plans: list[_Planned]) -> None:
    """Which claim, in the casebook or earlier in the document, each group repeats, or which
    claim of the casebook it gives another account of."""
    fresh: list[tuple[str, _Planned]] = []
    scan = across.Scan()
    for plan in plans:
        text = plan.members[0].text
        found = store.similar(text, top=OTHER_CLAIMS)
        plan.target = plan.join = None
        if found and found[0].similarity >= DUPLICATE_SIMILARITY:
            plan.target = found[0].claim_id
            continue
        query = match.normalize(text)
        plan.join = next(
            (
                earlier
                for wording, earlier in fresh
                if match.wording_similarity(query, wording) >= DUPLICATE_SIMILARITY
            ),
            None,
        )
        if plan.join is None:
            plan.target = _same_event(store, plan.members[0], found, scan)
            if plan.target is None:
                fresh.append((query, plan))


def _same_event(
    store: Store, cand: Candidate, found: list[match.Match], scan: across.Scan
) -> str | None:
    """An earlier claim (from another document) that `cand` is another speaker's account of:
    the marks and cosines of grouping within a document, with the claim's first account."""
    if cand.speaker is None:
        return None
    lang = language(cand.text)
    for near in found:
        if language(near.text) != lang:
            continue  # the English encoder's cosine means nothing across languages
        kind = grouping.mark(near.text, cand.text, nearest=False)
        if kind is None or near.meaning < grouping.least_cosine(kind):
            continue
        claim = store.get_claim(near.claim_id)
        if claim.status == ClaimStatus.dropped or "merged_into" in claim.extra:
            continue
        if claim.claimant and not grouping.same_speaker(claim.claimant, cand.speaker):
            return claim.id
    return across.same_event(store, cand.text, cand.speaker, lang, scan)


def _last_event(store: Store) -> int:
    return int(store.conn.execute("SELECT COALESCE(max(seq), 0) FROM events").fetchone()[0])


def _claims_changed_since(store: Store, seq: int) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM events WHERE seq > ? AND target LIKE 'claim:%' LIMIT 1", (seq,)
    ).fetchone()
    return row is not None


def _apply(
    store: Store,
    doc: Document,
    plan: _Planned,
    now: datetime,
    result: IngestResult,
) -> None:
    """Write one planned group (inside the transaction)."""
    target_id = plan.join.created if plan.join is not None else plan.target
    if target_id is not None and _has_claim(store, target_id):
        target = store.get_claim(target_id)
        have = {a.statement.strip().lower() for a in target.accounts}
        fresh = [a for a in plan.accounts if a.statement.strip().lower() not in have]
        result.duplicates += len(plan.accounts) - len(fresh)
        if fresh:
            result.attached += len(fresh)
            store.tx_update_claim(
                target.model_copy(update={"accounts": [*target.accounts, *fresh]}),
                "ingest.attach",
            )
        return
    first = plan.members[0]
    # A microsecond apart, so the list shows the claims in the document's order.
    at = now + timedelta(microseconds=len(result.claims))
    claim = Claim(
        id=new_id("c"),
        text=first.text,
        claimant=first.speaker or "",
        origin=plan.accounts[0].origin,
        checkworthiness=round(max(m.score for m in plan.members), 4),
        status=ClaimStatus.proposed,
        accounts=plan.accounts,
        created=at,
        updated=at,
        extra={"ingested_from": doc.address} if doc.address else {},
    )
    store.tx_insert_claim(claim, "ingest.propose")
    plan.created = claim.id
    result.claims.append(claim.id)


def _has_claim(store: Store, claim_id: str) -> bool:
    return (
        store.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim_id,)).fetchone() is not None
    )
