"""How casebook rows map to models, the same on every backend."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from verify.models import Claim, ClaimSummary, Event

Clock = Callable[[], datetime]

SUMMARY_COLUMNS = "id, ref, text, status, verdict, accounts, evidence, updated, tags"
"""What the claim list shows, in the order `summary` reads them."""

EVENT_COLUMNS = "seq, at, actor, action, target, before, after, undone"
"""An event row, in the order `event` reads it."""

UNDOABLE = (
    "(target LIKE 'claim:%' OR target LIKE 'source:%' OR "
    "(target = 'casebook' AND before IS NOT NULL) OR "
    "(target LIKE 'import:%' AND action = 'import'))"
)
"""The events undo can take back."""


def default_actor() -> str:
    actor = os.environ.get("VERIFY_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): still record something
        return "reviewer"


def dump_json(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def claim_columns(claim: Claim) -> dict[str, Any]:
    """The summary columns of a claim's row, as its body says they must be."""
    return {
        "ref": claim.ref,
        "text": claim.text,
        "status": claim.status.value,
        "verdict": claim.verdict.label if claim.verdict else None,
        "accounts": len(claim.accounts),
        "evidence": len(claim.evidence),
        "revision": claim.revision,
        "created": claim.created.isoformat(),
        "updated": claim.updated.isoformat(),
        "tags": " ".join(claim.tags),
        "search": search_text(claim),
    }


def search_text(claim: Claim) -> str:
    """What the list filter matches against: the claim, its claimant, tags and accounts."""
    parts = [claim.text, claim.claimant, " ".join(claim.tags)]
    parts += [a.statement for a in claim.accounts]
    return " ".join(p for p in parts if p).lower()


def summary(r: Sequence[Any]) -> ClaimSummary:
    # model_construct: these come from our own columns; validating 100,000 of them is the
    # cost the summary columns exist to avoid.
    return ClaimSummary.model_construct(
        id=r[0],
        ref=r[1],
        text=r[2],
        status=r[3],
        verdict=r[4],
        accounts=r[5],
        evidence=r[6],
        updated=r[7],
        tags=r[8],
    )


def content(body: dict[str, Any]) -> dict[str, Any]:
    """A claim body without its bookkeeping, to tell whether two states say the same."""
    return {k: v for k, v in body.items() if k not in ("revision", "updated")}


def event(row: Sequence[Any]) -> Event:
    return Event(
        seq=row[0],
        at=datetime.fromisoformat(row[1]),
        actor=row[2],
        action=row[3],
        target=row[4],
        before=None if row[5] is None else json.loads(row[5]),
        after=None if row[6] is None else json.loads(row[6]),
        undone=bool(row[7]),
    )


def first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]
