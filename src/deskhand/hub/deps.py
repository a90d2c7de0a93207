"""The Hub's typed dependencies, so that each route only wires.

Every Hub page runs in one transaction (`Db`) for the installation's first brand (`Brand`).
`HubPage` is the request's context with no gate; `Visitor` adds the gate of pages open to
anyone (the Hub off, a hand-off link); `CurrentCustomer` is the signed-in customer, or a
redirect to sign-in that comes back here. The `*Form` dependencies run the same gate, then
refuse an oversized body or a bad CSRF token; `OrderForm` then finds the customer's order.
A check that ends the request raises `Answer`, which `HubRoute` turns into the response.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import transaction
from deskhand.domain.orders import Order
from deskhand.hub.context import Answer, HubRequest, SignedIn, open_hub
from deskhand.hub.forms import PostedForm, read_form
from deskhand.serving.deps import State
from deskhand.serving.news import Posted, publish


class HubRoute(APIRoute):
    """A Hub route: an `Answer` raised by a dependency or the route is the response."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer_early(request: Request) -> Response:
            try:
                return await handler(request)
            except Answer as answer:
                return answer.response

        return answer_early


def hub_router() -> APIRouter:
    """A router for one group of Hub pages (under /hub, not in the API's schema)."""
    return APIRouter(prefix="/hub", include_in_schema=False, route_class=HubRoute)


def hub_db(state: State) -> Iterator[Session]:
    """One transaction per page, committed before the response leaves (even an `Answer`);
    what it posted into a conversation then reaches that conversation's open sockets."""
    early: Answer | None = None
    with transaction(state.sessions) as db:
        posted = Posted(db)
        try:
            yield db
        except Answer as answer:
            early = answer
        frames = posted.frames(db)
    publish(state.bus, frames)
    if early is not None:
        raise early


# "function" scope: commit before the response is sent, so the next page sees the change.
Db = Annotated[Session, Depends(hub_db, scope="function")]


def hub_brand(db: Db) -> models.Brand:
    """The brand the Hub serves: the installation's first; none set up yet means no Hub."""
    brand = find_brand(db)
    if brand is None:
        raise Answer(Response("Not found", status_code=404, media_type="text/plain"))
    return brand


Brand = Annotated[models.Brand, Depends(hub_brand)]


def hub_page(request: Request, state: State, db: Db, brand: Brand) -> HubRequest:
    return open_hub(request, state, db, brand)


HubPage = Annotated[HubRequest, Depends(hub_page)]


def visitor(hub: HubPage) -> HubRequest:
    """A page open to anyone (sign-in): only the Hub being off or a hand-off link come first."""
    hub.admit(signed_in=False)
    return hub


Visitor = Annotated[HubRequest, Depends(visitor)]


def signed_in(hub: HubPage) -> SignedIn:
    """The signed-in customer; nobody signed in means sign-in first, then back to this page."""
    hub.admit()
    if hub.login is None or hub.customer is None:
        raise Answer(hub.redirect(hub.sign_in_url(hub.request.url.path)))
    return SignedIn(hub, hub.login, hub.customer)


CurrentCustomer = Annotated[SignedIn, Depends(signed_in)]
RawForm = Annotated[PostedForm, Depends(read_form)]


def page_form(hub: HubPage, form: RawForm) -> PostedForm:
    """A form any page may post (sign-out): size and CSRF checked, no gate."""
    hub.check_post(form)
    return form


def visitor_form(hub: Visitor, form: RawForm) -> PostedForm:
    """A sign-in form: the visitor's gate, then size and CSRF (bound to the pre-session)."""
    hub.check_post(form)
    return form


def customer_form(me: CurrentCustomer, form: RawForm) -> PostedForm:
    """A signed-in customer's form: sign-in first, then size and CSRF (bound to the session)."""
    me.hub.check_post(form)
    return form


PageForm = Annotated[PostedForm, Depends(page_form)]
VisitorForm = Annotated[PostedForm, Depends(visitor_form)]
CustomerForm = Annotated[PostedForm, Depends(customer_form)]


def own_order(number: str, me: CurrentCustomer) -> Order:
    """The order in the address, if it is this customer's; else the one "not found" page."""
    return me.own_order(number)


OwnOrder = Annotated[Order, Depends(own_order)]


@dataclass(frozen=True)
class OrderPost:
    """A checked form posted about one of the customer's orders."""

    me: SignedIn
    order: Order
    form: PostedForm

    @property
    def hub(self) -> HubRequest:
        return self.me.hub


def order_post(number: str, me: CurrentCustomer, form: CustomerForm) -> OrderPost:
    """Sign-in, size and CSRF first, then the order: a refused form reveals no order."""
    return OrderPost(me, me.own_order(number), form)


OrderForm = Annotated[OrderPost, Depends(order_post)]
