"""The event log in plain words: "verdict on 'Ukrainian attacks killed…'", not ids."""

from __future__ import annotations

from typing import Any

from verify.models import Event
from verify.textsafe import one_line

WHAT = {
    "claim.create": "new claim",
    "claim.edit": "edit",
    "claim.verdict": "verdict",
    "claim.rationale": "rationale",
    "claim.grade": "grades",
    "claim.delete": "deleted claim",
    "claim.assign": "assignment",
    "account.add": "new account",
    "account.edit": "account edit",
    "account.delete": "deleted account",
    "evidence.add": "new evidence",
    "evidence.attach": "new evidence",
    "evidence.edit": "evidence edit",
    "evidence.delete": "deleted evidence",
    "source.create": "new source",
    "source.save": "source",
    "source.grade": "source grade",
    "source.edit": "source edit",
    "source.merge": "source merge",
    "triage.accept": "accepted",
    "triage.drop": "dropped",
    "triage.merge": "merge",
    "ingest.propose": "proposed by ingest",
    "ingest.attach": "evidence from ingest",
    "document.archive": "archived document",
    "settings.update": "settings",
    "import": "import",
}
TITLE_CHARS = 40


def _title(body: dict[str, Any] | None, target: str) -> str:
    if body:
        for key in ("text", "name", "title", "address"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return f"'{one_line(value, TITLE_CHARS)}'"
    kind = target.partition(":")[0]
    return {"casebook": "the casebook"}.get(kind, f"a {kind}" if kind else "the casebook")


def describe(event: Event) -> str:
    """What an event did, in words a reviewer reads: "verdict on 'Ukrainian attacks…'"."""
    what = WHAT.get(event.action, event.action.replace(".", " ").replace("_", " "))
    title = _title(event.after or event.before, event.target)
    if event.action in ("undo", "redo") and isinstance((event.before or {}).get("seq"), int):
        # The event names what it took back or put again by its number in the history.
        verb = "undid" if event.action == "undo" else "redid"
        return f"{verb} event {event.before['seq']} on {title}"  # type: ignore[index]
    if event.action == "claim.assign" and event.after is not None:
        who = event.after.get("assignee")
        if isinstance(who, str) and who:
            return f"assigned {title} to {one_line(who, TITLE_CHARS)}"
        return f"unassigned {title}"
    return f"{what} on {title}"
