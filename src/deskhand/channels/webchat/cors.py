"""Cross-origin access to the widget's endpoints: the widget runs on the shop's own domain.

Only the public, token-authenticated API paths answer cross-origin requests; they use bearer
tokens, never cookies, so any origin may call them (credentials are not allowed). The Hub, the
admin console and everything else keep the browser's same-origin default.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PUBLIC_PREFIXES = ("/api/v1/conversations", "/api/v1/widget/")


class PublicApiCors:
    """ASGI middleware: CORS for PUBLIC_PREFIXES, nothing for other paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "accept"],
            expose_headers=["retry-after"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PUBLIC_PREFIXES):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
