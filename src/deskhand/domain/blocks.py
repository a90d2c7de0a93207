"""Channel-neutral reply blocks, shaped exactly as the Conversations API publishes them.

Each block is a typed dict: at run time it *is* the JSON object stored with the message and
sent on the wire (so nothing is converted and no key is added), while pydantic reads the
`Block` union, discriminated by "type", to validate it and publish it in /openapi.json.
The contract is docs/api-contract.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, final

from pydantic import Field
from typing_extensions import TypedDict  # pydantic reads only this TypedDict on Python 3.11

from deskhand.domain.vocabulary import Intent, Outcome, Skill


@final  # final, so a check for "action" in an action tells the two kinds apart
class Button(TypedDict):
    """A button: pressing it posts {"action": action} back to the conversation."""

    label: str
    action: str


@final
class HubLink(TypedDict):
    """An order card action that opens a page (a Customer Hub tab) instead."""

    label: str
    url: str


class OrderItem(TypedDict):
    title: str
    variant: str
    quantity: int
    status: str
    editable: bool


class Shipment(TypedDict):
    carrier: str
    tracking_number: str
    tracking_url: str
    status: str
    eta: str | None  # ISO date


class OrderView(TypedDict):
    number: str
    status: str
    placed_at: str  # ISO date-time
    items: list[OrderItem]
    shipments: list[Shipment]


class Article(TypedDict):
    title: str
    url: str


class TextBlock(TypedDict):
    type: Literal["text"]
    text: str


class SignInBlock(TypedDict):
    """Ask the shopper to verify (or sign in to the Hub at `url`)."""

    type: Literal["sign_in"]
    text: str
    url: str


class OrderCardBlock(TypedDict):
    type: Literal["order_card"]
    order: OrderView
    actions: list[HubLink | Button]


class LinkBlock(TypedDict):
    type: Literal["link"]
    label: str
    url: str


class ButtonsBlock(TypedDict):
    type: Literal["buttons"]
    buttons: list[Button]


class HandoffPromptBlock(TypedDict):
    """Consent before a human takes over."""

    type: Literal["handoff_prompt"]
    text: str
    buttons: list[Button]


class SourcesBlock(TypedDict):
    type: Literal["sources"]
    articles: list[Article]


Block = Annotated[
    TextBlock
    | SignInBlock
    | OrderCardBlock
    | LinkBlock
    | ButtonsBlock
    | HandoffPromptBlock
    | SourcesBlock,
    Field(discriminator="type"),
]


def text(body: str) -> TextBlock:
    return {"type": "text", "text": body}


def sign_in(body: str, url: str) -> SignInBlock:
    return {"type": "sign_in", "text": body, "url": url}


def link(label: str, url: str) -> LinkBlock:
    return {"type": "link", "label": label, "url": url}


def button(label: str, action: str) -> Button:
    return {"label": label, "action": action}


def hub_link(label: str, url: str) -> HubLink:
    return {"label": label, "url": url}


def buttons(*items: Button) -> ButtonsBlock:
    return {"type": "buttons", "buttons": list(items)}


def handoff_prompt(body: str, *items: Button) -> HandoffPromptBlock:
    return {"type": "handoff_prompt", "text": body, "buttons": list(items)}


def sources(articles: list[tuple[str, str]]) -> SourcesBlock:
    return {"type": "sources", "articles": [{"title": t, "url": u} for t, u in articles]}


def order_card(order: OrderView, actions: Sequence[HubLink | Button]) -> OrderCardBlock:
    return {"type": "order_card", "order": order, "actions": list(actions)}


def actions_of(block: Block) -> list[str]:
    """The action ids a block's buttons offer, in order."""
    if block["type"] in ("buttons", "handoff_prompt"):
        return [b["action"] for b in block["buttons"]]
    if block["type"] == "order_card":
        return [a["action"] for a in block["actions"] if "action" in a]
    return []


def labels_of(blocks: list[Block]) -> list[str]:
    """The labels of every button in these blocks, in the order of their actions."""
    labels: list[str] = []
    for block in blocks:
        if block["type"] in ("buttons", "handoff_prompt"):
            labels += [b["label"] for b in block["buttons"]]
        elif block["type"] == "order_card":
            labels += [a["label"] for a in block["actions"] if "action" in a]
    return labels


def offered_labels(stored: object) -> dict[str, str]:
    """The buttons a stored message's blocks offered (JSON as kept in the database): action id
    -> the label the shopper saw. Anything not shaped like blocks offers nothing."""
    labels: dict[str, str] = {}
    for block in stored if isinstance(stored, list) else []:
        if not isinstance(block, Mapping):
            continue
        for button in block.get("buttons") or block.get("actions") or []:
            if isinstance(button, Mapping) and button.get("action"):
                labels[str(button["action"])] = str(button.get("label", ""))
    return labels


@dataclass
class Reply:
    """What a skill answers: blocks plus what the analytics and API meta need."""

    intent: Intent
    skill: Skill
    outcome: Outcome
    blocks: list[Block] = field(default_factory=list)

    def actions(self) -> list[str]:
        """Every action id a button in this reply offers."""
        return [action for block in self.blocks for action in actions_of(block)]
