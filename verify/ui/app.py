"""The verify TUI: the claim list on the left, the selected claim's accounts side by side."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import platformdirs
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from verify import actions, grading, history, listfilter, paths
from verify import evidence as evidence_core
from verify.errors import StaleWriteError, VerifyError
from verify.evidence import EvidenceDraft
from verify.ids import new_id
from verify.listfilter import ListFilter
from verify.models import Claim, Event, Evidence, EvidenceKind, Source, utcnow
from verify.store import Clock, Store, search_text
from verify.textsafe import clean
from verify.ui import navigation
from verify.ui import state as ui_state
from verify.ui.claim_list import ClaimList, ClaimRows
from verify.ui.claim_view import ClaimContext, ClaimView
from verify.ui.dialogs import (
    AccountDialog,
    ConfirmDialog,
    GradeDialog,
    Grading,
    NewAccount,
    NewClaim,
    NewClaimDialog,
    TextDialog,
    VerdictDialog,
)
from verify.ui.evidence_screen import EvidenceScreen
from verify.ui.safe import plain
from verify.ui.screens import AchScreen, DocumentScreen, HelpScreen

THEMES = ("textual-dark", "textual-light")
HINT_KEYS = ("verdict", "rationale", "account", "evidence", "checked", "undo")
"""Bindings the claim pane's hints name; they show the reviewer's own keys."""
MATCH_THRESHOLD = 0.5
"""Wordings less alike than this are more often different claims than the same one."""


class VerifyApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "verify"

    # Quit and help first: a narrow footer shows the first keys, and these must stay visible.
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="filter",
            key_display="/",
            tooltip="Type to rank claims; Enter applies, Esc clears",
        ),
        Binding("v", "verdict", "Verdict", id="verdict", tooltip="One key per label"),
        Binding("r", "rationale", "Rationale", id="rationale"),
        Binding("a", "add_account", "Account", id="account", tooltip="Add who says what"),
        Binding(
            "e",
            "evidence",
            "Evidence",
            id="evidence",
            tooltip="Passage, URL, file or note, with stances",
        ),
        Binding(
            "g", "grade", "Grade", id="grade", tooltip="Grade sources A–F, assess each account"
        ),
        Binding("n", "new_claim", "New", id="new_claim"),
        Binding(
            "x",
            "correct",
            "Edit",
            id="correct",
            tooltip="Edit or delete the claim, an account, evidence or a source; merge sources",
        ),
        Binding("d", "documents", "Docs", id="documents", tooltip="Archived documents"),
        Binding(
            "f", "search", "Search", id="search", tooltip="Full text: documents, claims, notes"
        ),
        Binding(
            "c",
            "checked",
            "Checked?",
            id="checked",
            show=False,
            tooltip="Jump to the claim this one looks like; offer to merge into it",
        ),
        Binding("m", "ach", "Matrix", id="ach", tooltip="Evidence × accounts (ACH)"),
        Binding("t", "triage", "Triage", id="triage", tooltip="Accept, drop or merge proposed"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r", "redo", "Redo", id="redo"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme", show=False, tooltip="Dark or light"),
        Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False),
    ]

    def __init__(
        self,
        casebook: Path,
        state_path: Path,
        *,
        clock: Clock | None = None,
        actor: str | None = None,
        keymap_path: Path | None = None,
        watch_interval: float = 2.0,
    ) -> None:
        super().__init__()
        self.casebook_path = casebook
        self.state_path = state_path
        self.keymap_path = keymap_path
        self.watch_interval = watch_interval
        self.store = Store.open(casebook, actor=actor, clock=clock or utcnow)
        self.rows = ClaimRows(self.store)
        self.ui_state = ui_state.load(state_path)
        self.book_state = self.ui_state.for_casebook(casebook)
        self.ctx: ClaimContext | None = None
        self._filter_index: ListFilter | None = None
        self._data_version = self.store.data_version()
        self._save_timer: object | None = None
        self._detail_timer: object | None = None
        self._new_sources: list[Source] = []
        """A source named in the evidence dialog, saved with the item it came with."""

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        # Key bindings and `action_*` calls: a failure is reported, not fatal (Textual would
        # stop the failing widget's message loop and then the app).
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:
            if not getattr(self, "_actions_guarded", False):
                raise
            self._report_failure(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        # Dialog callbacks, palette commands and workers land here when they fail.
        if not getattr(self, "_actions_guarded", False) or not isinstance(error, Exception):
            super()._handle_exception(error)
            return
        self._report_failure(error)

    def _report_failure(self, error: Exception) -> None:
        """The one place a failed action becomes a message: the reviewer keeps working, and
        each save is one transaction, so the failed action changed nothing."""
        self.log.error(repr(error))
        first = (clean(str(error)).strip().splitlines() or [""])[0][:200]
        hint = ""
        if isinstance(error, (ValueError, sqlite3.DatabaseError)):
            hint = "; `verify check` names any damage"
        self.notify(
            escape(f"Not done: {type(error).__name__}: {first}{hint}"),
            title="Error",
            severity="error",
            timeout=10,
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, from any screen, passes here: messages often quote a casebook
        or a server, so control codes go before the terminal sees them."""
        super().notify(
            clean(message), title=plain(title), severity=severity, timeout=timeout, markup=markup
        )

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
        if self.watch_interval > 0:
            self.set_interval(self.watch_interval, self._check_outside_changes)
        self._actions_guarded = True

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

    # -- showing claims ------------------------------------------------------------------

    def _claim_context(self, claim: Claim) -> ClaimContext:
        sources = self.store.sources_for(claim)
        documents = self.store.documents_for(claim)
        matches = self._already_checked(claim)
        keys = {name: self.key(name) for name in HINT_KEYS}
        return ClaimContext(claim, self.store.settings(), sources, documents, matches, keys)

    def _already_checked(self, claim: Claim) -> list[tuple[str, float, str, str | None]]:
        """Earlier claims in this casebook that look like this one, best first."""
        found = self.store.similar(claim.text, top=3, exclude=claim.id)
        return [
            (m.claim_id, 100 * m.similarity, m.text, m.verdict)
            for m in found
            if m.similarity >= MATCH_THRESHOLD
        ]

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

    @on(ClaimList.Highlighted)
    def _highlighted(self, event: ClaimList.Highlighted) -> None:
        typing = self.focused is self.filter_input
        if not typing and (self.ctx is None or self.ctx.claim.id != event.claim_id):
            self._show_current()
        self._remember_soon()

    def refresh_all(self, keep: str | None = None, changed: Claim | None = None) -> None:
        """After a change: re-read the list and the shown claim.

        `changed` is the one claim this app just saved; the filter index then updates that
        entry instead of re-reading every claim's search text.
        """
        self.rows.invalidate()
        if changed is not None and self._filter_index is not None:
            self._filter_index.update(changed.id, search_text(changed))
        else:
            self._filter_index = None
        self._apply_filter(self.filter_input.value)
        keep = keep or (self.ctx.claim.id if self.ctx else None)
        self.claim_list.reload(keep=keep)
        self._show_current()
        self._data_version = self.store.data_version()
        title = f"verify: {self.store.settings().name}"  # follows `config set name`
        if title != self.title:
            self.title = title

    def _check_outside_changes(self) -> None:
        if self.store.replaced():
            if not getattr(self, "_told_replaced", False):
                self._told_replaced = True
                self.notify(
                    "The casebook file was replaced (restored or moved); nothing more is "
                    "saved here: quit and reopen it",
                    severity="error",
                    timeout=30,
                )
            return
        try:
            version = self.store.data_version()
        except Exception:
            return
        if version != self._data_version:
            self._data_version = version
            self.refresh_all()

    # -- filter --------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.filter_input.focus()

    def _apply_filter(self, query: str) -> None:
        if self._filter_index is None:
            ids, texts = self.store.search_corpus()
            self._filter_index = ListFilter(ids, texts)
        self.rows.set_filter(listfilter.select(self.store.conn, self._filter_index, query))

    @on(Input.Changed, "#filter")
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
    def _filter_submitted(self) -> None:
        self.claim_list.focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", None)
        filter_input = self.filter_input
        if key == "escape" and self.focused is filter_input:
            filter_input.value = ""
            self.claim_list.focus()

    # -- editing -------------------------------------------------------------------------

    def _require_claim(self) -> Claim | None:
        if self.ctx is None:
            self.notify("No claim selected", severity="warning")
            return None
        return self.ctx.claim

    def edit(
        self,
        change: Callable[[Claim], Claim],
        action: str,
        sources: Iterable[Source] = (),
    ) -> Claim | None:
        """Apply one reviewer action to the shown claim and save it at once."""
        claim = self._require_claim()
        if claim is None:
            return None
        try:
            changed = change(claim)
            new = self.store.save_claim_with_sources(changed, list(sources), action)
        except StaleWriteError as exc:
            # Someone else saved first: show theirs, keep nothing of ours silently.
            self.notify(escape(str(exc)), title="Not saved", severity="error", timeout=8)
            self.refresh_all(keep=claim.id)
            return None
        except (VerifyError, sqlite3.DatabaseError) as exc:
            self.notify(escape(str(exc)), severity="error")
            return None
        self.refresh_all(keep=new.id, changed=new)
        return new

    def action_verdict(self) -> None:
        claim = self._require_claim()
        if claim is None:
            return
        current = claim.verdict.label if claim.verdict else None

        def chosen(label: str | None) -> None:
            if label is None:
                return
            ctx = self.ctx
            if ctx is None:
                return
            if grading.needs_confirmation(ctx.claim, label, ctx.sources):
                n = grading.independent_sources(ctx.claim, ctx.sources)

                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self._set_verdict(label, thin=True)

                self.push_screen(
                    ConfirmDialog(
                        f"The evidence rests on {n} independent source(s); two are expected "
                        f"before a verdict of {label!r}. Set it anyway? This is recorded."
                    ),
                    confirmed,
                )
            else:
                self._set_verdict(label, thin=False)

        self.push_screen(VerdictDialog(self.store.settings().scale, current), chosen)

    def _set_verdict(self, label: str, thin: bool) -> None:
        settings = self.store.settings()
        new = self.edit(
            lambda c: actions.set_verdict(
                c,
                settings,
                label,
                reviewer=self.store.actor,
                at=self.store.clock(),
                thin_confirmed=thin,
            ),
            "claim.verdict",
        )
        if new is not None:
            self.notify(f"Verdict: {label}")

    def action_rationale(self) -> None:
        claim = self._require_claim()
        if claim is None:
            return
        if claim.verdict is None:
            self.notify("Set a verdict first (v)", severity="warning")
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.edit(
                    lambda c: actions.set_rationale(
                        c, text, reviewer=self.store.actor, at=self.store.clock()
                    ),
                    "claim.rationale",
                )

        self.push_screen(TextDialog("Rationale", claim.verdict.rationale), done)

    def action_add_account(self) -> None:
        if self._require_claim() is None:
            return

        def done(result: NewAccount | None) -> None:
            if result is None:
                return
            sources: list[Source] = []
            source_id = result.source_id
            if source_id is None and result.source_name:
                source = Source(id=new_id("s"), name=result.source_name, grade=result.grade)  # type: ignore[arg-type]
                sources.append(source)
                source_id = source.id
            elif source_id is not None:
                known = self.store.get_source(source_id)
                if known.grade != result.grade:
                    sources.append(known.model_copy(update={"grade": result.grade}))
            self.edit(
                lambda c: actions.add_account(c, result.statement, source_id),
                "account.add",
                sources,
            )

        self.push_screen(AccountDialog(self.store.sources()), done)

    def action_grade(self) -> None:
        ctx = self.ctx
        if ctx is None:
            self.notify("No claim selected", severity="warning")
            return
        ids = [a.source_id for a in ctx.claim.accounts] + [e.source_id for e in ctx.claim.evidence]
        seen: list[Source] = []
        for sid in ids:
            if sid and sid in ctx.sources and ctx.sources[sid] not in seen:
                seen.append(ctx.sources[sid])

        def done(result: Grading | None) -> None:
            if result is None or not (result.grades or result.assessments):
                return
            regraded = [
                ctx.sources[sid].model_copy(update={"grade": g}) for sid, g in result.grades.items()
            ]

            def assess(claim: Claim) -> Claim:
                for account_id, assessment in result.assessments.items():
                    claim = actions.set_assessment(claim, account_id, assessment)
                return claim

            # Grades and assessments land together, as one action.
            if self.edit(assess, "claim.grade", regraded) is not None:
                self.notify(
                    f"Saved {len(regraded)} grade(s), {len(result.assessments)} assessment(s)"
                )

        self.push_screen(GradeDialog(seen, list(ctx.claim.accounts)), done)

    def action_evidence(self) -> None:
        claim = self._require_claim()
        if claim is None:
            return

        def done(draft: EvidenceDraft | None) -> None:
            if draft is not None:
                self._attach_evidence(draft)

        self.push_screen(EvidenceScreen(claim, self.store.documents(), self.store.sources()), done)

    def _attach_evidence(self, draft: EvidenceDraft) -> None:
        if draft.new_source_name:
            # The new source is saved with the item, in the same action.
            self._new_sources = [Source(id=new_id("s"), name=draft.new_source_name)]
            draft.source_id = self._new_sources[0].id
        else:
            self._new_sources = []
        if draft.kind in (EvidenceKind.url, EvidenceKind.file):
            # Fetching a page or reading a large file must not freeze the screen.
            self.notify("Archiving the evidence…")
            self._archive_in_background(draft)
            return
        self._save_evidence(draft, self.store)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence")
    def _archive_in_background(self, draft: EvidenceDraft) -> None:
        # SQLite connections belong to their thread: this one opens its own.
        try:
            with Store.open(
                self.casebook_path, actor=self.store.actor, clock=self.store.clock
            ) as store:
                item = evidence_core.from_draft(store, draft)
        except VerifyError as exc:
            self.call_from_thread(self.notify, escape(str(exc)), severity="error")
            return
        self.call_from_thread(self._save_built_evidence, item, draft.kind.value)

    def _save_evidence(self, draft: EvidenceDraft, store: Store) -> None:
        try:
            item = evidence_core.from_draft(store, draft)
        except VerifyError as exc:
            self.notify(escape(str(exc)), severity="error")
            return
        self._save_built_evidence(item, draft.kind.value)

    def _save_built_evidence(self, item: Evidence, kind: str) -> None:
        sources, self._new_sources = self._new_sources, []
        new = self.edit(lambda c: actions.add_evidence(c, item), "evidence.add", sources)
        if new is not None:
            self.notify(f"Attached {kind} evidence")

    def action_new_claim(self) -> None:
        def done(result: NewClaim | None) -> None:
            if result is None:
                return
            try:
                claim = actions.new_claim(
                    result.text, at=self.store.clock(), claimant=result.claimant, date=result.date
                )
                self.store.add_claim(claim)
            except (VerifyError, ValueError) as exc:
                self.notify(escape(str(exc).splitlines()[0]), severity="error")
                return
            self.refresh_all(keep=claim.id)

        self.push_screen(NewClaimDialog(), done)

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
        self.push_screen(AchScreen(ctx.claim, ctx.sources))

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

    # -- exports (command palette) -------------------------------------------------------

    def export(self, fmt: str) -> None:
        from verify.cli import write_output
        from verify.report import claimreview, markdown

        stem = self.casebook_path.stem
        try:
            if fmt == "md":
                dest = self.casebook_path.with_name(f"{stem}-report.md")
                text = markdown.casebook_report(self.store)
            else:
                dest = self.casebook_path.with_name(f"{stem}-claimreview.json")
                claims = list(self.store.iter_claims())
                docs = {d.id: d for d in self.store.documents()}
                text = claimreview.export_text(
                    claims,
                    self.store.settings(),
                    docs,
                    lambda m: self.notify(m, severity="warning", markup=False),
                )
            write_output(text, str(dest))
        except VerifyError as exc:
            self.notify(escape(str(exc)), severity="error")
            return
        self.notify(escape(f"Wrote {dest}"), title="Exported", timeout=10)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in self._commands():
            yield command._replace(callback=self._guarded(command.callback))

    def _guarded(self, callback: Callable[[], Any]) -> Callable[[], None]:
        """A palette command whose failure is reported like any other action's."""

        def run() -> None:
            try:
                callback()
            except Exception as error:
                self._report_failure(error)

        return run

    def _commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Export markdown report", "The whole casebook, for editors", lambda: self.export("md")
        )
        yield SystemCommand(
            "Export ClaimReview JSON-LD",
            "Every decided claim, for publishing",
            lambda: self.export("claimreview"),
        )
        yield SystemCommand(
            "Set verdict", "Choose a label for the selected claim", self.action_verdict
        )
        yield SystemCommand("Attach evidence", "Passage, URL, file or note", self.action_evidence)
        yield SystemCommand("Add account", "Who says what", self.action_add_account)
        yield SystemCommand("Grade sources", "Admiralty reliability A–F", self.action_grade)
        yield SystemCommand(
            "Competing accounts matrix", "Evidence × accounts (ACH)", self.action_ach
        )
        yield SystemCommand(
            "Archived documents", "Read sources with anchors highlighted", self.action_documents
        )
        yield SystemCommand(
            "Triage proposed claims", "Accept, drop or merge what ingest found", self.action_triage
        )
        yield SystemCommand("Undo", "Undo the last change", self.action_undo)
        yield SystemCommand("Redo", "Redo the last undone change", self.action_redo)
        yield SystemCommand("Toggle dark/light theme", "Switch theme", self.action_toggle_theme)


def make_app(
    casebook: Path,
    state_path: Path | None = None,
    **kwargs: object,
) -> VerifyApp:
    """Build the app from explicit settings; the CLI and the tests both call this."""
    app = VerifyApp(casebook, state_path or paths.state_file(), **kwargs)  # type: ignore[arg-type]
    return app


def run(casebook: Path) -> int:
    app = make_app(casebook)
    result = app.run()
    # A crash must not look like a clean exit to a script.
    return app.return_code or int(result or 0)
