"""Reading the console's urlencoded forms, with a size limit: nothing past it is read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from fastapi import Request

MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 200
URLENCODED = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class PostedForm:
    """The posted fields (every value of each name), or a body too large to read."""

    fields: Mapping[str, list[str]] = field(default_factory=dict)
    too_large: bool = False

    def get(self, name: str, limit: int = 2000) -> str:
        """The field's first value ("" when missing), cut to `limit` characters."""
        values = self.fields.get(name) or [""]
        return values[0][:limit]

    def fields_first(self) -> dict[str, str]:
        """Every field's first value."""
        return {k: v[0][:2000] for k, v in self.fields.items() if v}

    def all(self, name: str) -> list[str]:
        return [v[:200] for v in self.fields.get(name, [])]


async def read_form(request: Request) -> PostedForm:
    """The posted urlencoded form; an empty one for anything else (it then fails CSRF)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != URLENCODED:
        return PostedForm()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return PostedForm(too_large=True)
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if len(pairs) > MAX_FIELDS:
        return PostedForm()
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value.replace("\x00", ""))
    return PostedForm(fields)
