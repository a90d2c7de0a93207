"""Render reply blocks as plain text: the terminal chat now, SMS and email text parts later."""

from __future__ import annotations

from typing import Any


def render_plain(blocks: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for b in blocks:
        kind = b["type"]
        if kind == "text":
            lines.append(b["text"])
        elif kind == "sign_in":
            lines.append(f"{b['text']}\n  → {b['url']}")
        elif kind == "link":
            lines.append(f"{b['label']}: {b['url']}")
        elif kind in ("buttons", "handoff_prompt"):
            if kind == "handoff_prompt":
                lines.append(b["text"])
            lines.append("  " + "  ".join(f"[{x['label']}]" for x in b["buttons"]))
        elif kind == "order_card":
            lines.append(_card(b))
        elif kind == "sources":
            lines.append(
                "Sources: " + "; ".join(f"{a['title']} ({a['url']})" for a in b["articles"])
            )
    return "\n".join(lines)


def _card(block: dict[str, Any]) -> str:
    order = block["order"]
    out = [f"┌ Order #{order['number']} · {order['status'].replace('_', ' ')}"]
    for item in order["items"]:
        mark = "✎" if item["editable"] else " "
        out.append(
            f"│ {mark} {item['quantity']}× {item['title']} ({item['variant']}) · {item['status']}"
        )
    for s in order["shipments"]:
        eta = f", ETA {s['eta']}" if s.get("eta") else ""
        out.append(f"│ ⛟ {s['carrier']} {s['tracking_number']} · {s['status']}{eta}")
    for action in block["actions"]:
        target = action.get("url") or f"[{action.get('action')}]"
        out.append(f"│ → {action['label']}: {target}")
    out.append("└")
    return "\n".join(out)
