"""Sign-in pages: ask for a code, type it, or press the magic link's button; and sign out."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from deskhand.hub import signin, views
from deskhand.hub.context import Answer, HubRequest
from deskhand.hub.deps import HubPage, PageForm, Visitor, VisitorForm, hub_router
from deskhand.hub.sessions import SIGNIN_COOKIE
from deskhand.verification.handoff import redeem_handoff

router = hub_router()
SIGN_IN_ATTEMPTS_PER_MINUTE = 20
ADDRESS_LIMIT, CODE_LIMIT, TOKEN_LIMIT = 320, 20, 300


class Tries(StrEnum):
    """The per-client rate-limit bucket of each sign-in form."""

    SIGN_IN = "hub-sign-in"
    CODE = "hub-code"
    LINK = "hub-link"


def _limit(hub: HubRequest, bucket: Tries) -> None:
    """Slow down one client posting a sign-in form over and over."""
    wait = hub.state.limiter.hit(bucket, hub.client, SIGN_IN_ATTEMPTS_PER_MINUTE, 60)
    if wait:
        raise Answer(hub.slow_down(wait))


def _sign_in_form(
    hub: HubRequest,
    *,
    status: int = 200,
    next_path: str = "/hub",
    notice: str | None = None,
    address: str = "",
    error: str | None = None,
) -> Response:
    return hub.render(
        "hub/sign_in.html",
        status=status,
        next_path=next_path,
        notice=notice,
        address=address,
        error=error,
    )


@router.get("/sign-in")
def sign_in_page(
    hub: Visitor,
    next_param: Annotated[str | None, Query(alias="next")] = None,
    reason: str | None = None,
) -> Response:
    next_path = signin.safe_next(next_param)
    if hub.login is not None:
        return hub.redirect(next_path)
    notice = views.LINK_USED if reason == "link" else None
    return _sign_in_form(hub, next_path=next_path, notice=notice)


@router.post("/sign-in")
def sign_in_submit(hub: Visitor, form: VisitorForm) -> Response:
    _limit(hub, Tries.SIGN_IN)
    next_path = signin.safe_next(form.get("next"))
    address = form.get("address", ADDRESS_LIMIT)
    result, row = signin.request_sign_in(
        hub.db,
        brand=hub.brand,
        settings=hub.state.settings,
        secret=hub.secret,
        raw_address=address,
        next_path=next_path,
        client_key=hub.client,
        base_url=hub.state.settings.base_url,
        words=hub.words,
        now=hub.now,
    )
    if result != signin.Requested.SENT or row is None:
        status = 422 if result == signin.Requested.INVALID else 429
        error = views.REQUEST_ERRORS.get(result, views.REQUEST_ERRORS[signin.Requested.LIMITED])
        return _sign_in_form(hub, status=status, next_path=next_path, address=address, error=error)
    hub.set_cookie(SIGNIN_COOKIE, row.public_id, int(signin.LINK_TTL.total_seconds()))
    return hub.redirect("/hub/sign-in/code")


def _code_page(
    hub: HubRequest, error: str | None = None, status: int = 200, **params: object
) -> Response:
    """The code form for this browser's sign-in request; without one, back to the start."""
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
def code_page(hub: Visitor) -> Response:
    return _code_page(hub)


@router.post("/sign-in/code")
def code_submit(hub: Visitor, form: VisitorForm) -> Response:
    _limit(hub, Tries.CODE)
    row = signin.pending_request(
        hub.db, brand_id=hub.brand.id, public_id=hub.request.cookies.get(SIGNIN_COOKIE)
    )
    outcome = signin.check_code(
        hub.db,
        row=row,
        settings=hub.state.settings,
        secret=hub.secret,
        code=form.get("code", CODE_LIMIT),
        now=hub.now,
    )
    if outcome.result == signin.Checked.OK and outcome.customer_id is not None:
        hub.sign_in_as(outcome.customer_id, "code")
        return hub.redirect(outcome.next_path)
    error = views.CODE_ERRORS.get(outcome.result, views.CODE_ERRORS[signin.Checked.UNKNOWN])
    return _code_page(hub, error, 422, left=outcome.tries_left)


def _link_invalid(hub: HubRequest) -> Response:
    return _sign_in_form(hub, status=410, error=views.LINK_INVALID)


@router.get("/sign-in/link")
def magic_link_page(hub: Visitor, token: str = "") -> Response:
    row = signin.read_magic_link(
        hub.db, brand_id=hub.brand.id, secret=hub.secret, token=token, now=hub.now
    )
    if row is None:
        return _link_invalid(hub)
    # Mail scanners open links: the link only signs in after a press on this button.
    return hub.render("hub/link.html", token=token, masked=signin.mask(row.channel, row.address))


@router.post("/sign-in/link")
def magic_link_submit(hub: Visitor, form: VisitorForm) -> Response:
    _limit(hub, Tries.LINK)
    outcome = signin.use_magic_link(
        hub.db,
        brand_id=hub.brand.id,
        secret=hub.secret,
        token=form.get("token", TOKEN_LIMIT),
        now=hub.now,
    )
    if outcome.result != signin.Checked.OK or outcome.customer_id is None:
        return _link_invalid(hub)
    hub.sign_in_as(outcome.customer_id, "link")
    return hub.redirect(outcome.next_path)


@router.post("/sign-in/switch")
def switch_submit(hub: Visitor, form: VisitorForm) -> Response:
    """The shopper chose to switch to the account of a hand-off link opened while signed in."""
    _limit(hub, Tries.LINK)
    customer_id = redeem_handoff(
        hub.db, brand_id=hub.brand.id, token=form.get("token", TOKEN_LIMIT), now=hub.now
    )
    if customer_id is None:
        return _link_invalid(hub)
    hub.sign_in_as(customer_id, "handoff")
    return hub.redirect(signin.safe_next(form.get("next")))


@router.post("/sign-out")
def sign_out(hub: HubPage, form: PageForm) -> Response:
    hub.sign_out()
    return hub.render("hub/signed_out.html")
