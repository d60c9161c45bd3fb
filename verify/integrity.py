"""`verify check`: is the casebook whole? Hashes, anchors, records, summaries, schema."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from pydantic import ValidationError

from verify import anchor
from verify.migrations import LATEST
from verify.models import AnchorStatus, Claim, Document, Selector, Source
from verify.store import Store


@dataclass(frozen=True)
class Finding:
    severity: str
    """`damage` breaks the casebook (exit non-zero); `drift` is a quote that moved or changed."""
    where: str
    message: str


def check(store: Store) -> list[Finding]:
    found: list[Finding] = []
    conn = store.conn
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [Finding("damage", "file", f"SQLite cannot read the file: {exc}")]
    problems = [r[0] for r in rows if r[0] != "ok"]
    for p in problems[:20]:
        found.append(Finding("damage", "file", f"SQLite integrity: {p}"))
    version = store.schema_version()
    if version != LATEST:
        found.append(Finding("damage", "schema", f"schema {version}, expected {LATEST}"))

    texts: dict[str, str] = {}
    for doc_id, body, raw in conn.execute("SELECT id, body, raw FROM documents"):
        try:
            doc = Document.model_validate_json(body)
        except ValidationError as exc:
            found.append(Finding("damage", f"document {doc_id[:12]}", f"unreadable: {exc}"))
            continue
        if raw is None or hashlib.sha256(bytes(raw)).hexdigest() != doc_id:
            found.append(
                Finding(
                    "damage", f"document {doc_id[:12]}", "archived bytes do not match their sha256"
                )
            )
        if hashlib.sha256(doc.text.encode("utf-8")).hexdigest() != doc.text_sha256:
            found.append(
                Finding(
                    "damage", f"document {doc_id[:12]}", "extracted text does not match its sha256"
                )
            )
        texts[doc_id] = doc.text

    for source_id, body in conn.execute("SELECT id, body FROM sources"):
        try:
            Source.model_validate_json(body)
        except ValidationError:
            found.append(Finding("damage", f"source {source_id}", "record is unreadable"))

    summary_sql = "SELECT id, body, verdict, accounts, evidence, revision FROM claims"
    for claim_id, body, verdict, n_acc, n_ev, revision in conn.execute(summary_sql):
        try:
            claim = Claim.model_validate_json(body)
        except ValidationError as exc:
            err = exc.errors()[0]
            found.append(
                Finding(
                    "damage",
                    f"claim {claim_id}",
                    f"record is unreadable: {'.'.join(map(str, err['loc']))}: {err['msg']}",
                )
            )
            continue
        if (
            claim.id != claim_id
            or (claim.verdict.label if claim.verdict else None) != verdict
            or len(claim.accounts) != n_acc
            or len(claim.evidence) != n_ev
            or claim.revision != revision
        ):
            found.append(
                Finding("damage", f"claim {claim_id}", "summary columns disagree with the record")
            )
        selectors: list[tuple[str, Selector]] = []
        if claim.origin:
            selectors.append(("origin", claim.origin))
        selectors += [(f"account {a.id}", a.origin) for a in claim.accounts if a.origin]
        selectors += [(f"evidence {e.id}", e.selector) for e in claim.evidence if e.selector]
        for label, sel in selectors:
            text = texts.get(sel.document_id)
            where = f"claim {claim_id} {label}"
            if text is None:
                found.append(
                    Finding("damage", where, f"document {sel.document_id[:12]} is missing")
                )
                continue
            now = anchor.reanchor(sel, text)
            if now.status is AnchorStatus.not_found:
                found.append(Finding("damage", where, "quote no longer found in its document"))
            elif now.status != sel.status or now.position != sel.position:
                found.append(
                    Finding(
                        "drift",
                        where,
                        f"quote now {now.status.value}"
                        f" at {now.position.start if now.position else '?'}",
                    )
                )

    for seq, before, after in conn.execute("SELECT seq, before, after FROM events"):
        try:
            for part in (before, after):
                if part is not None:
                    json.loads(part)
        except json.JSONDecodeError:
            found.append(Finding("damage", f"event {seq}", "history entry is unreadable"))
    return found
