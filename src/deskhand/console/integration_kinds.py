"""What the integrations page asks for each kind, and how "Test the connection" probes it.

Fields marked secret are sealed (`db/sealed.py`) and never shown back: the form leaves them
empty, and an empty secret keeps the one already stored. The probe is one read-only request
each vendor documents (../shared/integrations.md), sent through `net/http.py`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from deskhand.commerce.shopify.client import API_VERSION, shop_domain
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.net.http import NetworkError, request


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    secret: bool = False
    pattern: str = r"^\S{1,300}$"
    hint: str = ""
    optional: bool = False  # a secret that may stay empty


@dataclass(frozen=True)
class Probe:
    """A read-only request that only works with good credentials."""

    method: str
    path: Callable[[Mapping[str, str]], str]  # relative to the base URL
    base: Callable[[Mapping[str, str]], str]
    headers: Callable[[Mapping[str, str]], dict[str, str]]
    body: Any = None


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


_DOMAIN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_ID = r"^(\d{1,20})?$"  # an optional numeric id
_EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"

KINDS: dict[IntegrationKind, tuple[str, tuple[FieldSpec, ...], Probe | None]] = {
    IntegrationKind.SHOPIFY: (
        "Shopify (store)",
        (
            FieldSpec("shop", "Shop name (the part before .myshopify.com)", pattern=_DOMAIN),
            FieldSpec("access_token", "Admin API access token", secret=True),
            FieldSpec(
                "webhook_secret",
                "App client secret (verifies Shopify's webhooks)",
                secret=True,
                optional=True,
            ),
        ),
        Probe(
            "POST",
            lambda c: f"/admin/api/{API_VERSION}/graphql.json",  # the one pinned version
            lambda c: f"https://{shop_domain(c['shop'])}",
            lambda c: {"X-Shopify-Access-Token": c["access_token"]},
            {"query": "{ shop { name } }"},
        ),
    ),
    IntegrationKind.ZENDESK: (
        "Zendesk (helpdesk)",
        (
            FieldSpec("subdomain", "Subdomain (the part before .zendesk.com)", pattern=_DOMAIN),
            FieldSpec("email", "Agent email", pattern=_EMAIL),
            FieldSpec("api_token", "API token", secret=True),
            FieldSpec(
                "webhook_secret",
                "Webhook signing secret (for agents' replies)",
                secret=True,
                optional=True,
            ),
            FieldSpec("intent_field_id", "Custom field id for the intent (optional)", pattern=_ID),
            FieldSpec("order_field_id", "Custom field id for the order (optional)", pattern=_ID),
        ),
        Probe(
            "GET",
            lambda c: "/api/v2/users/me.json",
            lambda c: f"https://{c['subdomain']}.zendesk.com",
            lambda c: {"Authorization": _basic(f"{c['email']}/token", c["api_token"])},
        ),
    ),
    IntegrationKind.GORGIAS: (
        "Gorgias (helpdesk)",
        (
            FieldSpec("domain", "Domain (the part before .gorgias.com)", pattern=_DOMAIN),
            FieldSpec("email", "User email", pattern=_EMAIL),
            FieldSpec("api_key", "REST API key", secret=True),
        ),
        Probe(
            "GET",
            lambda c: "/api/account",
            lambda c: f"https://{c['domain']}.gorgias.com",
            lambda c: {"Authorization": _basic(c["email"], c["api_key"])},
        ),
    ),
    IntegrationKind.TWILIO: (
        "Twilio (SMS and WhatsApp)",
        (
            FieldSpec("account_sid", "Account SID", pattern=r"^AC[0-9a-fA-F]{32}$"),
            FieldSpec("from_number", "Sending number (E.164)", pattern=r"^\+[1-9]\d{6,14}$"),
            FieldSpec("auth_token", "Auth token", secret=True),
        ),
        Probe(
            "GET",
            lambda c: f"/2010-04-01/Accounts/{c['account_sid']}.json",
            lambda c: "https://api.twilio.com",
            lambda c: {"Authorization": _basic(c["account_sid"], c["auth_token"])},
        ),
    ),
    IntegrationKind.EMAIL: (
        "Email (SMTP out)",
        (
            FieldSpec("smtp_host", "SMTP host", pattern=r"^[A-Za-z0-9.-]{1,253}$"),
            FieldSpec("smtp_port", "SMTP port", pattern=r"^\d{2,5}$"),
            FieldSpec("from_address", "From address", pattern=_EMAIL),
            FieldSpec("smtp_user", "SMTP user"),
            FieldSpec("smtp_password", "SMTP password", secret=True),
        ),
        None,  # SMTP is not HTTP: the worker's first delivery tells
    ),
    IntegrationKind.LOOP: (
        "Loop (returns)",
        (FieldSpec("api_key", "API key (returns scope)", secret=True),),
        Probe(
            "GET",
            lambda c: "/api/v1/warehouse/return/list",
            lambda c: "https://api.loopreturns.com",
            lambda c: {"X-Authorization": c["api_key"]},
        ),
    ),
    IntegrationKind.AFTERSHIP: (
        "AfterShip (tracking and returns)",
        (FieldSpec("api_key", "API key", secret=True),),
        Probe(
            "GET",
            lambda c: "/tracking/2025-07/trackings",
            lambda c: "https://api.aftership.com",
            lambda c: {"as-api-key": c["api_key"]},
        ),
    ),
}


def check_fields(
    kind: IntegrationKind, posted: Mapping[str, str], have_secrets: bool
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(config, secrets, errors) from the form; empty secrets are fine when some are stored."""
    _, fields, _ = KINDS[kind]
    config: dict[str, str] = {}
    secrets: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in fields:
        value = posted.get(spec.name, "").strip()
        if spec.secret:
            if not value and (have_secrets or spec.optional):
                continue
            if not value or len(value) > 500:
                errors[spec.name] = f"{spec.label}: required."
            secrets[spec.name] = value
        elif not value and re.match(spec.pattern, value):
            continue  # an optional field left empty
        elif not re.match(spec.pattern, value):
            errors[spec.name] = f"{spec.label}: not valid."
        else:
            config[spec.name] = value
    return config, secrets, errors


def probe(
    kind: IntegrationKind, values: Mapping[str, str], base_override: str = ""
) -> tuple[bool, str]:
    """(works, what happened) for one request with these credentials."""
    spec = KINDS[kind][2]
    if spec is None:
        return False, "This kind has no connection test: the first delivery will tell."
    url = (base_override or spec.base(values)).rstrip("/") + spec.path(values)
    try:
        r = request(spec.method, url, json=spec.body, headers=spec.headers(values), timeout=10)
    except NetworkError as exc:
        return False, str(exc)
    if 200 <= r.status_code < 300:
        return True, f"Connection works (HTTP {r.status_code})."
    if r.status_code in (401, 403):
        return False, f"The credentials were refused (HTTP {r.status_code})."
    return False, f"Unexpected answer: HTTP {r.status_code}."
