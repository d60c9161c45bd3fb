"""From a document to proposed claims: sentences, attribution, check-worthiness, grouping.

`extract` analyses text without saving; `ingest` archives the document and stores the
proposed claims (status `proposed`) with their accounts, as one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from verify import anchor
from verify.ids import new_id, stable_id
from verify.ingest import attribution, grouping, sentences, speakers, worthiness
from verify.ingest.documents import Archived
from verify.models import Account, Claim, ClaimStatus, Source
from verify.store import Store

DUPLICATE_SIMILARITY = 0.8
"""An existing claim this alike is the same claim: attach to it instead of adding another."""


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


def extract(text: str, threshold: float = worthiness.THRESHOLD) -> Analysis:
    """Check-worthy sentences with who says them, grouped into accounts of the same event."""
    statements: list[Candidate] = []
    found: list[Candidate] = []
    split = sentences.split(text)
    by_sentence: dict[int, list[attribution.Found]] = {}
    for each in attribution.find(text, split):
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
        statements, worthiness.scores([c.text for c in statements]), strict=True
    ):
        if score >= threshold:
            cand.score = score
            found.append(cand)
    numbers = grouping.group([c.text for c in found], [c.speaker for c in found])
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


def ingest(store: Store, archived: Archived) -> IngestResult:
    """Archive a document and propose its claims; re-ingesting the same bytes adds nothing."""
    doc = archived.document
    result = IngestResult(doc.id, doc.address, new_document=False, warnings=archived.warnings)
    if store.has_document(doc.id):
        return result
    analysis = extract(doc.text)
    result.new_document = True
    result.sentences = analysis.sentences
    result.candidates = len(analysis.candidates)
    result.groups = analysis.groups
    now = store.clock()
    known = {s.id: s for s in store.sources()}
    with store.transaction():
        store.tx_insert_document(doc, archived.raw)
        groups: dict[str, list[Candidate]] = {}
        for cand in analysis.candidates:
            groups.setdefault(cand.group, []).append(cand)
        for members in groups.values():
            accounts = []
            for cand in members:
                source, created = _source_for(known, cand.speaker, cand.anonymous)
                if source is not None and created:
                    store.tx_put_source(source, "source.create")
                accounts.append(
                    Account(
                        id=new_id("a"),
                        source_id=source.id if source else None,
                        statement=cand.text,
                        origin=anchor.selector_for(doc.id, doc.text, cand.start, cand.end),
                    )
                )
            existing = store.similar(members[0].text, top=1)
            if existing and existing[0].similarity >= DUPLICATE_SIMILARITY:
                target = store.get_claim(existing[0].claim_id)
                have = {a.statement.strip().lower() for a in target.accounts}
                fresh = [a for a in accounts if a.statement.strip().lower() not in have]
                result.duplicates += len(accounts) - len(fresh)
                if fresh:
                    result.attached += len(fresh)
                    store.tx_update_claim(
                        target.model_copy(update={"accounts": [*target.accounts, *fresh]}),
                        "ingest.attach",
                    )
                continue
            first = members[0]
            # A microsecond apart, so the list shows the claims in the document's order.
            at = now + timedelta(microseconds=len(result.claims))
            claim = Claim(
                id=new_id("c"),
                text=first.text,
                claimant=first.speaker or "",
                origin=accounts[0].origin,
                checkworthiness=round(max(m.score for m in members), 4),
                status=ClaimStatus.proposed,
                accounts=accounts,
                created=at,
                updated=at,
                extra={"ingested_from": doc.address} if doc.address else {},
            )
            store.tx_insert_claim(claim, "ingest.propose")
            result.claims.append(claim.id)
    return result
