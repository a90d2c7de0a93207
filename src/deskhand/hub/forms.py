"""Reading the Hub's HTML forms: Starlette's form parser (python-multipart) behind a size limit.

The Hub's forms are small and urlencoded. A body over `MAX_FORM_BYTES` is not read further
and comes back marked `too_large`, so the page can refuse it in the shopper's language after
its own checks; anything that is not a urlencoded form, or that the parser refuses (too many
fields), comes back empty and fails the CSRF check like a form without a token.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field

from fastapi import Request
from python_multipart.multipart import parse_options_header
from starlette.formparsers import FormParser, MultiPartException

MAX_FORM_BYTES = 16 * 1024
MAX_FIELDS = 40
URLENCODED = b"application/x-www-form-urlencoded"


class FormTooLarge(Exception):
    """The body went past `MAX_FORM_BYTES`; the rest of it is never read."""


@dataclass(frozen=True)
class PostedForm:
    """The posted fields (the first value of each name), or a body too large to read."""

    fields: Mapping[str, str] = field(default_factory=dict)
    too_large: bool = False

    def get(self, name: str, limit: int | None = None) -> str:
        """The field's value ("" when missing), cut to `limit` characters if given."""
        value = self.fields.get(name, "")
        return value if limit is None else value[:limit]


async def _bounded(request: Request) -> AsyncGenerator[bytes, None]:
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise FormTooLarge
        yield chunk


async def read_form(request: Request) -> PostedForm:
    """The posted urlencoded form; an empty one for anything else."""
    kind, _ = parse_options_header(request.headers.get("content-type"))
    if kind != URLENCODED:
        return PostedForm()
    parser = FormParser(
        request.headers,
        _bounded(request),
        max_fields=MAX_FIELDS,
        max_part_size=MAX_FORM_BYTES,
    )
    try:
        data = await parser.parse()
    except FormTooLarge:
        return PostedForm(too_large=True)
    except MultiPartException:
        return PostedForm()
    fields: dict[str, str] = {}
    for name, value in data.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, value.replace("\x00", ""))
    return PostedForm(fields)
