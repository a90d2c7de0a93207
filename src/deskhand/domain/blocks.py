"""Channel-neutral reply blocks, shaped exactly as the Conversations API publishes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]


def text(body: str) -> Block:
    return {"type": "text", "text": body}


def sign_in(body: str, url: str) -> Block:
    return {"type": "sign_in", "text": body, "url": url}


def link(label: str, url: str) -> Block:
    return {"type": "link", "label": label, "url": url}


def button(label: str, action: str) -> dict[str, str]:
    return {"label": label, "action": action}


def buttons(*items: dict[str, str]) -> Block:
    return {"type": "buttons", "buttons": list(items)}


def handoff_prompt(body: str, *items: dict[str, str]) -> Block:
    return {"type": "handoff_prompt", "text": body, "buttons": list(items)}


def sources(articles: list[tuple[str, str]]) -> Block:
    return {"type": "sources", "articles": [{"title": t, "url": u} for t, u in articles]}


def order_card(order: dict[str, Any], actions: list[dict[str, str]]) -> Block:
    return {"type": "order_card", "order": order, "actions": actions}


@dataclass
class Reply:
    """What a skill answers: blocks plus what the analytics and API meta need."""

    intent: str
    skill: str
    outcome: str
    blocks: list[Block] = field(default_factory=list)

    def actions(self) -> list[str]:
        """Every action id a button in this reply offers."""
        found: list[str] = []
        for block in self.blocks:
            for b in block.get("buttons", []):
                found.append(b["action"])
            for a in block.get("actions", []):
                if "action" in a:
                    found.append(a["action"])
        return found
