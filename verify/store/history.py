"""Undo and redo over the event log: an action's events are taken back together."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from verify.errors import StaleWriteError
from verify.models import Claim, Event, Settings, Source
from verify.store.records import RecordStore
from verify.store.rows import UNDOABLE, content, dump_json
from verify.store.rows import event as event_row

if TYPE_CHECKING:
    from verify import importlog
else:
    from verify.lazy import lazy

    # Needed only when an import is undone or redone: other commands do without it.
    importlog = lazy("verify.importlog")


class Store(RecordStore):
    """An open casebook: a file, or a database on a PostgreSQL server."""

    # -- undo / redo ---------------------------------------------------------------------

    def undo(self) -> Event | None:
        """Revert the latest change that is not yet undone; None when there is none."""
        with self.transaction():
            row = self._last_undoable()
            if row is None:
                return None
            event = event_row(row)
            for part in reversed(self._group_of(event)):
                if importlog.is_import(part.target):
                    importlog.undo(self.conn, part.target, self.tx_log)  # every batch at once
                else:
                    self._apply(part.target, part.after, part.before)
                self.conn.execute("UPDATE events SET undone = 1 WHERE seq = ?", (part.seq,))
            self.tx_log("undo", event.target, {"seq": event.seq}, None)
            return event

    def redo(self) -> Event | None:
        """Re-apply the earliest change undone since the last new change."""
        with self.transaction():
            # Only what was undone after the latest new change can be redone: a new change
            # (even one undone since) ends the redo chain, as in any editor.
            last_new = self.conn.execute(
                "SELECT COALESCE(max(seq), 0) FROM events WHERE "
                f"action NOT IN ('undo', 'redo') AND {UNDOABLE}"
            ).fetchone()[0]
            row = self.conn.execute(
                "SELECT seq, at, actor, action, target, before, after, undone FROM events "
                f"WHERE undone = 1 AND {UNDOABLE} AND seq IN (SELECT "
                "CAST(json_extract(before, '$.seq') AS INTEGER) FROM events "
                "WHERE action = 'undo' AND seq > ?) "
                "ORDER BY seq LIMIT 1",
                (last_new,),
            ).fetchone()
            if row is None:
                return None
            event = event_row(row)
            for part in self._group_of(event):
                if importlog.is_import(part.target):
                    raise importlog.refuse_redo()
                self._apply(part.target, part.before, part.after)
                self.conn.execute("UPDATE events SET undone = 0 WHERE seq = ?", (part.seq,))
            self.tx_log("redo", event.target, {"seq": event.seq}, None)
            return event

    def _group_of(self, event: Event) -> list[Event]:
        """The events of the action `event` belongs to, in the order they were logged."""
        if not self._search_index:
            return [event]
        row = self.conn.execute("SELECT grp FROM events WHERE seq = ?", (event.seq,)).fetchone()
        if row is None or row[0] is None:
            return [event]
        rows = self.conn.execute(
            "SELECT seq, at, actor, action, target, before, after, undone FROM events "
            f"WHERE grp = ? AND {UNDOABLE} ORDER BY seq",
            (row[0],),
        )
        return [event_row(r) for r in rows]

    def _last_undoable(self) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self.conn.execute(
            "SELECT seq, at, actor, action, target, before, after, undone FROM events "
            f"WHERE undone = 0 AND action NOT IN ('undo', 'redo') AND {UNDOABLE} "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return row

    def _apply(
        self, target: str, expect: dict[str, Any] | None, state: dict[str, Any] | None
    ) -> None:
        """Move `target` from `expect` to `state`, refusing if it changed in between."""
        kind, _, ident = target.partition(":")
        if kind == "claim":
            row = self.conn.execute(
                "SELECT revision, body FROM claims WHERE id = ?", (ident,)
            ).fetchone()
            current_rev = row[0] if row else 0
            current = content(json.loads(row[1])) if row else None
            if current != (content(expect) if expect is not None else None):
                raise StaleWriteError(
                    f"claim {ident} changed since; nothing to undo safely (reload it first)"
                )
            if state is None:
                self._delete_claim_row(ident)
            else:
                restored = Claim.model_validate_json(json.dumps(state))
                restored = restored.model_copy(
                    update={"revision": current_rev + 1, "updated": self.clock()}
                )
                self.tx_write_claim_row(restored)
        elif kind == "source":
            if state is None:
                self.conn.execute("DELETE FROM sources WHERE id = ?", (ident,))
            else:
                self.tx_write_source_row(Source.model_validate_json(json.dumps(state)))
        elif kind == "casebook" and state is not None:
            settings = Settings.model_validate_json(json.dumps(state))
            self.put_meta("settings", dump_json(settings))
            self._settings = self._settings_seen = None
