"""Render reply blocks for text channels (SMS, WhatsApp, email): text, deep links, numbers.

Cards become a one-line summary plus their Hub deep links; buttons become numbered options
the shopper answers with the number (`options` maps each number back to its action id).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from deskhand.agent.replies.wording import Wording

MAX_TITLES_IN_SUMMARY = 3


@dataclass
class Rendered:
    text: str
    html: str
    options: list[str] = field(default_factory=list)  # option n -> options[n - 1]


def _summary(block: Mapping[str, Any], words: Wording) -> str:
    order = block["order"]
    status = order.get("status", "")
    try:
        status_text = words.t(f"sms.status.{status}")
    except KeyError:
        status_text = status.replace("_", " ")
    titles = [str(i["title"]) for i in order.get("items", [])]
    shown = ", ".join(titles[:MAX_TITLES_IN_SUMMARY]) + (" …" if len(titles) > 3 else "")
    line = words.t("sms.order_summary", number=order["number"], status=status_text)
    return f"{line} ({shown})" if shown else line


def render(blocks: Sequence[Mapping[str, Any]], words: Wording, *, reply_hint: str) -> Rendered:
    """Text and HTML for one agent message; `reply_hint` is the wording key above options."""
    text: list[str] = []
    markup: list[str] = []
    options: list[str] = []

    def numbered(items: list[dict[str, str]]) -> None:
        lines, entries = [], []
        for item in items:
            options.append(item["action"])
            lines.append(f"{len(options)} - {item['label']}")
            entries.append(f'<li value="{len(options)}">{html.escape(item["label"])}</li>')
        hint = words.t(reply_hint)
        text.append(hint + "\n" + "\n".join(lines))
        markup.append(f"<p>{html.escape(hint)}</p><ol>{''.join(entries)}</ol>")

    def link_line(label: str, url: str) -> None:
        text.append(f"{label}: {url}")
        markup.append(f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>')

    for b in blocks:
        kind = b.get("type")
        if kind == "text":
            text.append(b["text"])
            markup.append(f"<p>{html.escape(b['text'])}</p>")
        elif kind == "sign_in":
            text.append(f"{b['text']}\n{b['url']}")
            markup.append(
                f"<p>{html.escape(b['text'])}<br>"
                f'<a href="{html.escape(b["url"])}">{html.escape(b["url"])}</a></p>'
            )
        elif kind == "link":
            link_line(b["label"], b["url"])
        elif kind == "order_card":
            summary = _summary(b, words)
            text.append(summary)
            markup.append(f"<p><strong>{html.escape(summary)}</strong></p>")
            for action in b.get("actions", []):
                if action.get("url"):
                    link_line(action["label"], action["url"])
            pressable = [a for a in b.get("actions", []) if a.get("action")]
            if pressable:
                numbered(pressable)
        elif kind == "buttons":
            numbered(b["buttons"])
        elif kind == "handoff_prompt":
            text.append(b["text"])
            markup.append(f"<p>{html.escape(b['text'])}</p>")
            numbered(b["buttons"])
        elif kind == "sources":
            for article in b.get("articles", []):
                link_line(article["title"], article["url"])
    return Rendered("\n\n".join(text), "\n".join(markup), options)
