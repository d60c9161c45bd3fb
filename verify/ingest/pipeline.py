"""From a document to proposed claims: sentences, attribution, check-worthiness, grouping.

`extract` analyses text without saving; `ingest` archives the document and stores the
proposed claims (status `proposed`) with their accounts, as one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from verify import anchor, match
from verify.ids import new_id, stable_id
from verify.ingest import attribution, grouping, sentences, worthiness
from verify.ingest.documents import Archived
from verify.models import Account, Claim, ClaimStatus, Document, Source, SourceKind
from verify.store import Store

if TYPE_CHECKING:
    import numpy as np

PRONOUN_REACH = 3
"""A pronoun ("he continued") takes the last named speaker at most this many sentences back."""
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

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": [self.start, self.end],
            "speaker": self.speaker,
            "verb": self.verb,
            "anonymous": self.anonymous,
            "score": round(self.score, 4),
            "group": self.group,
        }


@dataclass
class Analysis:
    sentences: int
    candidates: list[Candidate]

    @property
    def groups(self) -> int:
        return len({c.group for c in self.candidates})


_HEADER = re.compile(r"^(update|updated)\b.*\bgmt\b|^(map|photo|video|source|image)s?:", re.I)
MIN_WORDS = 6


def _is_statement(text: str) -> bool:
    """Sentences, not headers, captions, headlines or lead-ins ("X posted:")."""
    stripped = text.rstrip()
    if _HEADER.search(stripped) or len(stripped.split()) < MIN_WORDS:
        return False
    return stripped.endswith((".", "!", "?", "”", '"', "’", "'", ".)"))


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
    split = sentences.split(text)
    last_person: tuple[str, int] | None = None  # (speaker, sentence index)
    full_names: dict[str, str] = {}  # surname -> the fullest form seen ("Gen. Valerii X")
    lead_in: tuple[str, str, int] | None = None  # "X posted:" -> the next paragraph is X's
    for index, sentence in enumerate(split):
        attr = attribution.attribute(sentence.text)
        speaker, verb, anonymous = attr.speaker, attr.verb, attr.anonymous
        if attr.pronoun:
            # Resolve "he continued" to the last named speaker, if recent and not a group.
            recent = last_person is not None and index - last_person[1] <= PRONOUN_REACH
            speaker = (
                last_person[0] if last_person and recent and attr.speaker in ("he", "she") else None
            )
        elif speaker is None and lead_in and sentence.paragraph == lead_in[2] + 1:
            speaker, verb = lead_in[0], lead_in[1]
        elif speaker and not anonymous and any(w[:1].isupper() for w in speaker.split()):
            surname = speaker.split()[-1].lower()
            known = full_names.get(surname)
            if known and len(known) > len(speaker):
                speaker = known
            else:
                full_names[surname] = speaker
        if speaker and not anonymous and not attr.pronoun:
            last_person = (speaker, index)
        if speaker and sentence.text.rstrip().endswith(":"):
            lead_in = (speaker, verb or "said", sentence.paragraph)
        if not _is_statement(sentence.text):
            continue
        statements.append(
            Candidate(
                sentence.text,
                sentence.start,
                sentence.end,
                speaker,
                verb if speaker else None,
                anonymous if speaker else False,
                0.0,
            )
        )
    # Scored together: the encoder works in batches and re-scores a share of the whole text.
    for cand, score in zip(
        statements, worthiness.scores([c.text for c in statements], vectors), strict=True
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
    sid = stable_id("s", name.lower())
    if sid in known:
        return known[sid], False
    kind = SourceKind.unknown if anonymous else SourceKind.person
    if any(
        w in name.lower()
        for w in (
            "ministry",
            "government",
            "authorities",
            "officials",
            "office",
            "police",
            "army",
            "department",
            "agency",
        )
    ):
        kind = SourceKind.organisation
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
    with match.prepared([p.members[0].text for p in plans], known=vectors):
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
    """Which claim, in the casebook or earlier in the document, each group repeats."""
    fresh: list[tuple[str, _Planned]] = []
    for plan in plans:
        text = plan.members[0].text
        found = store.similar(text, top=1)
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
            fresh.append((query, plan))


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
