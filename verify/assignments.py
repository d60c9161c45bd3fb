"""Who on the desk has which claim: assigning and unassigning, each one undoable claim edit.

The assignee is part of the claim (so undo, redo, export and the tamper digests treat it like
any other field) and a summary column (so "assigned to me" never loads the claims).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from verify.errors import VerifyError
from verify.models import Claim, ClaimSummary
from verify.textsafe import one_line

if TYPE_CHECKING:
    from verify.store import Store

NAME_CHARS = 80
"""Longest reviewer name kept: a login or a short display name, never a paragraph."""

ASSIGN = "claim.assign"


def reviewer_name(name: str) -> str:
    """A reviewer's name as stored: one clean line; an empty one is refused."""
    cleaned = one_line(name)
    if not cleaned:
        raise VerifyError("a reviewer's name cannot be empty (use --none to unassign)")
    if len(cleaned) > NAME_CHARS:
        raise VerifyError(f"a reviewer's name is at most {NAME_CHARS} characters")
    return cleaned


def assign(
    store: Store, claim_id: str, reviewer: str | None, *, revision: int | None = None
) -> tuple[Claim, bool]:
    """Give the claim to `reviewer` (None: to nobody) as one action; (claim, changed).

    With `revision`, the claim must still be at that revision (as `verify show` printed
    it), or nothing is written and the stale write is refused like any other.
    """
    name = "" if reviewer is None else reviewer_name(reviewer)
    with store.transaction():
        claim = store.get_claim(claim_id)
        if revision is not None:
            claim = claim.model_copy(update={"revision": revision})
        elif claim.assignee == name:
            return claim, False
        return store.tx_update_claim(claim.model_copy(update={"assignee": name}), ASSIGN), True


def matches(row: ClaimSummary | Claim, reviewer: str | None) -> bool:
    """Whether a claim is assigned to `reviewer` (None: to nobody); names ignore case."""
    if reviewer is None:
        return not row.assignee
    return row.assignee.casefold() == reviewer.casefold()
