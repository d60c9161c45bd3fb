"""Sources and archived documents."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from verify import digests
from verify.errors import NotFoundError, VerifyError
from verify.models import Claim, Document, Source
from verify.store.claims import ClaimStore
from verify.store.rows import dump_json

if TYPE_CHECKING:
    from verify import search as fulltext
else:
    from verify.lazy import lazy

    # Needed only when a record's text is written: reading commands do without it.
    fulltext = lazy("verify.search")


class RecordStore(ClaimStore):
    # -- sources -------------------------------------------------------------------------

    def get_source(self, source_id: str) -> Source:
        row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no source with id {source_id!r}")
        return Source.model_validate_json(row[0])

    def sources(self) -> list[Source]:
        rows = self.conn.execute("SELECT body FROM sources ORDER BY name, id")
        return [Source.model_validate_json(r[0]) for r in rows]

    def sources_for(self, claim: Claim) -> dict[str, Source]:
        """The sources a claim's accounts and evidence cite (not the whole casebook's)."""
        ids = {a.source_id for a in claim.accounts if a.source_id}
        ids |= {e.source_id for e in claim.evidence if e.source_id}
        out: dict[str, Source] = {}
        for sid in ids:
            row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (sid,)).fetchone()
            if row:
                out[sid] = Source.model_validate_json(row[0])
        return out

    def documents_for(self, claim: Claim) -> dict[str, Document]:
        """The archived documents a claim's selectors point into."""
        selectors = [claim.origin] + [a.origin for a in claim.accounts]
        selectors += [e.selector for e in claim.evidence]
        ids = {s.document_id for s in selectors if s is not None}
        ids |= {e.document_id for e in claim.evidence if e.document_id}
        out = {}
        for did in ids:
            row = self.conn.execute("SELECT body FROM documents WHERE id = ?", (did,)).fetchone()
            if row:
                out[did] = Document.model_validate_json(row[0])
        return out

    def put_source(self, source: Source, action: str = "source.save") -> Source:
        with self.transaction():
            self.tx_put_source(source, action)
        return source

    def tx_delete_source(self, source_id: str, action: str) -> None:
        row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no source with id {source_id!r}")
        self.conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        self.tx_log(action, f"source:{source_id}", json.loads(row[0]), None)

    def tx_put_source(self, source: Source, action: str) -> None:
        row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (source.id,)).fetchone()
        self.tx_write_source_row(source)
        before = json.loads(row[0]) if row else None
        self.tx_log(action, f"source:{source.id}", before, source.model_dump(mode="json"))

    def tx_write_source_row(self, source: Source) -> None:
        body = dump_json(source)
        args: tuple[Any, ...] = (source.id, source.name, source.grade, body)
        if self._sealed:
            args += (digests.record("sources", source.id, body),)
        self.conn.execute(
            f"INSERT INTO sources (id, name, grade, body{', digest' if self._sealed else ''}) "
            f"VALUES ({', '.join('?' * len(args))}) "
            "ON CONFLICT (id) DO UPDATE SET name=excluded.name, grade=excluded.grade, "
            f"body=excluded.body{', digest=excluded.digest' if self._sealed else ''}",
            args,
        )

    # -- documents -----------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return bool(self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone())

    def get_document(self, doc_id: str) -> Document:
        row = self.conn.execute("SELECT body FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return Document.model_validate_json(row[0])

    def document_raw(self, doc_id: str) -> bytes:
        row = self.conn.execute("SELECT raw FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return bytes(row[0])

    def documents(self) -> list[Document]:
        rows = self.conn.execute("SELECT body FROM documents ORDER BY retrieved, id")
        return [Document.model_validate_json(r[0]) for r in rows]

    def add_document(self, doc: Document, raw: bytes) -> bool:
        """Archive a document; False when the same content is already archived."""
        with self.transaction():
            return self.tx_insert_document(doc, raw)

    def tx_insert_document(self, doc: Document, raw: bytes, log: bool = True) -> bool:
        if hashlib.sha256(raw).hexdigest() != doc.id:
            raise VerifyError("document id does not match the sha256 of its content")
        if self.has_document(doc.id):
            return False
        body = dump_json(doc)
        args: tuple[Any, ...] = (
            doc.id,
            doc.address,
            doc.title,
            doc.retrieved.isoformat(),
            doc.text_sha256,
            body,
            raw,
        )
        if self._sealed:
            args += (digests.record("documents", doc.id, body),)
        self.conn.execute(
            "INSERT INTO documents (id, address, title, retrieved, text_sha256, body, raw"
            f"{', digest' if self._sealed else ''}) VALUES ({', '.join('?' * len(args))})",
            args,
        )
        if self._search_index:
            fulltext.index_document(self.conn, doc)
        if log:
            meta = doc.model_dump(mode="json", exclude={"text"})
            self.tx_log("document.archive", f"document:{doc.id}", None, meta)
        return True

    def save_claim_with_sources(
        self, claim: Claim, sources: Sequence[Source], action: str
    ) -> Claim:
        """A claim edit that also creates or regrades sources, as one transaction."""
        with self.transaction():
            for source in sources:
                self.tx_put_source(source, "source.save")
            return self.tx_update_claim(claim, action)

    def put_sources(self, sources: Sequence[Source], action: str = "source.grade") -> None:
        with self.transaction():
            for source in sources:
                self.tx_put_source(source, action)
