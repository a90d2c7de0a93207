"""Shipping addresses the Hub accepts: required fields and each country's postcode format."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from deskhand.domain.orders import Address


@dataclass(frozen=True)
class PostcodeRule:
    pattern: re.Pattern[str]
    tidy: Callable[[re.Match[str]], str]  # the postcode as the post office writes it
    example: str


def _rule(pattern: str, tidy: Callable[[re.Match[str]], str], example: str) -> PostcodeRule:
    return PostcodeRule(re.compile(pattern), tidy, example)


def _whole(m: re.Match[str]) -> str:
    return m.group(0)


# Written after each postal service's format; spaces and dashes a shopper types are forgiven
# where the format has them, and the stored postcode is the canonical form.
POSTCODES: dict[str, PostcodeRule] = {
    # Dutch: 4 digits (no leading 0), then 2 letters other than SA, SD and SS.
    "NL": _rule(r"^([1-9]\d{3}) ?(?!SA|SD|SS)([A-Z]{2})$", lambda m: f"{m[1]} {m[2]}", "1015 CS"),
    "BE": _rule(r"^[1-9]\d{3}$", _whole, "1000"),
    "LU": _rule(r"^(?:L-?)?(\d{4})$", lambda m: f"L-{m[1]}", "L-1234"),
    "DE": _rule(r"^(?!00)\d{5}$", _whole, "10119"),
    "AT": _rule(r"^[1-9]\d{3}$", _whole, "1010"),
    # French: 5 digits, départements 01-95 and overseas 97-98.
    "FR": _rule(r"^(?:0[1-9]|[1-8]\d|9[0-5]|9[78])\d{3}$", _whole, "69002"),
    # Spanish: 5 digits, provinces 01-52.
    "ES": _rule(r"^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$", _whole, "28013"),
    "IT": _rule(r"^\d{5}$", _whole, "00184"),
    "PT": _rule(r"^([1-9]\d{3})[- ]?(\d{3})$", lambda m: f"{m[1]}-{m[2]}", "1100-148"),
    # Swedish: 3 + 2 digits, written "123 45".
    "SE": _rule(r"^([1-9]\d{2}) ?(\d{2})$", lambda m: f"{m[1]} {m[2]}", "114 55"),
    "DK": _rule(r"^(?:DK-?)?([1-9]\d{3})$", lambda m: m[1], "1050"),
    "FI": _rule(r"^\d{5}$", _whole, "00100"),
    "PL": _rule(r"^(\d{2})-?(\d{3})$", lambda m: f"{m[1]}-{m[2]}", "00-950"),
}
COUNTRIES = tuple(POSTCODES)
LIMITS = {"name": 100, "line1": 200, "city": 100}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def tidy_postcode(country: str, raw: str) -> str | None:
    """The canonical postcode, or None when it is not one of this country's."""
    rule = POSTCODES.get(country)
    if rule is None:
        return None
    m = rule.pattern.match(re.sub(r"\s+", " ", raw.strip().upper()))
    return rule.tidy(m) if m else None


def read_address(fields: dict[str, str]) -> tuple[Address | None, dict[str, str]]:
    """(the address, no errors) or (None, field -> error key) from the submitted form."""
    values = {k: _CONTROL.sub("", fields.get(k, "")).strip() for k in (*LIMITS, "postcode")}
    country = fields.get("country", "").strip().upper()
    errors: dict[str, str] = {}
    for name, limit in LIMITS.items():
        if not values[name]:
            errors[name] = "hub.address.error.required"
        elif len(values[name]) > limit:
            errors[name] = "hub.address.error.too_long"
    postcode = None
    if country not in POSTCODES:
        errors["country"] = "hub.address.error.country"
    elif not values["postcode"]:
        errors["postcode"] = "hub.address.error.required"
    else:
        postcode = tidy_postcode(country, values["postcode"])
        if postcode is None:
            errors["postcode"] = "hub.address.error.postcode"
    if errors or postcode is None:
        return None, errors
    return Address(values["name"], values["line1"], values["city"], postcode, country), {}
