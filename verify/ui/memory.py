"""Garbage collection out of the way of the frames.

Python's collector runs whenever enough objects were allocated, which is in the middle of
drawing a frame: a move between claims allocates thousands, so a young collection (a few
milliseconds) lands in most moves and a full one (every object the process holds: Textual's,
the matcher's tables, the modules; tens of milliseconds on a small machine) in one move out of
twenty. While the app runs, the collector runs instead once a frame is out and from a slow
timer, with the same thresholds, and the objects start-up built (which live as long as the app)
are frozen out of its sight.
"""

from __future__ import annotations

import gc
from typing import Any

from textual.app import App

CHECK_EVERY = 1.0
"""Seconds between looks from the timer: for what is allocated away from any move (dialogs,
typing, the "already checked?" worker)."""


class Collector:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.was_enabled = gc.isenabled()
        self.thresholds = gc.get_threshold()
        self.running = False

    def start(self) -> None:
        """From now on the app decides when to collect; what exists now is frozen."""
        if self.running:
            return
        self.running = True
        gc.disable()
        gc.freeze()  # not collected first: a full collection now would cost what it saves
        self.app.set_interval(CHECK_EVERY, self.collect_due)

    def settle(self) -> None:
        """Freeze what exists now: start-up's objects, or the matcher's once it is loaded.

        The young generations are collected first (milliseconds), so that what is frozen is
        what lives on, not the garbage of the moves since start-up.
        """
        if self.running:
            gc.collect(1)
            gc.freeze()

    def after_frame(self) -> None:
        """Collect what is due once the frame under way is out."""
        if self.running:
            self.app.call_after_refresh(self.collect_due)

    def collect_due(self) -> None:
        """Collect the generations the automatic collector would have collected by now."""
        if not self.running:
            return
        young, middle, old = gc.get_count()
        first, second, third = self.thresholds
        # gc.collect(n) counts as one collection of the next generation, as automatic
        # collections do, so the older generations still come due at the usual rate.
        if third and old >= third:
            gc.collect(2)
        elif second and middle >= second:
            gc.collect(1)
        elif first and young >= first:
            gc.collect(0)

    def stop(self) -> None:
        """The app is closing: the collector is back as it was, frozen objects included."""
        if not self.running:
            return
        self.running = False
        gc.unfreeze()
        if self.was_enabled:
            gc.enable()
