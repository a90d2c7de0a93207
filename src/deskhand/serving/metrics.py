"""Prometheus metrics of the serving process: turn latency, handoffs, errors, outbox lag.

Counted where they happen (the turn service, the problem handler); `/metrics` (web/health.py)
exposes them. Several app processes (`deskhand serve --workers N`) share one view through
prometheus_client's multiprocess mode: the CLI sets PROMETHEUS_MULTIPROC_DIR before it forks.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from deskhand.domain.vocabulary import Outcome

TURN_SECONDS = Histogram(
    "deskhand_turn_seconds",
    "Time to answer one shopper message (validation, reading, the agent's turn, commit).",
    ["channel"],
    buckets=(0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24),
)
HANDOFFS = Counter(
    "deskhand_handoffs_total", "Turns that offered, requested or completed a handoff.", ["outcome"]
)
ERRORS = Counter(
    "deskhand_errors_total", "Server errors answered (HTTP status >= 500).", ["status"]
)
OUTBOX_LAG = Gauge(
    "deskhand_outbox_lag_seconds",
    "Age of the oldest outbox message that is due and not yet delivered (0: none).",
    multiprocess_mode="max",
)
OUTBOX_DUE = Gauge(
    "deskhand_outbox_due", "Outbox messages due and not yet delivered.", multiprocess_mode="max"
)

HANDOFF_OUTCOMES = frozenset(
    {Outcome.HANDOFF_OFFERED, Outcome.HANDOFF_REQUESTED, Outcome.HANDED_OFF}
)


def count_outcome(outcome: str) -> None:
    if outcome in HANDOFF_OUTCOMES:
        HANDOFFS.labels(outcome=outcome).inc()


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, across processes when several serve."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
