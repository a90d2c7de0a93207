"""The edit tab: swap a size or colour, change a quantity, send the order elsewhere."""

from __future__ import annotations

from enum import StrEnum
from functools import partial

from fastapi.responses import Response

from deskhand.domain.orders import Order
from deskhand.hub import editing, views
from deskhand.hub.addresses import COUNTRIES, POSTCODES, read_address
from deskhand.hub.context import HubRequest
from deskhand.hub.deps import CurrentCustomer, OrderForm, OrderPost, OwnOrder, hub_router
from deskhand.hub.editing import Change, Refusal
from deskhand.hub.routes.changes import submit_change
from deskhand.hub.views import Tab

router = hub_router()
ADDRESS_FIELDS = ("name", "line1", "city", "postcode", "country")
FIELD_LIMIT = 200  # of what a refused address form shows again


class EditForm(StrEnum):
    """The forms on the edit tab; an error is shown next to the form that caused it."""

    VARIANT = "variant"
    QUANTITY = "quantity"
    ADDRESS = "address"

    def form_id(self, item: str) -> str:
        return self.value if self is EditForm.ADDRESS else f"{self.value}-{item}"


def _edit_page(
    hub: HubRequest,
    order: Order,
    *,
    status: int = 200,
    error: str | None = None,
    error_why: str | None = None,
    error_form: str | None = None,
    address_errors: dict[str, str] | None = None,
    address_values: dict[str, str] | None = None,
) -> Response:
    current = order.shipping_address
    values = address_values or (
        {
            "name": current.name,
            "line1": current.line1,
            "city": current.city,
            "postcode": current.postcode,
            "country": current.country,
        }
        if current
        else {}
    )
    return hub.render(
        "hub/edit.html",
        status=status,
        **views.tab_context(order, Tab.EDIT),
        view=editing.edit_view(store=hub.store, order=order, rules=hub.rules, now=hub.now),
        error=error,
        error_why=error_why,
        error_form=error_form,
        address_errors=address_errors or {},
        address=values,
        countries=COUNTRIES,
        postcodes=POSTCODES,
    )


@router.get("/orders/{number}/edit")
def edit_page(me: CurrentCustomer, order: OwnOrder) -> Response:
    return _edit_page(me.hub, order)


def _edit_again(posted: OrderPost, refusal: Refusal, *, form: EditForm) -> Response:
    """The edit tab again, with why the change was refused next to the form that asked."""
    order = posted.me.own_order(posted.order.number)  # as it is now, after the refusal
    if isinstance(refusal, editing.AddressInvalid):
        return _edit_page(
            posted.hub,
            order,
            status=422,
            error=views.ADDRESS_INVALID,
            error_form=EditForm.ADDRESS.form_id(""),
            address_errors=refusal.errors,
            address_values={k: posted.form.get(k, FIELD_LIMIT) for k in ADDRESS_FIELDS},
        )
    if not isinstance(refusal, editing.EditRefused):
        raise refusal
    return _edit_page(
        posted.hub,
        order,
        status=409 if refusal.why else 422,
        error=refusal.key,
        error_why=refusal.why.value if refusal.why else None,
        error_form=form.form_id(posted.form.get("item")),
    )


def _swap(posted: OrderPost) -> Change:
    hub = posted.hub
    return editing.swap_variant(
        store=hub.store,
        order=posted.order,
        rules=hub.rules,
        now=hub.now,
        item_id=posted.form.get("item"),
        variant_id=posted.form.get("variant"),
    )


def _quantity(posted: OrderPost) -> Change:
    hub = posted.hub
    return editing.change_quantity(
        store=hub.store,
        order=posted.order,
        rules=hub.rules,
        now=hub.now,
        item_id=posted.form.get("item"),
        quantity=posted.form.get("quantity"),
    )


def _address(posted: OrderPost) -> Change:
    address, errors = read_address(dict(posted.form.fields))
    if address is None:
        raise editing.AddressInvalid(errors)
    hub = posted.hub
    return editing.change_address(
        store=hub.store, order=posted.order, rules=hub.rules, now=hub.now, address=address
    )


@router.post("/orders/{number}/edit/variant")
def swap_submit(posted: OrderForm) -> Response:
    again = partial(_edit_again, form=EditForm.VARIANT)
    return submit_change(posted, apply=_swap, again=again, then=Tab.EDIT)


@router.post("/orders/{number}/edit/quantity")
def quantity_submit(posted: OrderForm) -> Response:
    again = partial(_edit_again, form=EditForm.QUANTITY)
    return submit_change(posted, apply=_quantity, again=again, then=Tab.EDIT)


@router.post("/orders/{number}/edit/address")
def address_submit(posted: OrderForm) -> Response:
    again = partial(_edit_again, form=EditForm.ADDRESS)
    return submit_change(posted, apply=_address, again=again, then=Tab.EDIT)
