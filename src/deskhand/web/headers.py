"""Security headers on every answer, set once here (a page that sets its own keeps them).

- Pages get a Content-Security-Policy: scripts, styles and connections from this server
  only (styles may be inline), no plugins, no `<base>`, forms posting here only, and no
  framing by other sites. The Hub sets a stricter one itself (`hub/context.py`).
- The widget embeds by a `<script>` on the shop's own page, not by a frame: its script and
  its API answer any site (CORS, `channels/webchat/cors.py`) and carry no frame or
  resource-policy header that would stop that. The demo shop page is the one page here that
  embeds it: its policy allows the widget's script and its WebSocket.
- The API's documentation viewers (/docs, /redoc) may load FastAPI's CDN assets.
- Everything else cannot be framed (X-Frame-Options DENY, frame-ancestors 'none').
- With an https base URL, every answer carries HSTS: browsers keep to https for a year.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WIDGET_PATHS = ("/widget.js", "/api/v1/widget/", "/api/v1/conversations")
SHOP_PATHS = ("/demo/shop",)
DOCS_PATHS = ("/docs", "/redoc")  # FastAPI's viewers load their script and style from a CDN
CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = (
    f"default-src 'none'; script-src 'self' 'unsafe-inline' {CDN}; "
    f"style-src 'self' 'unsafe-inline' {CDN} https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https:; connect-src 'self'; "
    "worker-src blob:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
BASE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def page_policy(connect: str = "'self'", ancestors: str = "'none'") -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; connect-src {connect}; form-action 'self'; "
        f"base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
    )


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp, base_url: str) -> None:
        self.app = app
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        socket = f"{'wss' if self.https else 'ws'}://{parts.netloc}"
        self.headers = {
            "widget": dict(BASE),
            "shop": {
                **BASE,
                "Content-Security-Policy": page_policy(f"'self' {socket}", "'self'"),
                "X-Frame-Options": "SAMEORIGIN",
            },
            "docs": {**BASE, "Content-Security-Policy": DOCS_POLICY, "X-Frame-Options": "DENY"},
            "page": {
                **BASE,
                "Content-Security-Policy": page_policy(),
                "X-Frame-Options": "DENY",
            },
        }
        for kind in self.headers.values():
            if self.https:
                kind["Strict-Transport-Security"] = HSTS

    def kind_of(self, path: str) -> str:
        if path.startswith(WIDGET_PATHS):
            return "widget"
        if path.startswith(SHOP_PATHS):
            return "shop"
        if path.startswith(DOCS_PATHS):
            return "docs"
        return "page"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = self.headers[self.kind_of(scope["path"])]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
