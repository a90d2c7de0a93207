"""The Hub's page language: from the link, the shopper's earlier choice, or the browser."""

from __future__ import annotations

import re
from datetime import datetime

from deskhand.agent.replies.wording import Wording
from deskhand.domain.orders import LineItem

LANG_COOKIE = "hub_lang"
_ACCEPT = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def from_accept_language(header: str, offered: list[str]) -> str | None:
    """The best of `offered` for an Accept-Language header, honouring q-values."""
    ranked: list[tuple[float, int, str]] = []
    for pos, part in enumerate(header.split(",")[:20]):
        m = _ACCEPT.match(part)
        if not m:
            continue
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        lang = m.group(1).lower()
        if q > 0 and lang in offered:
            ranked.append((-q, pos, lang))
    return min(ranked)[2] if ranked else None


def choose_language(
    *, query: str | None, cookie: str | None, accept: str, offered: list[str], default: str
) -> str:
    """A `?lang=` on the link wins, then the shopper's last choice, then the browser."""
    for candidate in (query, cookie):
        if candidate and candidate.lower() in offered:
            return candidate.lower()
    return from_accept_language(accept, offered) or default


class HubWords(Wording):
    """Wording plus the few labels every Hub page needs."""

    def status(self, value: str) -> str:
        return self.t(f"hub.status.{value}")

    def why(self, value: str) -> str:
        return self.t(f"hub.why.{value}")

    def when(self, moment: datetime) -> str:
        return self.t("hub.at", day=self.day(moment), time=self.clock(moment))

    def item_name(self, item: LineItem) -> str:
        return f"{item.title} ({item.variant})"
