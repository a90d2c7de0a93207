"""The Customer Hub's pages at /hub: thin routes over signin, editing and the Store port."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from deskhand.db.session import transaction
from deskhand.domain.policy import CancelVerdict, cancellation_terms
from deskhand.hub import editing, signin, views
from deskhand.hub.addresses import COUNTRIES, POSTCODES, read_address
from deskhand.hub.context import HubRequest, open_hub
from deskhand.hub.forms import TOO_LARGE, read_form
from deskhand.hub.sessions import SIGNIN_COOKIE
from deskhand.serving.deps import AppState, app_state

router = APIRouter(prefix="/hub", include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
Form = Annotated[dict[str, str], Depends(read_form)]
SIGN_IN_ATTEMPTS_PER_MINUTE = 20


def _hub(request: Request, state: State, page: Callable[[HubRequest], Response]) -> Response:
    """Run one page in one transaction; no brand yet means no Hub."""
    with transaction(state.sessions) as db:
        hub = open_hub(request, state, db)
        if hub is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        return page(hub)


def _posted(hub: HubRequest, form: dict[str, str]) -> Response | None:
    """Refuse an oversized body or a missing or wrong CSRF token; None when the form is fine."""
    if TOO_LARGE in form:
        return hub.problem(413, "hub.problem.too_large_title", "hub.problem.too_large_body")
    if not hub.csrf_ok(form.get("csrf")):
        return hub.problem(403, "hub.problem.csrf_title", "hub.problem.csrf_body")
    return None


def _limited(hub: HubRequest, bucket: str) -> Response | None:
    wait = hub.state.limiter.hit(bucket, hub.client, SIGN_IN_ATTEMPTS_PER_MINUTE, 60)
    if not wait:
        return None
    return hub.problem(
        429,
        "hub.problem.slow_down_title",
        "hub.problem.slow_down_body",
        headers={"Retry-After": str(int(wait) + 1)},
    )


# -- sign-in ---------------------------------------------------------------------------------


@router.get("/sign-in")
def sign_in_page(request: Request, state: State) -> Response:
    def page(hub: HubRequest) -> Response:
        next_path = signin.safe_next(request.query_params.get("next"))
        if gate := hub.gate(signed_in=False):
            return gate
        if hub.login is not None:
            return hub.redirect(next_path)
        reason = request.query_params.get("reason")
        return hub.render(
            "hub/sign_in.html",
            next_path=next_path,
            notice="hub.signin.link_used" if reason == "link" else None,
            address="",
            error=None,
        )

    return _hub(request, state, page)


@router.post("/sign-in")
def sign_in_submit(request: Request, state: State, form: Form) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate(signed_in=False):
            return gate
        if refused := _posted(hub, form) or _limited(hub, "hub-sign-in"):
            return refused
        next_path = signin.safe_next(form.get("next"))
        result, row = signin.request_sign_in(
            hub.db,
            brand=hub.brand,
            settings=state.settings,
            secret=hub.secret,
            raw_address=form.get("address", "")[:320],
            next_path=next_path,
            client_key=hub.client,
            base_url=state.settings.base_url,
            words=hub.words,
            now=hub.now,
        )
        if result != signin.Requested.SENT or row is None:
            key = (
                "hub.signin.error_address"
                if result == signin.Requested.INVALID
                else "hub.signin.error_limited"
            )
            status = 422 if result == signin.Requested.INVALID else 429
            return hub.render(
                "hub/sign_in.html",
                status=status,
                next_path=next_path,
                notice=None,
                address=form.get("address", "")[:320],
                error=key,
            )
        hub.set_cookie(SIGNIN_COOKIE, row.public_id, int(signin.LINK_TTL.total_seconds()))
        return hub.redirect("/hub/sign-in/code")

    return _hub(request, state, page)


def _code_page(hub: HubRequest, error: str | None, status: int = 200, **params: object) -> Response:
    row = signin.pending_request(
        hub.db, brand_id=hub.brand.id, public_id=hub.request.cookies.get(SIGNIN_COOKIE)
    )
    if row is None or row.consumed_at is not None:
        if error is None:
            return hub.redirect("/hub/sign-in")
        row = None
    return hub.render(
        "hub/code.html",
        status=status,
        masked=signin.mask(row.channel, row.address) if row else None,
        channel=row.channel if row else "email",
        address=row.address if row else "",
        next_path=row.next_path if row else "/hub",
        minutes=hub.state.settings.code_ttl_minutes,
        error=error,
        error_params=params,
    )


@router.get("/sign-in/code")
def code_page(request: Request, state: State) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate(signed_in=False):
            return gate
        return _code_page(hub, None)

    return _hub(request, state, page)


@router.post("/sign-in/code")
def code_submit(request: Request, state: State, form: Form) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate(signed_in=False):
            return gate
        if refused := _posted(hub, form) or _limited(hub, "hub-code"):
            return refused
        row = signin.pending_request(
            hub.db, brand_id=hub.brand.id, public_id=request.cookies.get(SIGNIN_COOKIE)
        )
        outcome = signin.check_code(
            hub.db,
            row=row,
            settings=state.settings,
            secret=hub.secret,
            code=form.get("code", "")[:20],
            now=hub.now,
        )
        if outcome.result == signin.Checked.OK and outcome.customer_id is not None:
            hub.sign_in_as(outcome.customer_id, "code")
            return hub.redirect(outcome.next_path)
        errors = {
            signin.Checked.WRONG: "hub.code.error_wrong",
            signin.Checked.EXPIRED: "hub.code.error_expired",
            signin.Checked.LOCKED: "hub.code.error_locked",
            signin.Checked.UNKNOWN: "hub.code.error_unknown",
        }
        return _code_page(hub, errors[outcome.result], 422, left=outcome.tries_left)

    return _hub(request, state, page)


@router.get("/sign-in/link")
def magic_link_page(request: Request, state: State) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate(signed_in=False):
            return gate
        token = request.query_params.get("token", "")
        row = signin.read_magic_link(
            hub.db, brand_id=hub.brand.id, secret=hub.secret, token=token, now=hub.now
        )
        if row is None:
            return hub.render(
                "hub/sign_in.html",
                status=410,
                next_path="/hub",
                notice=None,
                address="",
                error="hub.link.error_invalid",
            )
        # Mail scanners open links: the link only signs in after a press on this button.
        return hub.render(
            "hub/link.html", token=token, masked=signin.mask(row.channel, row.address)
        )

    return _hub(request, state, page)


@router.post("/sign-in/link")
def magic_link_submit(request: Request, state: State, form: Form) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate(signed_in=False):
            return gate
        if refused := _posted(hub, form) or _limited(hub, "hub-link"):
            return refused
        outcome = signin.use_magic_link(
            hub.db,
            brand_id=hub.brand.id,
            secret=hub.secret,
            token=form.get("token", "")[:300],
            now=hub.now,
        )
        if outcome.result != signin.Checked.OK or outcome.customer_id is None:
            return hub.render(
                "hub/sign_in.html",
                status=410,
                next_path="/hub",
                notice=None,
                address="",
                error="hub.link.error_invalid",
            )
        hub.sign_in_as(outcome.customer_id, "link")
        return hub.redirect(outcome.next_path)

    return _hub(request, state, page)


@router.post("/sign-out")
def sign_out(request: Request, state: State, form: Form) -> Response:
    def page(hub: HubRequest) -> Response:
        if refused := _posted(hub, form):
            return refused
        hub.sign_out()
        return hub.render("hub/signed_out.html")

    return _hub(request, state, page)


# -- orders ----------------------------------------------------------------------------------


@router.get("")
def orders_page(request: Request, state: State) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate():
            return gate
        assert hub.customer is not None
        orders = hub.store.orders_of(hub.customer.id)
        return hub.render("hub/orders.html", orders=orders, total=views.live_total)

    return _hub(request, state, page)


def _order_tab(
    request: Request, state: State, number: str, render: Callable[[HubRequest, object], Response]
) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate():
            return gate
        order = hub.order(number)
        if order is None:
            return hub.not_found()
        return render(hub, order)

    return _hub(request, state, page)


def _tab_context(hub: HubRequest, order, tab: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"order": order, "tab": tab, "total": views.live_total(order)}


@router.get("/orders/{number}")
def order_page(number: str, request: Request, state: State) -> Response:
    def render(hub: HubRequest, order) -> Response:  # type: ignore[no-untyped-def]
        return hub.render(
            "hub/order.html",
            **_tab_context(hub, order, "overview"),
            view=editing.edit_view(store=hub.store, order=order, rules=hub.rules, now=hub.now),
            history=views.history_of(hub.db, order, hub.words),
            shipment_items=views.shipment_items,
        )

    return _order_tab(request, state, number, render)


def _edit_page(
    hub: HubRequest,
    order,  # type: ignore[no-untyped-def]
    status: int = 200,
    error: str | None = None,
    error_why: str | None = None,
    error_form: str | None = None,
    address_errors: dict[str, str] | None = None,
    address_values: dict[str, str] | None = None,
) -> Response:
    view = editing.edit_view(store=hub.store, order=order, rules=hub.rules, now=hub.now)
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
        **_tab_context(hub, order, "edit"),
        view=view,
        error=error,
        error_why=error_why,
        error_form=error_form,
        address_errors=address_errors or {},
        address=values,
        countries=COUNTRIES,
        postcodes=POSTCODES,
    )


@router.get("/orders/{number}/edit")
def edit_page(number: str, request: Request, state: State) -> Response:
    return _order_tab(request, state, number, lambda hub, order: _edit_page(hub, order))


def _change(
    request: Request,
    state: State,
    number: str,
    form: dict[str, str],
    kind: str,
    apply: Callable[[HubRequest, object], editing.Change],
) -> Response:
    """Check the form, re-check the policy now, change through the Store, record, confirm."""

    def page(hub: HubRequest) -> Response:
        if gate := hub.gate():
            return gate
        if refused := _posted(hub, form):
            return refused
        order = hub.order(number)
        if order is None:
            return hub.not_found()
        assert hub.customer is not None
        assert hub.login is not None
        try:
            change = apply(hub, order)
        except AddressInvalid as invalid:
            return _edit_page(
                hub,
                order,
                status=422,
                error="hub.address.error.summary",
                error_form="address",
                address_errors=invalid.errors,
                address_values={k: form.get(k, "")[:200] for k in POSTCODE_FIELDS},
            )
        except editing.EditRefused as refused_edit:
            hub.db.rollback()  # nothing of a refused change may stay
            order = hub.order(number)
            assert order is not None
            return _edit_page(
                hub,
                order,
                status=409 if refused_edit.why else 422,
                error=refused_edit.key,
                error_why=refused_edit.why.value if refused_edit.why else None,
                error_form=f"{kind}-{form.get('item', '')}" if kind != "address" else "address",
            )
        editing.record_change(
            hub.db,
            order=order,
            change=change,
            brand_id=hub.brand.id,
            customer_id=hub.customer.id,
            hub_session_id=hub.login.id,
            now=hub.now,
        )
        hub.flash(f"hub.done.{change.action}", **_done_params(hub, change))
        return hub.redirect(f"/hub/orders/{order.number}/edit")

    return _hub(request, state, page)


def _done_params(hub: HubRequest, change: editing.Change) -> dict[str, object]:
    a = change.after
    if change.action == "swap_variant":
        return {"item": a["title"], "before": change.before["variant"], "after": a["variant"]}
    if change.action == "change_quantity":
        return {"item": a["title"], "quantity": a["quantity"]}
    return {"address": f"{a['line1']}, {a['postcode']} {a['city']}"}


@router.post("/orders/{number}/edit/variant")
def swap_submit(number: str, request: Request, state: State, form: Form) -> Response:
    def apply(hub: HubRequest, order) -> editing.Change:  # type: ignore[no-untyped-def]
        return editing.swap_variant(
            store=hub.store,
            order=order,
            rules=hub.rules,
            now=hub.now,
            item_id=form.get("item", ""),
            variant_id=form.get("variant", ""),
        )

    return _change(request, state, number, form, "variant", apply)


@router.post("/orders/{number}/edit/quantity")
def quantity_submit(number: str, request: Request, state: State, form: Form) -> Response:
    def apply(hub: HubRequest, order) -> editing.Change:  # type: ignore[no-untyped-def]
        return editing.change_quantity(
            store=hub.store,
            order=order,
            rules=hub.rules,
            now=hub.now,
            item_id=form.get("item", ""),
            quantity=form.get("quantity", ""),
        )

    return _change(request, state, number, form, "quantity", apply)


@router.post("/orders/{number}/edit/address")
def address_submit(number: str, request: Request, state: State, form: Form) -> Response:
    def apply(hub: HubRequest, order) -> editing.Change:  # type: ignore[no-untyped-def]
        address, errors = read_address(form)
        if address is None:
            raise AddressInvalid(errors)
        return editing.change_address(
            store=hub.store, order=order, rules=hub.rules, now=hub.now, address=address
        )

    return _change(request, state, number, form, "address", apply)


class AddressInvalid(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid address")
        self.errors = errors


POSTCODE_FIELDS = ("name", "line1", "city", "postcode", "country")


# -- cancel ----------------------------------------------------------------------------------


def _cancel_page(hub: HubRequest, order, status: int = 200, changed: bool = False) -> Response:  # type: ignore[no-untyped-def]
    terms = cancellation_terms(order, hub.rules, hub.now)
    return hub.render(
        "hub/cancel.html",
        status=status,
        **_tab_context(hub, order, "cancel"),
        terms=terms,
        stamp=editing.terms_stamp(terms),
        verdicts=CancelVerdict,
        changed=changed,
    )


@router.get("/orders/{number}/cancel")
def cancel_page(number: str, request: Request, state: State) -> Response:
    return _order_tab(request, state, number, lambda hub, order: _cancel_page(hub, order))


@router.post("/orders/{number}/cancel")
def cancel_submit(number: str, request: Request, state: State, form: Form) -> Response:
    def page(hub: HubRequest) -> Response:
        if gate := hub.gate():
            return gate
        if refused := _posted(hub, form):
            return refused
        order = hub.order(number)
        if order is None:
            return hub.not_found()
        assert hub.customer is not None
        assert hub.login is not None
        try:
            change, terms = editing.cancel_order(
                store=hub.store,
                order=order,
                rules=hub.rules,
                now=hub.now,
                shown_terms=form.get("terms", ""),
            )
        except editing.TermsChanged:
            return _cancel_page(hub, order, status=409, changed=True)
        except editing.EditRefused:
            return _cancel_page(hub, order, status=409)
        editing.record_change(
            hub.db,
            order=order,
            change=change,
            brand_id=hub.brand.id,
            customer_id=hub.customer.id,
            hub_session_id=hub.login.id,
            now=hub.now,
        )
        key = "hub.done.cancel_partial" if terms.shipped_items else "hub.done.cancel"
        hub.flash(
            key,
            number=order.number,
            fee=hub.words.money(terms.fee),
            refund=hub.words.money(terms.refund),
            days=hub.rules.refund_business_days,
        )
        return hub.redirect(f"/hub/orders/{order.number}")

    return _hub(request, state, page)


# -- track and returns -----------------------------------------------------------------------


@router.get("/orders/{number}/track")
def track_page(number: str, request: Request, state: State) -> Response:
    return _order_tab(
        request,
        state,
        number,
        lambda hub, order: hub.render(
            "hub/track.html",
            **_tab_context(hub, order, "track"),
            shipment_items=views.shipment_items,
            unshipped=[i for i in order.items if i.status.value == "unfulfilled"],
        ),
    )


@router.get("/orders/{number}/track/{position}")
def shipment_page(number: str, position: str, request: Request, state: State) -> Response:
    def render(hub: HubRequest, order) -> Response:  # type: ignore[no-untyped-def]
        index = int(position) - 1 if position.isdigit() and len(position) < 4 else -1
        if not 0 <= index < len(order.shipments):
            return hub.not_found()
        shipment = order.shipments[index]
        return hub.render(
            "hub/shipment.html",
            **_tab_context(hub, order, "track"),
            shipment=shipment,
            position=index + 1,
            items=views.shipment_items(order, shipment),
        )

    return _order_tab(request, state, number, render)


@router.get("/orders/{number}/return")
def returns_page(number: str, request: Request, state: State) -> Response:
    def render(hub: HubRequest, order) -> Response:  # type: ignore[no-untyped-def]
        verdicts = views.return_verdicts(order, hub.rules, hub.now)
        return hub.render(
            "hub/returns.html",
            **_tab_context(hub, order, "return"),
            verdicts=[(v, views.return_text(v, hub.words, hub.rules)) for v in verdicts],
        )

    return _order_tab(request, state, number, render)


@router.api_route("/{rest:path}", methods=["GET", "POST"])
def unknown_page(rest: str, request: Request, state: State) -> Response:
    """Any other /hub address: the same HTML "not found" page, in the shopper's language."""

    def page(hub: HubRequest) -> Response:
        if not hub.rules.hub_enabled:
            return hub.problem(404, "hub.problem.off_title", "hub.problem.off_body")
        return hub.not_found()

    return _hub(request, state, page)
