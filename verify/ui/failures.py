"""How a failed action becomes a message: the reviewer keeps working, nothing half-saved.

Every save is one transaction, so an action that fails changed nothing; the app says so and
carries on instead of stopping on a traceback.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual.actions import ActionParseResult
from textual.app import App
from textual.dom import DOMNode
from textual.markup import escape
from textual.notifications import SeverityLevel

from verify.textsafe import clean
from verify.ui.safe import plain

P = ParamSpec("P")
A = TypeVar("A", bound="GuardedApp")


def reported(handler: Callable[Concatenate[A, P], None]) -> Callable[Concatenate[A, P], None]:
    """A handler of the app's own messages whose failure is reported like an action's.

    Textual ends the message loop of a handler that raises: for the app itself that would
    leave a screen that no longer answers, so these handlers never let a failure out.
    """

    @functools.wraps(handler)
    def run(app: A, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            handler(app, *args, **kwargs)
        except Exception as error:
            if not app.guarding:
                raise
            app.report_failure(error)

    return run


class GuardedApp(App[int]):
    """An app whose key bindings, actions, dialog callbacks and workers report failures."""

    guarding = False
    """Set once the main screen is up: a failure before that is a real crash."""

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        # Every key binding and `run_action` of the app, its screens and widgets comes here.
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            if not self.guarding:
                raise
            self.report_failure(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        # Dialog callbacks, timers and workers that fail land here. Textual has no public hook
        # for them (its default is to exit); tests/test_tui_errors.py fails if this private
        # method stops being called or changes its signature. (A failing message handler
        # lands here too, but its message loop has ended: see `reported`.)
        if not self.guarding or not isinstance(error, Exception):
            super()._handle_exception(error)
            return
        self.report_failure(error)

    def report_failure(self, error: Exception) -> None:
        """The one place a failed action becomes a message."""
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

    def guarded(self, callback: Callable[[], Any]) -> Callable[[], None]:
        """`callback`, whose failure is reported like any other action's (palette commands)."""

        def run() -> None:
            try:
                callback()
            except Exception as error:
                self.report_failure(error)

        return run

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
