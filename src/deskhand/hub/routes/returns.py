"""The returns tab: what can go back and why not, the return form, a preview of the money,
the confirmation, the return's timeline and its slip (PDF with the RMA number and QR code)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from deskhand.domain.orders import Order
from deskhand.domain.returns import Resolution
from deskhand.domain.vocabulary import ReturnsProviderKind
from deskhand.hub import returning, views
from deskhand.hub.context import HubRequest
from deskhand.hub.deps import CurrentCustomer, OrderForm, OrderPost, OwnOrder, hub_router
from deskhand.hub.return_emails import email_return_state
from deskhand.hub.return_slip import return_slip
from deskhand.hub.views import Tab
from deskhand.returns.providers import Availability, returns_availability
from deskhand.returns.records import by_rma
from deskhand.returns.starting import ReturnRefused, check_draft, start_return
from deskhand.returns.vendors import ProviderError

router = hub_router()


def _availability(hub: HubRequest) -> Availability:
    email = hub.customer.email if hub.customer else ""
    return returns_availability(hub.db, hub.brand, hub.rules, hub.state.settings, email)


def _builtin(hub: HubRequest) -> bool:
    """Whether returns start here (the built-in portal), not at Loop or AfterShip."""
    provider = _availability(hub).provider
    return provider is not None and provider.kind is ReturnsProviderKind.BUILTIN


SUBMIT_KEY_MAX = 64
# Refusals because the order or the stock changed since the page was shown (409); the rest
# are a form that does not make sense (422).
CONFLICTS = (
    "returns.error.not_returnable",
    "returns.error.window_closed",
    "returns.error.out_of_stock",
)


def _tab(
    hub: HubRequest,
    order: Order,
    *,
    status: int = 200,
    error: ReturnRefused | None = None,
    chosen: dict[str, str] | None = None,
) -> Response:
    lines = returning.portal_lines(hub.db, hub.store, hub.brand.id, order, hub.rules, hub.now)
    availability = _availability(hub)
    provider = availability.provider
    elsewhere: str | None = None  # Loop or AfterShip: their returns page, by a deep link
    if provider is not None and provider.kind is not ReturnsProviderKind.BUILTIN:
        try:
            elsewhere = provider.portal_url(order)
        except ProviderError:
            error = error or ReturnRefused("returns.portal.provider_down")
    return hub.render(
        "hub/returns.html",
        status=status,
        **views.tab_context(order, Tab.RETURN),
        lines=lines,
        why_not=lambda line: views.return_text(line, hub.words, hub.rules),
        available=availability.available and elsewhere is None,
        elsewhere=elsewhere,
        reasons=returning.reasons(hub.words, hub.rules),
        reason_label=lambda reason: returning.reason_label(hub.words, reason),
        resolutions=list(Resolution),
        returns=returning.order_returns(hub.db, hub.brand.id, order, hub.rules),
        error=hub.words.t(error.key, **error.params) if error else None,
        chosen=chosen or {},
    )


@router.get("/orders/{number}/return")
def returns_page(me: CurrentCustomer, order: OwnOrder) -> Response:
    return _tab(me.hub, order)


def _refused(posted: OrderPost, refusal: ReturnRefused) -> Response:
    """The form again, with what was chosen and why it cannot go through; nothing written."""
    conflicts = (
        "returns.error.not_returnable",
        "returns.error.window_closed",
        "returns.error.out_of_stock",
    )
    status = 409 if refusal.key in conflicts else 422
    return _tab(
        posted.hub, posted.order, status=status, error=refusal, chosen=dict(posted.form.fields)
    )


@router.post("/orders/{number}/return/preview")
def return_preview(posted: OrderForm) -> Response:
    """What the return gives back, before the shopper confirms it (nothing is written)."""
    hub, order = posted.hub, posted.order
    if not _builtin(hub):
        return _tab(hub, order, status=409)
    try:
        draft = returning.draft_from(posted.form, order)
        checked = check_draft(hub.db, hub.store, hub.brand.id, order, hub.rules, hub.now, draft)
    except ReturnRefused as refusal:
        return _refused(posted, refusal)
    hidden: dict[str, Any] = {k: v for k, v in posted.form.fields.items() if k != "csrf"}
    return hub.render(
        "hub/return_preview.html",
        **views.tab_context(order, Tab.RETURN),
        checked=checked,
        draft=draft,
        reason=returning.reason_label(hub.words, draft.reason),
        hidden=hidden,
        submit_key=returning.new_submit_key(),
    )


@router.post("/orders/{number}/return")
def return_submit(posted: OrderForm) -> Response:
    """Start the return, re-checked now; a second click of the same confirmation finds it."""
    hub, me, order = posted.hub, posted.me, posted.order
    if not _builtin(hub):
        return _tab(hub, order, status=409)
    key = posted.form.get("submit_key")
    try:
        if not key or len(key) > SUBMIT_KEY_MAX:
            raise ReturnRefused("returns.error.expired_form")
        draft = returning.draft_from(posted.form, order)
        with hub.db.begin_nested():  # a refusal rolls back whatever the attempt wrote
            ret, new = start_return(
                hub.db,
                store=hub.store,
                brand_id=hub.brand.id,
                rules=hub.rules,
                customer=me.customer,
                order=order,
                draft=draft,
                language=hub.words.lang,
                submit_key=key,
                now=hub.now,
                notify=email_return_state,
            )
    except ReturnRefused as refusal:
        return _refused(posted, refusal)
    if new:
        hub.flash("returns.portal.done", rma=ret.rma)
    return hub.redirect(f"{Tab.RETURN.path(order.number)}#{ret.rma}")


@router.get("/orders/{number}/return/{rma}/slip.pdf")
def return_slip_pdf(rma: str, me: CurrentCustomer, order: OwnOrder) -> Response:
    hub = me.hub
    ret = by_rma(hub.db, hub.brand.id, rma) if len(rma) <= 32 else None
    if ret is None or ret.order_id != order.id:
        return hub.not_found()
    pdf = return_slip(ret, hub.brand, hub.words)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{ret.rma}.pdf"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
