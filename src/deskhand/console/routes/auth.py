"""Signing in and out, accepting an invitation, resetting a password."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.console.context import ConsoleRequest
from deskhand.console.deps import Console, MemberForm, VisitorForm, console_router
from deskhand.team.accounts import AccountError, SignIn, sign_in
from deskhand.team.invitations import Purpose, open_token, request_reset, use_token

router = console_router()
ATTEMPTS_PER_MINUTE = 10  # sign-ins and reset requests from one client address


def _safe_next(target: str) -> str:
    """Only a path of the console: never another site."""
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target[:300]
    return "/admin"


def _throttled(console: ConsoleRequest, bucket: str) -> Response | None:
    client = console.request.client.host if console.request.client else "unknown"
    wait = console.state.limiter.hit(bucket, client, ATTEMPTS_PER_MINUTE, 60)
    if not wait:
        return None
    response = console.refuse(429, "Slow down", "Too many tries. Wait a minute and try again.")
    response.headers["Retry-After"] = str(int(wait) + 1)
    return response


@router.get("/sign-in")
def sign_in_page(console: Console, next: str = "/admin") -> Response:
    if console.member is not None:
        return console.redirect(_safe_next(next))
    return console.render("sign_in.html", next=_safe_next(next), error="", email="")


@router.post("/sign-in")
def sign_in_submit(console: Console, form: VisitorForm) -> Response:
    email, target = form.get("email", 320), _safe_next(form.get("next", 300))
    slow = _throttled(console, "console-sign-in")
    if slow is not None:
        return slow
    result = sign_in(
        console.db,
        brand_id=console.brand.id,
        email=email,
        password=form.get("password", 300),
        now=console.now,
    )
    if result.outcome is SignIn.OK and result.member is not None:
        console.sign_in(result.member)
        return console.redirect(target)
    if result.outcome is SignIn.LOCKED and result.locked_until is not None:
        minutes = max(1, math.ceil((result.locked_until - console.now).total_seconds() / 60))
        error = (
            f"Too many wrong passwords: this account is paused for {minutes} minutes. "
            "You can reset the password by email meanwhile."
        )
    else:
        error = "That email address and password do not match."
    return console.render("sign_in.html", status=401, next=target, error=error, email=email)


@router.post("/sign-out")
def sign_out(post: MemberForm) -> Response:
    post.console.sign_out()
    return post.console.redirect("/admin/sign-in")


@router.get("/reset-request")
def reset_request_page(console: Console) -> Response:
    return console.render("reset_request.html")


@router.post("/reset-request")
def reset_request_submit(console: Console, form: VisitorForm) -> Response:
    slow = _throttled(console, "console-reset")
    if slow is not None:
        return slow
    request_reset(
        console.db,
        brand_id=console.brand.id,
        brand_name=console.brand.name,
        email=form.get("email", 320),
        link_base=console.state.settings.base_url.rstrip("/"),
        now=console.now,
    )
    return console.redirect("/admin/sign-in?" + urlencode({"done": "reset"}))


def _password_page(console: Console, purpose: Purpose, token: str, error: str = "") -> Response:
    member = open_token(
        console.db, brand_id=console.brand.id, purpose=purpose, token=token, now=console.now
    )
    if member is None:
        return console.refuse(
            404,
            "This link no longer works",
            "It has expired or was already used. Ask for a new one.",
        )
    return console.render(
        "set_password.html",
        status=400 if error else 200,
        purpose=purpose.value,
        token=token,
        invited=member,
        error=error,
    )


def _password_submit(console: Console, form: VisitorForm, purpose: Purpose) -> Response:
    token = form.get("token", 100)
    password = form.get("password", 300)
    if password != form.get("confirm", 300):
        return _password_page(console, purpose, token, "The two passwords differ.")
    try:
        member = use_token(
            console.db,
            brand_id=console.brand.id,
            purpose=purpose,
            token=token,
            password=password,
            name=form.get("name", 200),
            now=console.now,
        )
    except AccountError as exc:
        return _password_page(console, purpose, token, str(exc))
    console.sign_in(member)
    return console.redirect("/admin?" + urlencode({"done": "password"}))


@router.get("/invitation")
def invitation_page(console: Console, token: str = "") -> Response:
    return _password_page(console, Purpose.INVITE, token[:100])


@router.post("/invitation")
def invitation_submit(console: Console, form: VisitorForm) -> Response:
    return _password_submit(console, form, Purpose.INVITE)


@router.get("/reset")
def reset_page(console: Console, token: str = "") -> Response:
    return _password_page(console, Purpose.RESET, token[:100])


@router.post("/reset")
def reset_submit(console: Console, form: VisitorForm) -> Response:
    return _password_submit(console, form, Purpose.RESET)
