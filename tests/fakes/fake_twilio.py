"""A local Twilio: the Messages API on 127.0.0.1, and webhooks signed the way Twilio signs them.

Speaks the documented protocol: POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded,
HTTP Basic AccountSid:AuthToken; 201 with the message resource as JSON; errors as
{"code", "message", "more_info", "status"}. Scripted failures (500, 429, a 400 code) test
the worker's retries. The signing helper is written from Twilio's description (URL + sorted
params, HMAC-SHA1, base64), independently of the app's validator.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

ACCOUNT_SID = "AC" + "0" * 30 + "01"
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
SMS_NUMBER = "+3197010000001"
WHATSAPP_NUMBER = "+14155238886"
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature for a form POST to `url`."""
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    mac = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def _sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def inbound_params(
    sender: str,
    body: str,
    *,
    to: str = SMS_NUMBER,
    sid: str | None = None,
    whatsapp: bool = False,
    **extra: str,
) -> dict[str, str]:
    """The form Twilio posts to the incoming-message webhook."""
    sid = sid or _sid("SM")
    params = {
        "ToCountry": "NL",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "NL",
        "To": f"whatsapp:{WHATSAPP_NUMBER}" if whatsapp else to,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{sender}" if whatsapp else sender,
        "ApiVersion": "2010-04-01",
    }
    if whatsapp:
        params.update(ProfileName="Ava", WaId=sender.lstrip("+"))
    params.update(extra)
    return params


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted messages
    calls: int = 0  # every POST to Messages.json, failures included
    opted_out: set[str] = field(default_factory=set)
    _script: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body, headers = fake._handle(
                    self.path,
                    self.headers.get("Authorization", ""),
                    self.headers.get("Content-Type", ""),
                    raw,
                )
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Poll every 10 ms: stop() waits up to one poll interval (0.5 s by default).
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(
        self,
        status: int,
        *,
        code: int | None = None,
        message: str = "",
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        body = {
            "code": code,
            "message": message or "Internal Server Error",
            "more_info": f"https://www.twilio.com/docs/errors/{code}" if code else None,
            "status": status,
        }
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self._script.extend([(status, body, headers)] * times)

    @staticmethod
    def _error(status: int, code: int, message: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        return (
            status,
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            {},
        )

    def _handle(
        self, path: str, authorization: str, content_type: str, raw: bytes
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        match = _MESSAGES.match(path)
        if not match:
            return self._error(404, 20404, f"The requested resource {path} was not found")
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if match.group(1) != self.account_sid or authorization != f"Basic {expected}":
            return self._error(401, 20003, "Authenticate")
        if "application/x-www-form-urlencoded" not in content_type:
            return self._error(400, 20001, "Unsupported content type")
        params = dict(parse_qsl(raw.decode(), keep_blank_values=True))
        with self._lock:
            self.calls += 1
            if self._script:
                return self._script.pop(0)
        to, sender = params.get("To", ""), params.get("From", "")
        service = params.get("MessagingServiceSid", "")
        if not to:
            return self._error(400, 21604, "A 'To' phone number is required.")
        if not sender and not service:
            return self._error(400, 21603, "A 'From' phone number is required.")
        if not params.get("Body") and not params.get("MediaUrl") and not params.get("ContentSid"):
            return self._error(400, 21619, "A text message body or media urls must be specified.")
        if len(params.get("Body", "")) > 1600:
            return self._error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        if sender and to.startswith("whatsapp:") != sender.startswith("whatsapp:"):
            return self._error(400, 21910, "Invalid 'From' and 'To' pair.")
        if to in self.opted_out:
            return self._error(400, 21610, "Attempt to send to unsubscribed recipient")
        now = format_datetime(datetime.now(UTC))
        sid = _sid("SM")
        resource = {
            "sid": sid,
            "account_sid": self.account_sid,
            "messaging_service_sid": service or None,
            "to": to,
            "from": sender or None,
            "body": params.get("Body", ""),
            "status": "accepted" if service else "queued",
            "num_segments": "1",
            "num_media": "0",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "price": None,
            "price_unit": "USD",
            "error_code": None,
            "error_message": None,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
        }
        with self._lock:
            self.sent.append({**params, "sid": sid})
        return 201, resource, {}

    def status_params(
        self, message: dict[str, Any], status: str, error_code: str | None = None
    ) -> dict[str, str]:
        """The form of a status callback Twilio posts to the message's StatusCallback."""
        params = {
            "SmsSid": message["sid"],
            "SmsStatus": status,
            "MessageStatus": status,
            "To": message["To"],
            "MessageSid": message["sid"],
            "AccountSid": self.account_sid,
            "From": message.get("From", SMS_NUMBER),
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = error_code
        return params
