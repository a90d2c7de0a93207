"""Which agent tests a change would break, before it is saved: run the brand's suites as
things are, then with the change applied inside a savepoint that is rolled back."""

from __future__ import annotations

from collections.abc import Callable

from deskhand.console.context import ConsoleRequest
from deskhand.suites.runner import CaseResult, run_suites
from deskhand.suites.stored import parsed, stored_suites


def would_break(console: ConsoleRequest, change: Callable[[], None]) -> list[CaseResult]:
    """The tests that pass now and fail once `change` has run (then undone)."""
    suites, _ = parsed(stored_suites(console.db, console.brand.id))
    if not suites:
        return []

    def run() -> list[CaseResult]:
        return run_suites(
            console.db,
            console.state.agent,
            console.brand,
            suites,
            now=console.now,
            base_url=console.state.settings.base_url.rstrip("/"),
        )

    passing_now = {(r.suite, r.name) for r in run() if r.passed}
    trial = console.db.begin_nested()
    try:
        change()
        after = run()
    finally:
        trial.rollback()
    return [r for r in after if not r.passed and (r.suite, r.name) in passing_now]
