"""Country names in the six languages (from the CLDR data Babel ships), found in a message."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from deskhand.agent.understand.lexical import fold

LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")


@cache
def country_names() -> tuple[tuple[str, str], ...]:
    """(folded name, ISO code), longest names first so "Costa Rica" wins over "Rica"."""
    found: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(fold(str(name)), code)
    return tuple(sorted(found.items(), key=lambda item: len(item[0]), reverse=True))


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n, _ in country_names()) + r")(?!\w)")


def countries_in(text: str) -> list[tuple[str, int, int]]:
    """(ISO code, start, end) of each country named; offsets into the folded text, which has
    the same length as the text for the Latin scripts of the six languages."""
    codes = dict(country_names())
    return [(codes[m.group(1)], m.start(), m.end()) for m in _pattern().finditer(fold(text))]


def with_country(question: str, follow_up: str) -> str | None:
    """The earlier question asked again about the country the follow-up names, or None."""
    new = countries_in(follow_up)
    if not new:
        return None
    code, start, end = new[0]
    name = follow_up[start:end] if len(fold(follow_up)) == len(follow_up) else code
    old = countries_in(question)
    if not old or len(fold(question)) != len(question):
        return f"{question.rstrip(' ?!.')} {name}?"
    out, last = [], 0
    for _, s, e in old:
        out.append(question[last:s])
        out.append(name)
        last = e
    out.append(question[last:])
    return "".join(out)
