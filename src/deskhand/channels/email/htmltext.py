"""Plain text from an HTML-only email, without the quoted history mail clients nest in it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
_SKIP = {"script", "style", "head", "title", "blockquote"}
# Containers mail clients put the quoted original in (Gmail, Outlook, Apple Mail, Yahoo).
_QUOTE_MARKERS = re.compile(
    r"gmail_quote|yahoo_quoted|moz-cite-prefix|divRplyFwdMsg|appendonsend|OutlookMessageHeader|"
    r"protonmail_quote|x_gmail_quote",
    re.IGNORECASE,
)
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0  # >0 while inside something we drop
        self.stack: list[bool] = []  # per open element: did it start a skipped region?
        self.cut = False  # everything after an Outlook reply header is history

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marker = " ".join(f"{v}" for k, v in attrs if k in ("class", "id") and v)
        if tag == "div" and re.search(r"divRplyFwdMsg|appendonsend", marker, re.IGNORECASE):
            self.cut = True
        starts_skip = tag in _SKIP or bool(_QUOTE_MARKERS.search(marker))
        if tag in _VOID:
            if tag == "br" and not self.skip_depth:
                self.out.append("\n")
            return
        self.stack.append(starts_skip)
        if starts_skip:
            self.skip_depth += 1
        elif tag in _BLOCK and not self.skip_depth:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.stack:
            return
        if self.stack.pop():
            self.skip_depth -= 1
        if tag in _BLOCK and not self.skip_depth:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth and not self.cut:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.out)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
