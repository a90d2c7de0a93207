"""How shoppers are reached: the one way email addresses and phone numbers are normalised.

Every lookup of a customer by address (chat verification, Hub sign-in, SMS and email senders)
goes through these, so "+31 6 1234 5678", "0031612345678" and "whatsapp:+31612345678" are
one number and "Ava@Example.com " is one address.
"""

from __future__ import annotations

import re

import phonenumbers

# A deliberately plain shape: one @, a dot in the domain, no spaces or quotes.
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_WHATSAPP = "whatsapp:"


def normalise_email(raw: str | None) -> str | None:
    """The address lower-cased and trimmed, or None when it is not an email address."""
    if not raw:
        return None
    email = raw.strip().lower()
    return email if len(email) <= 320 and _EMAIL.match(email) else None


def normalise_phone(raw: str | None, region: str | None = None) -> str | None:
    """E.164 ("+31612345678") from what a shopper or a vendor writes, else None.

    International forms ("+31 6 1234-5678", "0031 6…", "whatsapp:+31…") always work; a
    national form ("06 12345678") only with the `region` it is dialled in (ISO country code).
    """
    if not raw:
        return None
    value = raw.strip()
    if value.lower().startswith(_WHATSAPP):
        value = value[len(_WHATSAPP) :]
    value = value.strip()
    if value.startswith("00"):
        value = "+" + value[2:]
    if not value.startswith("+") and region is None:
        return None
    try:
        number = phonenumbers.parse(value, None if value.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
