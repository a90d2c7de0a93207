"""Twilio Programmable Messaging REST calls (HTTP only; errors become TransportError)."""

from __future__ import annotations

from typing import Any

import httpx

from deskhand.config import Settings
from deskhand.jobs.transport import TransportError
from deskhand.net import http

API_VERSION = "2010-04-01"
# Codes that name a problem with this message or recipient: retrying cannot help.
# 21211 invalid To, 21408 region not enabled, 21610 recipient replied STOP, 21612 route not
# possible, 21614 not a mobile number, 21617 body over 1,600 characters, 21619 no body,
# 63016 WhatsApp free-form message outside the 24-hour window.
PERMANENT_CODES = {21211, 21408, 21610, 21612, 21614, 21617, 21619, 63016}
OPTED_OUT_CODE = 21610


def twilio_unavailable(settings: Settings) -> str | None:
    """Why SMS/WhatsApp cannot be used, or None when they can."""
    missing = [
        name
        for name, value in (
            ("DESKHAND_TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
            ("DESKHAND_TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
        )
        if not value
    ]
    if missing:
        return f"Twilio is not configured: set {' and '.join(missing)}"
    return None


class TwilioError(TransportError):
    def __init__(
        self, message: str, *, permanent: bool, code: int | None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, permanent=permanent, retry_after=retry_after)
        self.code = code


class TwilioClient:
    def __init__(self, account_sid: str, auth_token: str, api_base: str) -> None:
        self.account_sid, self._token = account_sid, auth_token
        self.api_base = api_base.rstrip("/")

    def send_message(self, params: dict[str, str]) -> dict[str, Any]:
        """POST …/Messages.json; returns Twilio's message resource."""
        url = f"{self.api_base}/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        try:
            response = http.request("POST", url, data=params, auth=(self.account_sid, self._token))
        except http.NetworkError as exc:
            raise TwilioError(str(exc), permanent=False, code=None) from None
        if response.status_code in (200, 201):
            try:
                body: dict[str, Any] = response.json()
            except ValueError:
                raise TwilioError(
                    "Twilio answered without JSON", permanent=False, code=None
                ) from None
            return body
        raise _error(response)


def _error(response: httpx.Response) -> TwilioError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    code = body.get("code") if isinstance(body, dict) else None
    message = body.get("message", "") if isinstance(body, dict) else ""
    status = response.status_code
    text = (
        f"Twilio {status}"
        + (f" (error {code})" if code else "")
        + (f": {message}" if message else "")
    )
    if status == 429 or status >= 500:
        retry_after = response.headers.get("Retry-After", "")
        return TwilioError(
            text,
            permanent=False,
            code=code,
            retry_after=float(retry_after) if retry_after.isdigit() else None,
        )
    if status in (401, 403):
        text += " - check DESKHAND_TWILIO_ACCOUNT_SID and DESKHAND_TWILIO_AUTH_TOKEN"
    # Any other 4xx cannot succeed as sent; the code list documents the common ones.
    return TwilioError(text, permanent=True, code=code)
