"""The "already checked?" answers of the shown claim and of the claims either side of it.

Searching grows with the casebook (tens of milliseconds at 100,000 claims, more when a query has
to be encoded), so it never runs on the thread that answers keys: a worker thread searches with
its own connection (SQLite connections belong to their thread) and hands each answer back to
the app, which keeps it and shows it if its claim is still the one on screen. The claims either
side are searched too, so the next step up or down shows its answers in the same frame as the
claim.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from textual.markup import escape
from textual.worker import get_current_worker

from verify.store import Store

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp

MATCH_THRESHOLD = 0.5
"""Wordings less alike than this are more often different claims than the same one."""
MATCH_CACHE = 64
"""Claims whose answers are kept, so moving back and forth searches nothing again."""
GROUP = "already-checked"
"""The worker group: a new search cancels the one before, so fast moves do not pile up."""

Matches = list[tuple[str, float, str, str | None]]
Key = tuple[str, str]
"""(claim id, claim text): an answer belongs to the wording it was searched for."""


def search(store: Store, claim_id: str, text: str) -> Matches:
    """Earlier claims in this casebook that look like this one, best first.

    Dropped and merged claims are not earlier checks: offering to merge into one would hide
    this claim behind a claim nobody works on.
    """
    found = [
        m for m in store.similar(text, top=10, exclude=claim_id) if m.similarity >= MATCH_THRESHOLD
    ]
    rows = store.summaries_for([m.claim_id for m in found])
    return [
        (m.claim_id, 100 * m.similarity, m.text, m.verdict)
        for m in found
        if m.claim_id in rows and rows[m.claim_id].status != "dropped"
    ][:3]


class Answers:
    """Answers by (claim id, claim text), the most recently used kept, until the casebook
    changes. `generation` counts those changes: an answer searched before one is dropped."""

    def __init__(self) -> None:
        self._found: OrderedDict[Key, Matches] = OrderedDict()
        self.generation = 0
        self.searching = threading.Lock()
        """Held while a worker searches: a cancelled worker finishes its one search before
        the next worker starts its own, so two searches never compete for the processor."""

    def __contains__(self, key: Key) -> bool:
        return key in self._found

    def get(self, key: Key) -> Matches | None:
        found = self._found.get(key)
        if found is not None:
            self._found.move_to_end(key)
        return found

    def put(self, key: Key, matches: Matches, generation: int) -> bool:
        """Keep an answer searched in `generation`; False if the casebook changed since."""
        if generation != self.generation:
            return False
        self._found[key] = matches
        self._found.move_to_end(key)
        while len(self._found) > MATCH_CACHE:
            self._found.popitem(last=False)
        return True

    def forget(self) -> None:
        """Drop every answer: a search under way is dropped too."""
        self.generation += 1
        self._found.clear()


def wanted(app: VerifyApp) -> list[Key]:
    """The shown claim and its neighbours below and above, those not answered yet."""
    keys: list[Key] = []
    ctx = app.ctx
    if ctx is not None:
        keys.append((ctx.claim.id, ctx.claim.text))
    cursor = app.claim_list.cursor
    for index in (cursor + 1, cursor - 1):
        row = app.rows.get(index)
        if row is not None:
            keys.append((row.id, row.text))
    return [key for key in keys if key not in app.answers]


def search_around(app: VerifyApp) -> None:
    """Start a worker for the claims of `wanted`, once the frame that shows a claim is out."""
    keys = wanted(app)
    if not keys:
        return
    generation = app.answers.generation
    app.run_worker(
        lambda: _search(app, keys, generation),
        name="already checked?",
        group=GROUP,
        thread=True,
        exclusive=True,
        exit_on_error=False,
    )


def _search(app: VerifyApp, keys: list[Key], generation: int) -> None:
    # In a worker thread: nothing here touches a widget; answers go back by call_from_thread.
    worker = get_current_worker()
    answers = app.answers
    store = app.store
    try:
        with answers.searching:
            if worker.is_cancelled:
                return
            with Store.open(store.location, create=False, actor=store.actor) as own:
                for key in keys:
                    if worker.is_cancelled:
                        return
                    found = search(own, *key)
                    app.call_from_thread(app.answered, key, found, generation)
    except Exception as exc:  # a vanished file, a server gone, a bug: said once, not a crash
        if app.is_running:
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nobody to tell
                app.call_from_thread(app.search_failed, exc)


def failed(app: VerifyApp, error: Exception) -> None:
    """A search failed: say so once per session; the panel stays as it was."""
    if app.told_search_failed:
        return
    app.told_search_failed = True
    first = (str(error).strip().splitlines() or [""])[0][:200]
    app.notify(
        escape(f'"Already checked?" could not search: {type(error).__name__}: {first}'),
        severity="warning",
        timeout=10,
    )
