"""The cancel tab: the fee that applies now, the refund, and a confirmation to cancel."""

from __future__ import annotations

from fastapi.responses import Response

from deskhand.domain.orders import Order
from deskhand.domain.policy import CancelVerdict, cancellation_terms
from deskhand.hub import editing, views
from deskhand.hub.context import HubRequest
from deskhand.hub.deps import CurrentCustomer, OrderForm, OrderPost, OwnOrder, hub_router
from deskhand.hub.editing import Change, Refusal
from deskhand.hub.routes.changes import submit_change
from deskhand.hub.views import Tab

router = hub_router()


def _cancel_page(
    hub: HubRequest,
    order: Order,
    *,
    status: int = 200,
    changed: bool = False,
    error: str | None = None,
) -> Response:
    terms = cancellation_terms(order, hub.rules, hub.now)
    return hub.render(
        "hub/cancel.html",
        status=status,
        **views.tab_context(order, Tab.CANCEL),
        terms=terms,
        stamp=editing.terms_stamp(terms),
        verdicts=CancelVerdict,
        changed=changed,
        error=error,
    )


@router.get("/orders/{number}/cancel")
def cancel_page(me: CurrentCustomer, order: OwnOrder) -> Response:
    return _cancel_page(me.hub, order)


def _cancel(posted: OrderPost) -> Change:
    hub = posted.hub
    return editing.cancel_order(
        store=hub.store,
        order=posted.order,
        rules=hub.rules,
        now=hub.now,
        shown_terms=posted.form.get("terms"),
    )


def _cancel_again(posted: OrderPost, refusal: Refusal) -> Response:
    """The terms as they are now; "they changed" when they are not what the page showed."""
    changed = isinstance(refusal, editing.TermsChanged)
    error = refusal.key if isinstance(refusal, editing.EditRefused) else None  # the shop's no
    return _cancel_page(posted.hub, posted.order, status=409, changed=changed, error=error)


@router.post("/orders/{number}/cancel")
def cancel_submit(posted: OrderForm) -> Response:
    return submit_change(posted, apply=_cancel, again=_cancel_again, then=Tab.OVERVIEW)
