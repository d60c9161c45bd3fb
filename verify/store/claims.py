"""Claims: the list's summary rows, one claim's body, optimistic-revision writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from verify import digests
from verify.errors import NotFoundError, StaleWriteError, VerifyError
from verify.models import Claim, ClaimSummary
from verify.store.core import StoreBase
from verify.store.rows import SUMMARY_COLUMNS, claim_columns, dump_json, first_error, summary

if TYPE_CHECKING:
    from verify import match
    from verify import search as fulltext
else:
    from verify.lazy import lazy

    # Needed only when a claim's words are written or searched: a command that only reads
    # (`verify show`, `verify list`) does without loading them.
    match, fulltext = lazy("verify.match"), lazy("verify.search")


class ClaimStore(StoreBase):
    # -- claims --------------------------------------------------------------------------

    def count_claims(self) -> int:
        return int(self.conn.execute(self.backend.count_claims_sql).fetchone()[0])

    def summaries(
        self,
        *,
        verdict: str | None = None,
        status: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ClaimSummary]:
        """Claim list rows from summary columns, in the order they were entered."""
        where, args = [], []
        if verdict is not None:
            where.append("verdict = ?")
            args.append(verdict)
        if status is not None:
            where.append("status = ?")
            args.append(status)
        sql = f"SELECT {SUMMARY_COLUMNS} FROM claims"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [summary(r) for r in self.conn.execute(sql, args)]

    def summaries_for(self, ids: Sequence[str]) -> dict[str, ClaimSummary]:
        out: dict[str, ClaimSummary] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {SUMMARY_COLUMNS} FROM claims WHERE id IN ({marks})"
            for r in self.conn.execute(sql, chunk):
                out[r[0]] = summary(r)
        return out

    def position_of(self, claim_id: str) -> int | None:
        """The claim's row in list order, or None when it is not in the casebook."""
        row = self.conn.execute("SELECT created FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            return None
        before = self.conn.execute(
            "SELECT count(*) FROM claims WHERE created < ? OR (created = ? AND id < ?)",
            (row[0], row[0], claim_id),
        ).fetchone()[0]
        return int(before)

    def search_corpus(self) -> tuple[list[str], list[str]]:
        """(ids, lowercased search texts) in list order, for the list filter."""
        ids: list[str] = []
        texts: list[str] = []
        for claim_id, search in self.conn.execute(
            "SELECT id, search FROM claims ORDER BY created, id"
        ):
            ids.append(claim_id)
            texts.append(search)
        return ids, texts

    def get_claim(self, claim_id: str) -> Claim:
        row = self.conn.execute("SELECT body FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no claim with id {claim_id!r}")
        try:
            return Claim.model_validate_json(row[0])
        except ValidationError as exc:
            raise VerifyError(f"claim {claim_id} is damaged: {first_error(exc)}") from None

    def iter_claims(self) -> Iterator[Claim]:
        for (body,) in self.backend.stream("SELECT body FROM claims ORDER BY created, id"):
            yield Claim.model_validate_json(body)

    def similar(self, text: str, top: int = 5, exclude: str | None = None) -> list[match.Match]:
        """Earlier claims that look like `text` ("already checked?")."""
        if not self._match_index:
            return []
        return match.search(self.conn, text, top=top, exclude=exclude)

    def find_by_ref(self, ref: str) -> str | None:
        row = self.conn.execute("SELECT id FROM claims WHERE ref = ? LIMIT 1", (ref,)).fetchone()
        return row[0] if row else None

    def unstored(self, claims: Sequence[Claim]) -> list[Claim]:
        """Those of `claims` whose id is not in the casebook yet."""
        query = "SELECT 1 FROM claims WHERE id = ?"
        return [c for c in claims if self.conn.execute(query, (c.id,)).fetchone() is None]

    def tx_write_claim_row(self, claim: Claim, words_changed: bool = True) -> None:
        body = dump_json(claim)
        columns = claim_columns(claim)
        if self._sealed:
            columns["digest"] = digests.record("claims", claim.id, body)
        if not self._assignable:  # a casebook kept at an older schema (tests, migrations)
            del columns["assignee"]
        names = ["id", *columns, "body"]
        updates = ", ".join(f"{n}=excluded.{n}" for n in names[1:])
        self.conn.execute(
            f"INSERT INTO claims ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            (claim.id, *columns.values(), body),
        )
        if self._match_index and words_changed:
            match.index_claim(
                self.conn, claim.id, match.indexed_text(claim.text, claim.extra), claim.text
            )
        if self._search_index:
            fulltext.index_claim(self.conn, claim)

    def add_claim(self, claim: Claim, action: str = "claim.create") -> Claim:
        """Store a new claim as one action."""
        with self.transaction():
            self.tx_insert_claim(claim, action)
        return claim

    def tx_insert_claim(self, claim: Claim, action: str) -> None:
        exists = self.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim.id,)).fetchone()
        if exists:
            raise VerifyError(f"a claim with id {claim.id} already exists")
        self.tx_write_claim_row(claim)
        self.tx_log(action, f"claim:{claim.id}", None, claim.model_dump(mode="json"))

    def save_claim(self, claim: Claim, action: str) -> Claim:
        """Write an edited claim if nobody changed it since it was read; returns the new state.

        `claim.revision` must be the revision that was read; the stored one becomes +1.
        """
        with self.transaction():
            return self.tx_update_claim(claim, action)

    def tx_update_claim(self, claim: Claim, action: str) -> Claim:
        row = self.conn.execute(
            "SELECT revision, body FROM claims WHERE id = ?", (claim.id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no claim with id {claim.id!r}")
        if row[0] != claim.revision:
            raise StaleWriteError(
                f"claim {claim.id} was changed elsewhere (revision {row[0]}, you edited "
                f"revision {claim.revision}); reload it and try again"
            )
        new = claim.model_copy(update={"revision": claim.revision + 1, "updated": self.clock()})
        # model_copy does not validate: validate what is about to be stored, so an edit built
        # with model_copy can never write a record the next read would refuse.
        new = Claim.model_validate_json(dump_json(new))
        before = json.loads(row[1])
        # A verdict, note or account leaves what the claim is matched on as it was: its
        # postings and vector stay, and the edit does not pay for re-indexing them.
        words_changed = before.get("text") != new.text or match.indexed_text(
            str(before.get("text", "")), before.get("extra") or {}
        ) != match.indexed_text(new.text, new.extra)
        self.tx_write_claim_row(new, words_changed)
        self.tx_log(action, f"claim:{claim.id}", before, new.model_dump(mode="json"))
        return new

    def save_claims(self, changes: Sequence[tuple[Claim, str]]) -> list[Claim]:
        """Several claim edits as one action (a merge touches two claims), undone together."""
        with self.transaction(), self.grouped():
            return [self.tx_update_claim(claim, action) for claim, action in changes]

    def claim_holding(self, item_id: str) -> str | None:
        """The claim whose account or evidence item has this id."""
        row = self.conn.execute(
            "SELECT claims.id FROM claims, json_each(claims.body, '$.accounts') AS a "
            "WHERE json_extract(a.value, '$.id') = ? UNION ALL "
            "SELECT claims.id FROM claims, json_each(claims.body, '$.evidence') AS e "
            "WHERE json_extract(e.value, '$.id') = ? LIMIT 1",
            (item_id, item_id),
        ).fetchone()
        return row[0] if row else None

    def claims_citing(self, source_id: str) -> list[str]:
        """Claims whose accounts or evidence cite this source."""
        rows = self.conn.execute(
            "SELECT DISTINCT claims.id FROM claims, json_each(claims.body, '$.accounts') AS a "
            "WHERE json_extract(a.value, '$.source_id') = ? UNION "
            "SELECT claims.id FROM claims, json_each(claims.body, '$.evidence') AS e "
            "WHERE json_extract(e.value, '$.source_id') = ?",
            (source_id, source_id),
        )
        return sorted(r[0] for r in rows)

    def delete_claim(self, claim_id: str, action: str = "claim.delete") -> Claim:
        """Remove a claim as one undoable action; returns what was removed."""
        with self.transaction():
            claim = self.get_claim(claim_id)
            row = self.conn.execute("SELECT body FROM claims WHERE id = ?", (claim_id,)).fetchone()
            self._delete_claim_row(claim_id)
            self.tx_log(action, f"claim:{claim_id}", json.loads(row[0]), None)
            return claim

    def _delete_claim_row(self, claim_id: str) -> None:
        self.conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
        if self._match_index:
            match.unindex_claim(self.conn, claim_id)
        if self._search_index:
            fulltext.unindex(self.conn, claim_id)

    def update_claim(self, claim_id: str, edit: Callable[[Claim], Claim], action: str) -> Claim:
        """Read, edit and write one claim in a single transaction (CLI-style actions)."""
        with self.transaction():
            current = self.get_claim(claim_id)
            return self.tx_update_claim(edit(current), action)
