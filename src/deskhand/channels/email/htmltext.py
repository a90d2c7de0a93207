"""Plain text from an HTML-only email, without the quoted history mail clients nest in it.

The HTML is read by the one converter the knowledge base uses too (`nlp.html`); what is
particular to email is what goes first: scripts and styles, every quoted container
(<blockquote>, Gmail's, Outlook's, Apple Mail's, Yahoo's…), and everything after Outlook's
reply header, which is all history.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from deskhand.nlp.html import read_html, text_blocks

_DROP = "script, style, head, title, blockquote"
# Containers mail clients put the quoted original in (Gmail, Outlook, Apple Mail, Yahoo).
_QUOTE_MARKERS = re.compile(
    r"gmail_quote|yahoo_quoted|moz-cite-prefix|divRplyFwdMsg|appendonsend|OutlookMessageHeader|"
    r"protonmail_quote|x_gmail_quote",
    re.IGNORECASE,
)
# Outlook's reply header: the rest of the message after it is the quoted original.
_REPLY_HEADER = re.compile(r"divRplyFwdMsg|appendonsend", re.IGNORECASE)


def _marker(node: LexborNode) -> str:
    attrs = node.attributes
    return " ".join(v for k in ("class", "id") if (v := attrs.get(k)))


def _cut_from(node: LexborNode) -> None:
    """Remove `node` and everything after it in document order."""
    current: LexborNode | None = node
    while current is not None and current.tag != "html":
        following = current.next
        while following is not None:
            after = following.next
            following.decompose()
            following = after
        current = current.parent
    node.decompose()


def _drop_outermost(nodes: list[LexborNode]) -> None:
    """Remove each node once: one inside another that goes is removed with it."""
    chosen = {n.mem_id for n in nodes}
    outermost: dict[int, LexborNode] = {}
    for node in nodes:  # decided before anything is removed: a removed subtree is freed
        parent, inside = node.parent, False
        while parent is not None and not inside:
            inside = parent.mem_id in chosen
            parent = parent.parent
        if not inside:
            outermost.setdefault(node.mem_id, node)
    for node in outermost.values():
        node.decompose()


def html_to_text(markup: str) -> str:
    """The new text of an HTML email: paragraphs apart, <br> as a line break."""
    tree = read_html(markup)
    body = tree.body
    if body is None:
        return ""
    header = next((n for n in body.css("div") if _REPLY_HEADER.search(_marker(n))), None)
    if header is not None:
        _cut_from(header)
    quoted = [n for n in body.css("[class], [id]") if _QUOTE_MARKERS.search(_marker(n))]
    _drop_outermost([*body.css(_DROP), *quoted])
    text = "\n\n".join(words for _, words in text_blocks(body))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
