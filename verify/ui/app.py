"""The verify TUI: the claim list on the left, the selected claim's accounts side by side."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from verify import changes, history, listfilter, paths
from verify.errors import VerifyError
from verify.listfilter import ListFilter
from verify.models import Claim, Event, Source, utcnow
from verify.store import Clock, Store, search_text
from verify.ui import already_checked, claim_edits, commands, navigation, watching
from verify.ui import state as ui_state
from verify.ui.already_checked import Answers, Key, Matches
from verify.ui.bindings import BINDINGS, HINT_KEYS
from verify.ui.claim_list import ClaimList, ClaimRows
from verify.ui.claim_view import ClaimContext, ClaimView
from verify.ui.failures import GuardedApp, reported
from verify.ui.memory import Collector
from verify.ui.safe import plain
from verify.ui.screens import AchScreen, DocumentScreen, HelpScreen

THEMES = ("textual-dark", "textual-light")
WATCH_INTERVAL = 0.4
"""Seconds between looks for a colleague's change: asking costs microseconds (no claim is
read unless something changed), and a change shows within a second even when the reload
itself takes a few hundred milliseconds."""


class VerifyApp(GuardedApp):
    CSS_PATH = "app.tcss"
    TITLE = "verify"

    BINDINGS = BINDINGS

    def __init__(
        self,
        casebook: Path | str,
        state_path: Path,
        *,
        clock: Clock | None = None,
        actor: str | None = None,
        keymap_path: Path | None = None,
        watch_interval: float = WATCH_INTERVAL,
    ) -> None:
        super().__init__()
        self.state_path = state_path
        self.keymap_path = keymap_path
        self.watch_interval = watch_interval
        self.store = Store.open(casebook, actor=actor, clock=clock or utcnow)
        # A file's path; for a casebook on a server, the local name reports are saved under.
        self.casebook_path = self.store.path
        self.rows = ClaimRows(self.store)
        self.ui_state = ui_state.load(state_path)
        self.book_state = self.ui_state.for_casebook(self.casebook_path)
        self.ctx: ClaimContext | None = None
        self._filter_index: ListFilter | None = None
        self.store.changed_elsewhere()  # from now on
        self._seen_seq = changes.latest(self.store)
        """The latest event this app has reloaded for, so a colleague's save reloads only
        the claims it changed."""
        self._save_timer: object | None = None
        self._detail_timer: object | None = None
        self.answers = Answers()
        """"Already checked?" answers, searched in a worker (verify/ui/already_checked.py)."""
        self.told_search_failed = False
        self._settled_after_search = False
        self.collector = Collector(self)
        """Garbage collection between frames, not inside them (verify/ui/memory.py)."""

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="✓")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(
                    placeholder="/ filter: words, status: verdict: tag: source:", id="filter"
                )
                yield ClaimList(self.rows, id="claims")
            yield ClaimView(id="claim")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The main screen's widgets, kept so timers and callbacks that fire while a dialog is
        # on top still reach them (query_one would search the dialog).
        self.claim_list = self.query_one(ClaimList)
        self.filter_input = self.query_one("#filter", Input)
        self.claim_view = self.query_one(ClaimView)
        self.theme = self.ui_state.theme if self.ui_state.theme in THEMES else THEMES[0]
        self.title = plain(f"verify: {self.store.settings().name}", 80)
        self.sub_title = plain(self.casebook_path.name, 80)
        self._load_keymap()
        claim_list = self.claim_list
        restored = self.book_state
        if restored.filter:
            with self.filter_input.prevent(Input.Changed):  # restoring, not typing
                self.filter_input.value = restored.filter
        self._apply_filter(restored.filter)
        claim_list.reload(keep=restored.claim_id)
        if restored.scroll_y and restored.claim_id is None:
            claim_list.scroll_to(y=restored.scroll_y, animate=False, immediate=True)
        claim_list.focus()
        self._show_current()
        claim_list.on_highlight = self._cursor_moved
        if self.watch_interval > 0:
            self.set_interval(self.watch_interval, self._check_outside_changes)
        self.guarding = True
        self.call_after_refresh(self.collector.start)

    def key(self, binding_id: str) -> str:
        """The key bound to `binding_id` now (after the reviewer's keymap), as hints show it."""
        keymap = getattr(self, "_keymap", {}) or {}
        if binding_id in keymap:
            return str(keymap[binding_id]).split(",")[0]
        for b in self.BINDINGS:
            if isinstance(b, Binding) and b.id == binding_id:
                return b.key_display or b.key
        return binding_id

    def _load_keymap(self) -> None:
        path = self.keymap_path or platformdirs.user_config_path("verify") / "keymap.json"
        try:
            keymap = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            return
        if isinstance(keymap, dict):
            self.set_keymap({str(k): str(v) for k, v in keymap.items()})

    # -- state ---------------------------------------------------------------------------

    def _remember(self) -> None:
        claim_list = self.claim_list
        current = claim_list.current
        self.book_state.claim_id = current.id if current else None
        self.book_state.scroll_y = int(claim_list.scroll_offset.y)
        self.book_state.filter = self.filter_input.value
        self.ui_state.theme = self.theme
        self.ui_state.last_casebook = str(self.casebook_path.resolve())
        try:
            ui_state.save(self.state_path, self.ui_state)
        except OSError as exc:
            self.notify(escape(f"could not save the resume state: {exc}"), severity="warning")

    def _remember_soon(self) -> None:
        # Cursor moves come in bursts; write the state file once the burst is over.
        if self._save_timer is not None:
            self._save_timer.stop()  # type: ignore[attr-defined]
        self._save_timer = self.set_timer(0.4, self._remember)

    async def action_quit(self) -> None:
        self._remember()
        self.exit(0)

    def on_unmount(self) -> None:
        self.store.close()
        self.collector.stop()

    # -- showing claims ------------------------------------------------------------------

    def _claim_context(self, claim: Claim) -> ClaimContext:
        sources = self.store.sources_for(claim)
        documents = self.store.documents_for(claim)
        keys = {name: self.key(name) for name in HINT_KEYS}
        matches = self.answers.get((claim.id, claim.text))
        if matches is None:
            # Not searched yet: the worker answers once this frame is out. The same claim
            # shown again (after a save) keeps its answers until then instead of blinking.
            old = self.ctx
            same = old is not None and old.claim.id == claim.id
            matches = list(old.matches) if same and old is not None else []
        return ClaimContext(claim, self.store.settings(), sources, documents, matches, keys)

    def answered(self, key: Key, matches: Matches, generation: int) -> None:
        """A worker's answer (on this thread): kept, and shown if its claim is on screen."""
        if not self._settled_after_search:
            self._settled_after_search = True
            self.collector.settle()  # the matcher's tables are loaded now: frozen too
        if not self.answers.put(key, matches, generation):
            return  # searched before the casebook changed: a newer search is coming
        ctx = self.ctx
        if ctx is None or (ctx.claim.id, ctx.claim.text) != key:
            return  # the reviewer moved on: kept for when the claim is shown again
        if ctx.matches != matches:
            ctx.matches = matches
            self.claim_view.show_matches(ctx)

    def search_failed(self, error: Exception) -> None:
        already_checked.failed(self, error)

    def _search_around(self) -> None:
        already_checked.search_around(self)

    def _show_current(self) -> None:
        current = self.claim_list.current
        if current is None:
            self.ctx = None
        else:
            try:
                self.ctx = self._claim_context(self.store.get_claim(current.id))
            except (VerifyError, sqlite3.DatabaseError) as exc:
                self.ctx = None
                self.notify(
                    escape(f"cannot show this claim: {exc}; `verify check` tells what is damaged"),
                    severity="error",
                )
        self.claim_view.show(self.ctx)
        self.collector.after_frame()
        if self.ctx is not None:
            # After the frame that shows the claim: the search never delays it.
            self.call_after_refresh(self._search_around)

    @on(ClaimList.Highlighted)
    def _highlighted(self, event: ClaimList.Highlighted) -> None:
        self._cursor_moved(event.claim_id)

    @reported
    def _cursor_moved(self, claim_id: str | None) -> None:
        typing = self.focused is self.filter_input
        if not typing and (self.ctx is None or self.ctx.claim.id != claim_id):
            self._show_current()
        self._remember_soon()

    def refresh_all(self, keep: str | None = None, changed: Claim | None = None) -> None:
        """After a change: re-read the list and the shown claim.

        `changed` is the one claim this app just saved; the filter index then updates that
        entry instead of re-reading every claim's search text.
        """
        self.rows.invalidate()
        self.answers.forget()
        if changed is not None and self._filter_index is not None:
            self._filter_index.update(changed.id, search_text(changed))
        else:
            self._filter_index = None
        self._apply_filter(self.filter_input.value)
        keep = keep or (self.ctx.claim.id if self.ctx else None)
        self.claim_list.reload(keep=keep)
        self._show_current()
        title = f"verify: {self.store.settings().name}"  # follows `config set name`
        if title != self.title:
            self.title = title

    def _check_outside_changes(self) -> None:
        watching.look(self)

    # -- filter --------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.filter_input.focus()

    def _apply_filter(self, query: str) -> None:
        index = self._filter_index
        if index is None:
            if listfilter.needs_index(query):
                index = self._filter_index = ListFilter(*self.store.search_corpus())
            else:
                # No words to match (start-up, a cleared filter): every claim's search text
                # is read on the first word typed, not before the first paint.
                index = ListFilter([], [])
        self.rows.set_filter(listfilter.select(self.store.conn, index, query, self.store.actor))

    @on(Input.Changed, "#filter")
    @reported
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)
        claim_list = self.claim_list
        claim_list.cursor = 0
        claim_list.reload()
        claim_list.scroll_to(y=0, animate=False, immediate=True)
        # The list answers each keystroke at once; the claim pane follows when typing pauses.
        if self._detail_timer is not None:
            self._detail_timer.stop()  # type: ignore[attr-defined]
        self._detail_timer = self.set_timer(0.2, self._show_current)
        self._remember_soon()

    @on(Input.Submitted, "#filter")
    @reported
    def _filter_submitted(self) -> None:
        self.claim_list.focus()

    @reported
    def on_key(self, event: object) -> None:
        key = getattr(event, "key", None)
        filter_input = self.filter_input
        if key == "escape" and self.focused is filter_input:
            filter_input.value = ""
            self.claim_list.focus()

    # -- editing: each action is one saved change (verify/ui/claim_edits.py) --------------

    def edit(
        self,
        change: Callable[[Claim], Claim],
        action: str,
        sources: Iterable[Source] = (),
    ) -> Claim | None:
        """Apply one reviewer action to the shown claim and save it at once."""
        return claim_edits.edit(self, change, action, sources)

    def action_verdict(self) -> None:
        claim_edits.verdict(self)

    def action_rationale(self) -> None:
        claim_edits.rationale(self)

    def action_add_account(self) -> None:
        claim_edits.add_account(self)

    def action_grade(self) -> None:
        claim_edits.grade(self)

    def action_evidence(self) -> None:
        claim_edits.evidence(self)

    def action_new_claim(self) -> None:
        claim_edits.new_claim(self)

    def action_assign_me(self) -> None:
        claim_edits.assign(self, self.store.actor)

    def action_unassign(self) -> None:
        claim_edits.assign(self, None)

    def action_mine(self) -> None:
        """Only the claims assigned to this reviewer (the filter `assigned:me`)."""
        self.filter_input.value = "assigned:me"
        self.claim_list.focus()

    def action_documents(self) -> None:
        claim = self.ctx.claim if self.ctx else None
        first = claim.origin.document_id if claim and claim.origin else None
        pos = claim.origin.position if claim and claim.origin else None
        at = (pos.start, pos.end) if pos else None
        self.push_screen(DocumentScreen(claim, self.store.documents(), first, at))

    def action_search(self) -> None:
        navigation.search(self)

    def jump_to(self, claim_id: str) -> None:
        navigation.jump_to(self, claim_id)

    def action_checked(self) -> None:
        navigation.already_checked(self)

    def action_ach(self) -> None:
        ctx = self.ctx
        if ctx is None:
            self.notify("No claim selected", severity="warning")
            return
        self.push_screen(AchScreen(ctx.claim, ctx.sources, ctx.documents, self.key("evidence")))

    def action_media(self) -> None:
        from verify.ui.media_screen import open_media

        open_media(self)

    def action_triage(self) -> None:
        from verify.ui.triage import TriageScreen

        self.push_screen(TriageScreen(self.store), lambda _: self.refresh_all())

    def action_correct(self) -> None:
        from verify.ui import correcting

        correcting.start(self)

    def action_undo(self) -> None:
        self._history(self.store.undo, "Undid", "Nothing to undo")

    def action_redo(self) -> None:
        self._history(self.store.redo, "Redid", "Nothing to redo")

    def _history(self, step: Callable[[], object], verb: str, nothing: str) -> None:
        try:
            event = step()
        except VerifyError as exc:
            self.notify(escape(str(exc)), severity="error")
            return
        if event is None:
            self.notify(nothing)
            return
        target = getattr(event, "target", "")
        self.refresh_all(keep=target.partition(":")[2] if target.startswith("claim:") else None)
        if isinstance(event, Event):
            self.notify(escape(f"{verb}: {history.describe(event)}"))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        self._remember_soon()

    def action_help(self) -> None:
        keys = []
        keymap = self._keymap if hasattr(self, "_keymap") else {}
        for b in self.BINDINGS:
            if isinstance(b, Binding) and b.description:
                key = keymap.get(b.id or "", b.key_display or b.key)
                keys.append((key, b.description, b.tooltip))
        self.push_screen(HelpScreen(keys))

    # -- command palette (verify/ui/commands.py) -----------------------------------------

    def export(self, fmt: str) -> None:
        commands.export(self, fmt)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from commands.palette(self)


def make_app(
    casebook: Path | str,
    state_path: Path | None = None,
    **kwargs: object,
) -> VerifyApp:
    """Build the app from explicit settings; the CLI and the tests both call this."""
    app = VerifyApp(casebook, state_path or paths.state_file(), **kwargs)  # type: ignore[arg-type]
    return app


def run(casebook: Path | str) -> int:
    app = make_app(casebook)
    result = app.run()
    # A crash must not look like a clean exit to a script.
    return app.return_code or int(result or 0)
