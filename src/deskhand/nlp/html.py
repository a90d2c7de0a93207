"""Text out of HTML, one way for everything that reads it (help-centre pages, HTML emails).

Built on selectolax (lexbor). A page becomes blocks in document order, each with the text
that sits directly in it: what a reader sees as paragraphs, headings and list items.
The callers decide what to drop first (navigation for an article, quoted history for a
reply) and how to lay the blocks out (Markdown, plain text).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details div dl dt figcaption figure h1 h2 h3 h4 h5 h6 "
    "li main ol p pre section summary table tbody td tfoot th thead tr ul body".split()
)
_SPACES = re.compile(r"[^\S\n]+")


def read_html(markup: str) -> LexborHTMLParser:
    return LexborHTMLParser(markup)


def squash(text: str) -> str:
    """Runs of whitespace (line breaks too) as one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def _lines(text: str) -> str:
    """Whitespace squashed within each line; a <br> stays a line break."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def text_blocks(node: LexborNode) -> list[tuple[str, str]]:
    """(block tag, its own text) in document order; blocks nest, inline elements join the
    text of their block as a browser shows it, and <br> is a line break."""
    out: list[tuple[str, str]] = []

    def flush(tag: str, inline: list[str]) -> None:
        text = _lines("".join(inline))
        if text:
            out.append((tag if tag in BLOCK_TAGS else "p", text))
        inline.clear()

    def collect(parent: LexborNode, tag: str, inline: list[str]) -> None:
        for child in parent.iter(include_text=True):
            kind = child.tag or ""
            if kind == "-text":
                inline.append(child.text(deep=False))
            elif kind == "br":
                inline.append("\n")
            elif kind in BLOCK_TAGS:
                flush(tag, inline)
                block(child)
            elif not kind.startswith("-"):  # inline elements; comments are "-comment"
                collect(child, tag, inline)

    def block(node: LexborNode) -> None:
        inline: list[str] = []
        collect(node, node.tag or "", inline)
        flush(node.tag or "", inline)

    block(node)
    return out
