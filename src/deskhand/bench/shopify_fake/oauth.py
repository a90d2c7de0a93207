"""The fake Shopify's side of the authorization code grant (a public app's install).

`approve` stands for the merchant pressing "Install" on the authorize page: it answers the
callback URL Shopify would redirect to, with a one-time `code`, the `state` it was given,
the shop, a timestamp and the query's `hmac` (hex HMAC-SHA256 under the client secret of the
other parameters sorted by name). `POST /admin/oauth/access_token` trades the code, once,
for the shop's offline access token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

CLIENT_ID = "deskhand-public-app"
TOKEN_PATH = "/admin/oauth/access_token"


def query_hmac(secret: str, params: dict[str, str]) -> str:
    message = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "hmac")
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


class FakeOAuth:
    def __init__(self, shop: str, client_secret: str, access_token: str) -> None:
        self.shop, self.client_secret, self.access_token = shop, client_secret, access_token
        self.codes: set[str] = set()
        self.exchanged: list[dict[str, Any]] = []  # what each token request sent

    def approve(self, redirect_uri: str, state: str, shop: str | None = None) -> str:
        code = secrets.token_hex(16)
        self.codes.add(code)
        params = {
            "code": code,
            "shop": shop or self.shop,
            "state": state,
            "timestamp": str(int(time.time())),
        }
        params["hmac"] = query_hmac(self.client_secret, params)
        return f"{redirect_uri}?{urlencode(params)}"

    def exchange(self, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            sent = json.loads(body or b"{}")
        except ValueError:
            sent = {}
        self.exchanged.append(sent)
        code = str(sent.get("code") or "")
        if (
            sent.get("client_id") != CLIENT_ID
            or sent.get("client_secret") != self.client_secret
            or code not in self.codes
        ):
            return 400, {"error": "invalid_request", "error_description": "bad code or client"}
        self.codes.discard(code)  # a code works once
        scope = "read_customers,read_orders,write_orders,read_products,write_order_edits"
        return 200, {"access_token": self.access_token, "scope": scope}
