"""Correcting anything: edit and delete claims, accounts, evidence and sources; merge sources.

One function per action, shared by the CLI and the TUI. Each checks everything first and then
writes in one transaction with one event (a source merge: one group of events), so a refused
edit changes nothing and every accepted one can be undone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from pydantic import ValidationError

from verify.errors import NotFoundError, VerifyError
from verify.models import (
    Account,
    Assessment,
    Claim,
    ClaimStatus,
    Evidence,
    Source,
    Stance,
)
from verify.store import Store

GRADES = ("A", "B", "C", "D", "E", "F")
STANCES = tuple(s.value for s in Stance)


def check_date(value: str) -> str:
    """A claim date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD, and a real one."""
    value = value.strip()
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            int(parts[0])
        elif len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            Date(int(parts[0]), int(parts[1]), 1)
        elif len(parts) == 3 and len(value) == 10:
            Date.fromisoformat(value)
        else:
            raise ValueError
    except ValueError:
        raise VerifyError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return value


def parse_tags(value: str) -> list[str]:
    seen: list[str] = []
    for tag in value.split(","):
        tag = " ".join(tag.split())
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def parse_stance(value: str) -> tuple[str, Stance | None]:
    """`ACCOUNT_ID=CC|C|N|I|II` (an empty stance clears it)."""
    account_id, sep, code = value.partition("=")
    if not sep or not account_id.strip():
        raise VerifyError(f"a stance is ACCOUNT_ID=STANCE, not {value!r}")
    code = code.strip().upper()
    if not code:
        return account_id.strip(), None
    if code not in STANCES:
        raise VerifyError(f"unknown stance {code!r} (use {', '.join(STANCES)})")
    return account_id.strip(), Stance(code)


def _validated(claim: Claim, update: Mapping[str, Any]) -> Claim:
    """The claim with `update` applied, validated the way the store will read it back."""
    data = claim.model_dump(mode="json")
    data.update(update)
    try:
        return Claim.model_validate(data, strict=False)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise VerifyError(f"{where}: {err['msg']}") from None


def _source_or_none(store: Store, source_id: str | None) -> str | None:
    if not source_id:
        return None
    store.get_source(source_id)  # refuses an unknown source
    return source_id


@dataclass
class ClaimEdit:
    text: str | None = None
    claimant: str | None = None
    date: str | None = None
    tags: Sequence[str] | None = None
    status: str | None = None


def claim_update(claim: Claim, edit: ClaimEdit) -> dict[str, Any]:
    """The fields `edit` changes, checked; raises on anything impossible."""
    update: dict[str, Any] = {}
    if edit.text is not None:
        text = edit.text.strip()
        if not text:
            raise VerifyError("a claim needs its text")
        update["text"] = text
    if edit.claimant is not None:
        update["claimant"] = edit.claimant.strip()
    if edit.date is not None:
        update["date"] = check_date(edit.date)
    if edit.tags is not None:
        update["tags"] = list(edit.tags)
    if edit.status is not None:
        try:
            status = ClaimStatus(edit.status)
        except ValueError:
            known = ", ".join(s.value for s in ClaimStatus)
            raise VerifyError(f"unknown status {edit.status!r} (use {known})") from None
        if status is ClaimStatus.decided and claim.verdict is None:
            raise VerifyError("set a verdict to decide a claim")
        update["status"] = status.value
    return update


def edit_claim(store: Store, claim_id: str, edit: ClaimEdit) -> Claim:
    with store.transaction():
        claim = store.get_claim(claim_id)
        new = _validated(claim, claim_update(claim, edit))
        return store.tx_update_claim(new, "claim.edit")


def _holder(store: Store, item_id: str, what: str) -> Claim:
    claim_id = store.claim_holding(item_id)
    if claim_id is None:
        raise NotFoundError(f"no {what} with id {item_id!r}")
    return store.get_claim(claim_id)


def edit_account(
    store: Store,
    account_id: str,
    *,
    statement: str | None = None,
    source_id: str | None = None,
    assessment: str | None = None,
) -> Claim:
    """Change an account's statement, source ('' for none) or own assessment."""
    with store.transaction():
        claim = _holder(store, account_id, "account")
        account = claim.account(account_id)
        if account is None:
            raise NotFoundError(f"no account with id {account_id!r}")
        changes: dict[str, Any] = {}
        if statement is not None:
            if not statement.strip():
                raise VerifyError("an account needs a statement")
            changes["statement"] = statement.strip()
        if source_id is not None:
            changes["source_id"] = _source_or_none(store, source_id)
        if assessment is not None:
            try:
                changes["assessment"] = Assessment(assessment).value
            except ValueError:
                known = ", ".join(a.value for a in Assessment)
                raise VerifyError(f"unknown assessment {assessment!r} (use {known})") from None
        accounts = [
            {**a.model_dump(mode="json"), **changes} if a.id == account_id else a
            for a in claim.accounts
        ]
        new = _validated(claim, {"accounts": [_dump(a) for a in accounts]})
        return store.tx_update_claim(new, "account.edit")


def _dump(item: Account | Evidence | dict[str, Any]) -> dict[str, Any]:
    return item if isinstance(item, dict) else item.model_dump(mode="json")


def stances_for(
    claim: Claim, pairs: Sequence[tuple[str, Stance | None]]
) -> dict[str, Stance | None]:
    """Stances keyed by account, refusing any account that is not this claim's."""
    out: dict[str, Stance | None] = {}
    for account_id, stance in pairs:
        if claim.account(account_id) is None:
            raise VerifyError(f"account {account_id} is not an account of claim {claim.id}")
        out[account_id] = stance
    return out


def edit_evidence(
    store: Store,
    evidence_id: str,
    *,
    summary: str | None = None,
    note: str | None = None,
    credibility: int | None = None,
    source_id: str | None = None,
    stances: Sequence[tuple[str, Stance | None]] = (),
) -> Claim:
    with store.transaction():
        claim = _holder(store, evidence_id, "evidence item")
        item = next(e for e in claim.evidence if e.id == evidence_id)
        changes: dict[str, Any] = {}
        if summary is not None:
            changes["summary"] = summary.strip()
        if note is not None:
            changes["note"] = note
        if credibility is not None:
            if not 1 <= credibility <= 6:
                raise VerifyError("credibility is 1 (confirmed) to 6 (cannot be judged)")
            changes["credibility"] = credibility
        if source_id is not None:
            changes["source_id"] = _source_or_none(store, source_id)
        if stances:
            merged = {k: v.value for k, v in item.stances.items()}
            for account_id, stance in stances_for(claim, stances).items():
                if stance is None:
                    merged.pop(account_id, None)
                else:
                    merged[account_id] = stance.value
            changes["stances"] = merged
        evidence = [
            {**e.model_dump(mode="json"), **changes} if e.id == evidence_id else _dump(e)
            for e in claim.evidence
        ]
        new = _validated(claim, {"evidence": evidence})
        return store.tx_update_claim(new, "evidence.edit")


def edit_source(
    store: Store, source_id: str, *, name: str | None = None, grade: str | None = None
) -> Source:
    with store.transaction():
        source = store.get_source(source_id)
        changes: dict[str, Any] = {}
        if name is not None:
            if not name.strip():
                raise VerifyError("a source needs a name")
            changes["name"] = " ".join(name.split())
        if grade is not None:
            if grade.upper() not in GRADES:
                raise VerifyError(f"grade is one of {', '.join(GRADES)}, not {grade!r}")
            changes["grade"] = grade.upper()
        new = Source.model_validate({**source.model_dump(mode="json"), **changes}, strict=False)
        store.tx_put_source(new, "source.edit")
        return new


def delete_claim(store: Store, claim_id: str) -> Claim:
    return store.delete_claim(claim_id)


def delete_account(store: Store, account_id: str) -> Claim:
    """Remove an account and the stances evidence took on it."""
    with store.transaction():
        claim = _holder(store, account_id, "account")
        accounts = [_dump(a) for a in claim.accounts if a.id != account_id]
        evidence = []
        for e in claim.evidence:
            data = e.model_dump(mode="json")
            data["stances"] = {k: v for k, v in data["stances"].items() if k != account_id}
            evidence.append(data)
        new = _validated(claim, {"accounts": accounts, "evidence": evidence})
        return store.tx_update_claim(new, "account.delete")


def delete_evidence(store: Store, evidence_id: str) -> Claim:
    with store.transaction():
        claim = _holder(store, evidence_id, "evidence item")
        evidence = [_dump(e) for e in claim.evidence if e.id != evidence_id]
        new = _validated(claim, {"evidence": evidence})
        return store.tx_update_claim(new, "evidence.delete")


def merge_sources(store: Store, keep_id: str, other_id: str) -> tuple[Source, list[str]]:
    """Fold one source into another: accounts and evidence citing it follow; one undo."""
    if keep_id == other_id:
        raise VerifyError("a source cannot be merged into itself")
    with store.transaction(), store.grouped():
        keep = store.get_source(keep_id)
        store.get_source(other_id)
        changed = []
        for claim_id in store.claims_citing(other_id):
            claim = store.get_claim(claim_id)
            accounts = [_resourced(a, other_id, keep_id) for a in claim.accounts]
            evidence = [_resourced(e, other_id, keep_id) for e in claim.evidence]
            new = _validated(claim, {"accounts": accounts, "evidence": evidence})
            store.tx_update_claim(new, "source.merge")
            changed.append(claim_id)
        store.tx_delete_source(other_id, "source.merge")
        return keep, changed


def _resourced(item: Account | Evidence, old: str, new: str) -> dict[str, Any]:
    data = item.model_dump(mode="json")
    if data.get("source_id") == old:
        data["source_id"] = new
    return data


@dataclass(frozen=True)
class SourceUse:
    source: Source
    accounts: int
    evidence: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.source.id,
            "name": self.source.name,
            "grade": self.source.grade,
            "kind": self.source.kind.value,
            "accounts": self.accounts,
            "evidence": self.evidence,
        }


def source_uses(store: Store) -> list[SourceUse]:
    """Every source with how many accounts and evidence items cite it."""
    counts: dict[str, list[int]] = {}
    for field, slot in (("accounts", 0), ("evidence", 1)):
        rows = store.conn.execute(
            "SELECT json_extract(x.value, '$.source_id'), count(*) FROM claims, "
            f"json_each(claims.body, '$.{field}') AS x GROUP BY 1"
        )
        for sid, n in rows:
            if sid:
                counts.setdefault(sid, [0, 0])[slot] = int(n)
    return [SourceUse(s, *counts.get(s.id, [0, 0])) for s in store.sources()]
