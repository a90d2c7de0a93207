"""The integrations page: connect, disconnect and test each integration; last sync and last
error; secrets never shown back (owner and admin change, everyone views)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.commerce.shopify.client import API_VERSION, shop_domain
from deskhand.console.deps import EditorForm, Member, SignedInMember, console_router
from deskhand.console.integration_kinds import KINDS, check_fields, probe
from deskhand.console.shopify_panel import progress
from deskhand.db.integrations import connect, disconnect, find_integration, record_error, secrets_of
from deskhand.domain.vocabulary import HandoffDestination, IntegrationKind
from deskhand.helpdesk.delivery import waiting
from deskhand.team.audit import record_change

router = console_router()
TEST_BASE = "api_base"  # tests only (DESKHAND_ALLOW_PRIVATE_URLS): the fake vendor's address


def _kind(name: str) -> IntegrationKind | None:
    try:
        return IntegrationKind(name)
    except ValueError:
        return None


def _page(
    me: SignedInMember, status: int = 200, errors: dict[str, str] | None = None, note: str = ""
) -> Response:
    console = me.console
    rows = {k: find_integration(console.db, console.brand.id, k) for k in KINDS}
    helpdesks = {
        kind: waiting(console.db, console.brand.id, HandoffDestination(kind.value))
        for kind in (IntegrationKind.ZENDESK, IntegrationKind.GORGIAS)
    }
    return console.render(
        "integrations.html",
        status=status,
        kinds=KINDS,
        rows=rows,
        helpdesks=helpdesks,
        base_url=console.state.settings.base_url.rstrip("/"),
        errors=errors or {},
        note=note,
        shopify=progress(console.db, console.state.settings, console.brand.id),
    )


@router.get("/integrations")
def integrations_page(me: Member) -> Response:
    return _page(me)


@router.post("/integrations/{name}/connect")
def connect_kind(name: str, post: EditorForm) -> Response:
    console = post.console
    kind = _kind(name)
    if kind is None:
        return console.refuse(404, "No such integration", "There is no integration of that kind.")
    row = find_integration(console.db, console.brand.id, kind)
    stored = secrets_of(console.state.settings, row) if row is not None else {}
    config, secrets, errors = check_fields(kind, post.form.fields_first(), bool(stored))
    if errors:
        return _page(post.me, 400, {f"{kind.value}.{k}": v for k, v in errors.items()})
    if kind is IntegrationKind.SHOPIFY:  # stored as `deskhand shopify connect` stores it
        config = {**config, "shop": shop_domain(config["shop"]), "api_version": API_VERSION}
    base = post.form.get(TEST_BASE, 300)
    if base and console.state.settings.allow_private_urls:
        config[TEST_BASE] = base
    connect(
        console.db,
        console.state.settings,
        console.brand.id,
        kind,
        config=config,
        secrets={**stored, **secrets},
    )
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="integrations",
        action=f"{kind.value} connected",
        before={"connected": row is not None},
        after={"connected": True, **config, "secrets": "changed" if secrets else "kept"},
        now=console.now,
    )
    return console.redirect("/admin/integrations?" + urlencode({"done": "integration"}))


@router.post("/integrations/{name}/disconnect")
def disconnect_kind(name: str, post: EditorForm) -> Response:
    console = post.console
    kind = _kind(name)
    if kind is None or not disconnect(console.db, console.brand.id, kind):
        return console.refuse(404, "Not connected", "That integration is not connected.")
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="integrations",
        action=f"{kind.value} disconnected",
        before={"connected": True},
        after={"connected": False},
        now=console.now,
    )
    return console.redirect("/admin/integrations?" + urlencode({"done": "integration"}))


@router.post("/integrations/{name}/test")
def test_kind(name: str, post: EditorForm) -> Response:
    console = post.console
    kind = _kind(name)
    row = find_integration(console.db, console.brand.id, kind) if kind else None
    if kind is None or row is None:
        return console.refuse(404, "Not connected", "Connect the integration first.")
    values = {
        **{k: str(v) for k, v in row.config.items()},
        **secrets_of(console.state.settings, row),
    }
    base = str(row.config.get(TEST_BASE, "")) if console.state.settings.allow_private_urls else ""
    works, what = probe(kind, values, base)
    if works:
        row.last_error, row.last_error_at = "", None
    else:
        record_error(row, what)
    return _page(post.me, note=f"{KINDS[kind][0]}: {what}")
