"""The dashboard: conversations, resolution, deflection and handoffs for a date range, as
charts and tables; CSV exports; each conversation's resolution record."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from fastapi.responses import Response

from deskhand.analytics.metrics import Dashboard, dashboard, resolution_records
from deskhand.analytics.resolution import ResolutionRecord
from deskhand.console.charts import bar_chart, daily_chart
from deskhand.console.context import ConsoleRequest
from deskhand.console.deps import Member, console_router
from deskhand.db import models

router = console_router()
DEFAULT_DAYS = 28
MAX_DAYS = 366


class BadRange(ValueError):
    pass


def _range(console: ConsoleRequest, start: str, end: str) -> tuple[date, date]:
    today = console.now.date()
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError as exc:
        raise BadRange("Dates look like 2026-03-01.") from exc
    if first > last:
        raise BadRange("The start comes after the end.")
    if (last - first).days >= MAX_DAYS:
        raise BadRange(f"Choose at most {MAX_DAYS} days.")
    return first, last


def _charts(figures: Dashboard) -> dict[str, str]:
    rate_rows = {
        "skill": figures.by_skill,
        "channel": figures.by_channel,
        "language": figures.by_language,
    }
    charts = {
        "daily": daily_chart(
            [r.key for r in figures.by_day],
            [r.conversations for r in figures.by_day],
            [r.resolved for r in figures.by_day],
            [r.handoffs for r in figures.by_day],
        )
    }
    for name, rows in rate_rows.items():
        charts[name] = bar_chart([r.key for r in rows], [r.resolution_rate for r in rows], "%")
    if figures.handoffs_by_reason:
        charts["reasons"] = bar_chart(
            [k for k, _ in figures.handoffs_by_reason], [v for _, v in figures.handoffs_by_reason]
        )
    return charts


@router.get("/dashboard")
def dashboard_page(me: Member, start: str = "", end: str = "") -> Response:
    console = me.console
    try:
        first, last = _range(console, start[:10], end[:10])
    except BadRange as exc:
        first, last = _range(console, "", "")
        figures, _ = dashboard(console.db, console.brand.id, first, last, console.now)
        return console.render(
            "dashboard.html", status=400, figures=figures, charts=_charts(figures), error=str(exc)
        )
    figures, records = dashboard(console.db, console.brand.id, first, last, console.now)
    return console.render(
        "dashboard.html",
        figures=figures,
        charts=_charts(figures),
        records=sorted(records, key=lambda r: r.started_at, reverse=True)[:20],
        error="",
    )


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows: list[list[object]], name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _record_row(r: ResolutionRecord) -> list[object]:
    return [
        r.conversation_id,
        r.started_at.isoformat(),
        r.channel,
        r.language,
        r.skill,
        r.topic,
        r.status.value,
        "yes" if r.resolved else "no",
        r.handoff_reason,
        r.rule,
        "yes" if r.demo else "no",
    ]


RECORD_HEADER = [
    "conversation",
    "started_at_utc",
    "channel",
    "language",
    "skill",
    "topic",
    "status",
    "resolved",
    "handoff_reason",
    "rule",
    "demo_data",
]


@router.get("/dashboard/export.csv")
def export(me: Member, start: str = "", end: str = "", table: str = "daily") -> Response:
    console = me.console
    try:
        first, last = _range(console, start[:10], end[:10])
    except BadRange as exc:
        return console.refuse(400, "Cannot export that range", str(exc))
    if table == "records":
        records = resolution_records(console.db, console.brand.id, first, last, console.now)
        listed: list[list[object]] = [
            list(RECORD_HEADER),
            *(_record_row(r) for r in sorted(records, key=lambda r: r.started_at)),
        ]
        return _csv(listed, f"resolution-records-{first}-{last}.csv")
    figures, _ = dashboard(console.db, console.brand.id, first, last, console.now)
    breakdowns = [
        ("day", figures.by_day),
        ("skill", figures.by_skill),
        ("channel", figures.by_channel),
        ("language", figures.by_language),
    ]
    rows: list[list[object]] = [
        ["breakdown", "key", "conversations", "resolved", "resolution_rate", "handoffs"]
    ]
    for name, breakdown in breakdowns:
        rows += [
            [name, r.key, r.conversations, r.resolved, f"{r.resolution_rate:.4f}", r.handoffs]
            for r in breakdown
        ]
    rows += [["handoff_reason", k, "", "", "", v] for k, v in figures.handoffs_by_reason]
    return _csv(rows, f"dashboard-{first}-{last}.csv")


@router.get("/dashboard/records/{conversation}")
def record_page(conversation: str, me: Member) -> Response:
    console = me.console
    started = (
        console.db.query(models.AnalyticsEvent)
        .filter(
            models.AnalyticsEvent.brand_id == console.brand.id,
            models.AnalyticsEvent.conversation_id == conversation[:36],
            models.AnalyticsEvent.name == "conversation.started",
        )
        .first()
    )
    if started is None:
        return console.refuse(404, "No such conversation", "No conversation has this id.")
    day = started.created_at.date()
    records = resolution_records(console.db, console.brand.id, day, day, console.now)
    record = next((r for r in records if r.conversation_id == started.conversation_id), None)
    if record is None:  # a preview: left out of every figure
        return console.refuse(404, "Not counted", "Preview conversations are not in the metrics.")
    events = (
        console.db.query(models.AnalyticsEvent)
        .filter(
            models.AnalyticsEvent.brand_id == console.brand.id,
            models.AnalyticsEvent.conversation_id == started.conversation_id,
        )
        .order_by(models.AnalyticsEvent.created_at, models.AnalyticsEvent.id)
        .all()
    )
    return console.render("record.html", record=record, events=events)
