"""Reading the Hub's HTML forms (urlencoded), with a size limit and nothing else to install."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request

MAX_FORM_BYTES = 16 * 1024


TOO_LARGE = "_too_large"


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (first value of each); {} for anything that is not a form.

    A body over the limit comes back as {TOO_LARGE: "1"} for the route to refuse.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return {}
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {TOO_LARGE: "1"}
    try:
        pairs = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=40
        )
    except (UnicodeDecodeError, ValueError):
        return {}
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value.replace("\x00", ""))
    return fields
