"""Web chat routes: the widget script, its settings, its WebSocket, and the demo shop."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

from babel.numbers import format_currency
from fastapi import APIRouter, Depends, Request, Response, WebSocket
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from deskhand.channels.webchat import demo_shop
from deskhand.channels.webchat.appearance import WidgetConfig, widget_config
from deskhand.channels.webchat.socket import serve_conversation
from deskhand.commerce.demo import DEMO_SLUG
from deskhand.db.session import transaction
from deskhand.serving.deps import AppState, CurrentBrand, app_state
from deskhand.serving.problems import Problem

router = APIRouter()
HERE = Path(__file__).parent
WIDGET_JS = HERE / "static" / "widget.js"
DEMO_LOGO = HERE / "static" / "demo-logo.svg"
templates = Jinja2Templates(directory=HERE / "templates")
State = Annotated[AppState, Depends(app_state)]

# The script's URL is fixed in every shop's page, so it cannot carry a version: browsers keep it
# for five minutes and then revalidate with the ETag.
SCRIPT_CACHE = "public, max-age=300"
CONFIG_CACHE = "public, max-age=300"


@router.get("/widget.js", include_in_schema=False)
def widget_script(request: Request) -> Response:
    """The one script a shop embeds."""
    body = WIDGET_JS.read_bytes()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {
        "Cache-Control": SCRIPT_CACHE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/api/v1/widget/config", response_model=WidgetConfig, tags=["web chat"])
def get_widget_config(state: State, brand: CurrentBrand, response: Response) -> WidgetConfig:
    """Public: the brand's name, colours, greetings, languages and the widget's own words."""
    with transaction(state.sessions) as session:
        config = widget_config(session, brand, max_message_chars=state.settings.max_message_chars)
    response.headers["Cache-Control"] = CONFIG_CACHE
    return config


@router.websocket("/api/v1/conversations/{conversation_id}/ws")
async def conversation_socket(
    websocket: WebSocket, conversation_id: str, token: str | None = None
) -> None:
    """The widget's live connection (protocol in channels/webchat/socket.py)."""
    await serve_conversation(websocket, websocket.app.state.deskhand, conversation_id, token)


@router.get("/demo/logo.svg", include_in_schema=False)
def demo_logo(state: State) -> Response:
    """Fjord & Finch's logo: the demo brand's widget settings name it for the Hub."""
    if not state.settings.demo:
        raise Problem(404, "Not found", "The demo shop exists only in demo mode.")
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(DEMO_LOGO.read_bytes(), media_type="image/svg+xml", headers=headers)


@router.get("/demo/shop", response_class=HTMLResponse, include_in_schema=False)
def shop_home(request: Request, state: State) -> HTMLResponse:
    return _shop_page(request, state, None)


@router.get("/demo/shop/products/{handle}", response_class=HTMLResponse, include_in_schema=False)
def shop_product(handle: str, request: Request, state: State) -> HTMLResponse:
    item = demo_shop.product(handle)
    if item is None:
        raise Problem(404, "Product not found", "The demo shop has no such product.")
    return _shop_page(request, state, item)


def _shop_page(request: Request, state: State, item: demo_shop.ShopProduct | None) -> HTMLResponse:
    if not state.settings.demo:
        raise Problem(404, "Not found", "The demo shop exists only in demo mode.")
    return templates.TemplateResponse(
        request,
        "shop.html",
        {
            "item": item,
            "products": demo_shop.PRODUCTS,
            "price": lambda cents: format_currency(cents / 100, "EUR", locale="en"),
            # Served from Deskhand itself, so the widget's origin is this page's own.
            "deskhand": str(request.base_url).rstrip("/"),
            "brand": DEMO_SLUG,
        },
    )
