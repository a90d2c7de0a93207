"""The returns portal's forms and views: what the shopper may choose, read back from a post.

The rules of starting a return live in `returns/starting.py`; this module only turns the
posted fields into a `ReturnDraft` (refusing what is not even well formed) and gathers what
the tab shows: each item's returnable quantity or the reason it cannot go back, the exchange
options, the reasons, and the order's returns with their timelines.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from deskhand.commerce.store import Store
from deskhand.db.models import ReturnRequest
from deskhand.domain.orders import Order, Variant
from deskhand.domain.policy import PolicyRules
from deskhand.domain.returns import PATH, LineReturnability, Resolution, ReturnState
from deskhand.hub.forms import PostedForm
from deskhand.hub.i18n import HubWords
from deskhand.returns.records import refund_due, returns_of_order
from deskhand.returns.starting import (
    ReturnDraft,
    ReturnRefused,
    exchange_options,
    lines_of,
    reasons_of,
)

MAX_QUANTITY_FIELD = 3  # digits


@dataclass(frozen=True)
class PortalLine:
    line: LineReturnability
    options: tuple[Variant, ...]  # exchange variants (sold-out ones shown, not choosable)


@dataclass(frozen=True)
class TimelineStep:
    state: ReturnState
    at: datetime | None  # None: not reached yet
    note: str


@dataclass(frozen=True)
class ReturnView:
    ret: ReturnRequest
    steps: tuple[TimelineStep, ...]
    refund_due: date | None


def portal_lines(
    db: Session, store: Store, brand_id: int, order: Order, rules: PolicyRules, now: datetime
) -> list[PortalLine]:
    return [
        PortalLine(line, tuple(exchange_options(store, line.item)) if line.ok else ())
        for line in lines_of(db, brand_id, order, rules, now)
    ]


def reason_label(words: HubWords, reason: str) -> str:
    """A known reason in the shopper's language; a brand's own reason as the brand wrote it."""
    key = f"returns.reason.{reason}"
    try:
        return words.t(key)
    except KeyError:
        return reason


def reasons(words: HubWords, rules: PolicyRules) -> list[tuple[str, str]]:
    return [(r, reason_label(words, r)) for r in reasons_of(rules)]


def timeline(ret: ReturnRequest) -> tuple[TimelineStep, ...]:
    """The usual path with the moments reached, or the path up to a rejection."""
    state = ReturnState(ret.state)
    notes = {e.state: e.note for e in ret.events}
    if state is ReturnState.REJECTED:
        reached = [ReturnState(e.state) for e in ret.events]
        return tuple(
            TimelineStep(s, _at(ret, s), notes.get(s.value, ""))
            for s in [*PATH[: max(PATH.index(r) for r in reached if r in PATH) + 1], state]
        )
    return tuple(TimelineStep(s, _at(ret, s), notes.get(s.value, "")) for s in PATH)


def _at(ret: ReturnRequest, state: ReturnState) -> datetime | None:
    times = [e.created_at for e in ret.events if e.state == state.value]
    return max(times) if times else None


def order_returns(db: Session, brand_id: int, order: Order, rules: PolicyRules) -> list[ReturnView]:
    found = returns_of_order(db, brand_id, order.id)
    return [ReturnView(r, timeline(r), refund_due(r, rules)) for r in found]


def draft_from(form: PostedForm, order: Order) -> ReturnDraft:
    """The posted choices as a draft; a malformed field is refused in the shopper's words."""
    quantities: dict[int, int] = {}
    exchanges: dict[int, int] = {}
    for name, value in form.fields.items():
        if name.startswith("qty_"):
            item_id, raw = name.removeprefix("qty_"), value.strip() or "0"
            if not item_id.isdigit() or not raw.isdigit() or len(raw) > MAX_QUANTITY_FIELD:
                raise ReturnRefused("returns.error.quantity")
            quantities[int(item_id)] = int(raw)
        elif name.startswith("swap_") and value:
            item_id = name.removeprefix("swap_")
            if not item_id.isdigit() or not value.isdigit():
                raise ReturnRefused("returns.error.exchange_variant", item="?")
            exchanges[int(item_id)] = int(value)
    try:
        resolution = Resolution(form.get("resolution"))
    except ValueError:
        raise ReturnRefused("returns.error.resolution") from None
    return ReturnDraft(
        quantities=quantities,
        reason=form.get("reason", 100),
        resolution=resolution,
        exchanges=exchanges,
        comment=form.get("comment", 2000),
    )


def new_submit_key() -> str:
    """One per preview: the confirm button carries it, so a second click finds the first."""
    return secrets.token_urlsafe(24)
