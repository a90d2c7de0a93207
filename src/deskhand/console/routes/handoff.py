"""Handoff settings (`/admin/handoff`): where what the agent cannot resolve goes, the "don't
hand off" message and links, business hours and the office-hours message. Every role views;
owner and admin change (audit-logged). Choosing Zendesk or Gorgias before it is connected
leads to the integrations page to connect it first, nothing saved.

Also the member's own availability for handed-off conversations
(`POST /admin/helpdesk/availability`, any signed-in member, for themselves only).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi.responses import JSONResponse, Response

from deskhand.console.context import ConsoleRequest
from deskhand.console.deps import EditorForm, Member, MemberForm, console_router
from deskhand.console.forms import PostedForm
from deskhand.domain.business_hours import WEEKDAYS, clock
from deskhand.domain.vocabulary import Availability, HandoffDestination
from deskhand.helpdesk.availability import available_members, set_availability
from deskhand.helpdesk.settings import (
    LINK_KINDS,
    HandoffConfig,
    SettingsError,
    handoff_config,
    missing_connection,
    save_handoff_config,
)
from deskhand.team.audit import changed_fields, recent_changes, record_change

router = console_router()

DESTINATIONS = {
    HandoffDestination.BUILTIN: "Deskhand's helpdesk inbox (recommended)",
    HandoffDestination.ZENDESK: "Zendesk",
    HandoffDestination.GORGIAS: "Gorgias",
    HandoffDestination.NONE: "Don't hand off: show my message and links instead",
}
LINK_NAMES = {"help_centre": "Help centre", "faq": "FAQ", "contact_form": "Contact form"}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _values(config: HandoffConfig) -> dict[str, Any]:
    """The form's fields for these settings."""
    hours = config.hours
    return {
        "destination": config.destination.value,
        "message": config.message,
        **{f"link_{k}": config.links.get(k, "") for k in LINK_KINDS},
        "timezone": hours.timezone,
        **{
            f"hours_{name}": ", ".join(f"{clock(s)}-{clock(e)}" for s, e in hours.weekly.get(d, ()))
            for d, name in enumerate(WEEKDAYS)
        },
        "holidays": "\n".join(sorted(d.isoformat() for d in hours.holidays)),
        "office_message": config.office_message,
        "response_hours": str(config.response_hours or ""),
    }


def _posted(form: PostedForm) -> dict[str, Any]:
    """The posted form as settings JSON (validated by HandoffConfig.from_json)."""
    weekly: dict[str, list[list[str]]] = {}
    for name in WEEKDAYS:
        spans = [s.strip() for s in form.get(f"hours_{name}", 200).split(",") if s.strip()]
        pairs = []
        for span in spans:
            start, sep, end = span.partition("-")
            if not sep:
                raise SettingsError("hours", f"{span!r}: write hours as 09:00-17:00")
            pairs.append([start.strip(), end.strip()])
        if pairs:
            weekly[name] = pairs
    holidays = [h.strip() for h in form.get("holidays", 8000).split() if h.strip()]
    return {
        "destination": form.get("destination", 16),
        "message": form.get("message", 2000),
        "links": {k: form.get(f"link_{k}", 500) for k in LINK_KINDS},
        "hours": {
            "timezone": form.get("timezone", 64).strip() or "UTC",
            "weekly": weekly,
            "holidays": holidays,
        },
        "office_message": form.get("office_message", 2000),
        "response_hours": form.get("response_hours", 8).strip() or "0",
    }


def _render(
    console: ConsoleRequest,
    values: dict[str, Any],
    *,
    error: SettingsError | None = None,
    status: int = 200,
) -> Response:
    changes = [c for c in recent_changes(console.db, console.brand.id) if c.area == "handoff"]
    available = available_members(console.db, console.brand.id)
    return console.render(
        "handoff.html",
        status=status,
        v=values,
        error=error,
        destinations=DESTINATIONS,
        link_names=LINK_NAMES,
        weekdays=list(zip(WEEKDAYS, DAY_NAMES, strict=True)),
        available=available,
        me_available=console.member is not None
        and console.member.availability == Availability.AVAILABLE.value,
        changes=changes[:20],
    )


@router.get("/handoff")
def handoff_page(me: Member) -> Response:
    console = me.console
    return _render(console, _values(handoff_config(console.db, console.brand)))


@router.post("/handoff")
def save_handoff(post: EditorForm) -> Response:
    console, brand = post.console, post.console.brand
    try:
        data = _posted(post.form)
        config = HandoffConfig.from_json(data, brand.timezone)
    except SettingsError as exc:
        values = {**_values(handoff_config(console.db, brand)), **post.form.fields_first()}
        return _render(console, values, error=exc, status=400)
    missing = missing_connection(console.db, brand.id, config.destination)
    if missing is not None:  # connect it first; the setting is saved after that
        query = urlencode({"connect": missing.value, "next": "/admin/handoff"})
        return console.redirect(f"/admin/integrations?{query}#{missing.value}")
    before = handoff_config(console.db, brand).to_json()
    after = config.to_json()
    diff = changed_fields(before, after)
    if diff:
        save_handoff_config(console.db, brand, config, console.now)
        record_change(
            console.db,
            brand_id=brand.id,
            member=post.me.member,
            area="handoff",
            action="handoff settings changed",
            before={k: v[0] for k, v in diff.items()},
            after={k: v[1] for k, v in diff.items()},
            now=console.now,
        )
    return console.redirect("/admin/handoff?" + urlencode({"done": "handoff"}))


@router.post("/helpdesk/availability")
def set_my_availability(post: MemberForm) -> Response:
    """The signed-in member sets themselves available or away (only themselves)."""
    console, me = post.console, post.me.member
    try:
        wanted = Availability(post.form.get("availability", 16))
    except ValueError:
        return console.refuse(400, "Unknown availability", "Choose available or away.")
    set_availability(console.db, me, wanted)
    if "application/json" in console.request.headers.get("accept", ""):
        return JSONResponse({"availability": wanted.value})
    back = post.form.get("back", 300)
    if not back.startswith("/admin") or back.startswith("//"):
        back = "/admin/handoff"
    separator = "&" if "?" in back else "?"
    return console.redirect(f"{back}{separator}{urlencode({'done': 'availability'})}")
