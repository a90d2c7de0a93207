"""The customer's orders: the list, one order's overview, and where its parcels are."""

from __future__ import annotations

from fastapi.responses import Response

from deskhand.hub import editing, views
from deskhand.hub.deps import CurrentCustomer, OwnOrder, hub_router
from deskhand.hub.views import Tab

router = hub_router()


@router.get("")
def orders_page(me: CurrentCustomer) -> Response:
    orders = me.hub.store.orders_of(me.customer.id)
    db = me.hub.db
    return me.hub.render(
        "hub/orders.html", orders=orders, total=lambda o: views.total_charged(db, o)
    )


@router.get("/orders/{number}")
def order_page(me: CurrentCustomer, order: OwnOrder) -> Response:
    hub = me.hub
    context = {
        **views.tab_context(order, Tab.OVERVIEW),
        "total": views.total_charged(hub.db, order),
        "fee_kept": views.fee_kept(hub.db, order),
    }
    return hub.render(
        "hub/order.html",
        **context,
        view=editing.edit_view(store=hub.store, order=order, rules=hub.rules, now=hub.now),
        history=views.history_of(hub.db, order, hub.words),
        shipment_items=views.shipment_items,
    )


@router.get("/orders/{number}/track")
def track_page(me: CurrentCustomer, order: OwnOrder) -> Response:
    return me.hub.render(
        "hub/track.html",
        **views.tab_context(order, Tab.TRACK),
        shipment_items=views.shipment_items,
        unshipped=views.unshipped(order),
    )


@router.get("/orders/{number}/track/{position}")
def shipment_page(me: CurrentCustomer, order: OwnOrder, position: str) -> Response:
    place = views.shipment_position(order, position)
    if place is None:
        return me.hub.not_found()
    shipment = order.shipments[place - 1]
    return me.hub.render(
        "hub/shipment.html",
        **views.tab_context(order, Tab.TRACK),
        shipment=shipment,
        position=place,
        items=views.shipment_items(order, shipment),
    )
