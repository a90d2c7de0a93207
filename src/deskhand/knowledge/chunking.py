"""Split an article into passages at its headings; each passage carries its heading.

A passage is what retrieval finds, what the agent quotes and what one embedding
describes, so it is kept to one topic (one section) and to a size e5 reads whole
(well under its 512-token limit). Long sections are split at paragraphs, then at
sentences; every piece keeps the section heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_WORDS = 160  # ~250 e5 tokens in our languages, leaving room for title and heading
MIN_WORDS = 4  # a heading with less text under it joins the next section

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜÅÉÈÁÍÓÚÑ0-9\"'(])")


@dataclass(frozen=True)
class Passage:
    position: int
    heading: str  # "" for text before the first heading
    anchor: str  # the heading as a URL fragment, for citing the section
    text: str

    def embedded_text(self, title: str) -> str:
        """What is embedded and indexed: the article title and heading travel with the text."""
        head = f"{title}: {self.heading}" if self.heading else title
        return f"{head}\n{self.text}"


def anchor_of(heading: str) -> str:
    """A stable, readable fragment id: 'Who pays for return shipping?' -> 'who-pays-for-...'."""
    plain = unicodedata.normalize("NFKD", heading.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:120]


def _sections(markdown: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in markdown.splitlines():
        found = _HEADING.match(line)
        if found:
            sections.append((found.group(2).strip(), []))
        else:
            sections[-1][1].append(line)
    return sections


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        is_item = stripped.startswith(("- ", "* ", "+ ")) or bool(re.match(r"\d+[.)] ", stripped))
        if not stripped or (is_item and current and not _is_item(current[-1])):
            if current:
                paragraphs.append("\n".join(current))
                current = []
        if stripped:
            current.append(stripped)
    return paragraphs


def _is_item(line: str) -> bool:
    return line.startswith(("- ", "* ", "+ ")) or bool(re.match(r"\d+[.)] ", line))


def _words(text: str) -> int:
    return len(text.split())


def _pieces(paragraphs: list[str]) -> list[str]:
    """Group paragraphs into pieces of at most MAX_WORDS, splitting long ones at sentences."""
    units: list[str] = []
    for para in paragraphs:
        if _words(para) <= MAX_WORDS:
            units.append(para)
            continue
        sentences = _SENTENCE_END.split(para)
        for sentence in sentences:
            words = sentence.split()
            for i in range(0, len(words), MAX_WORDS):  # a run-on "sentence" is cut by words
                units.append(" ".join(words[i : i + MAX_WORDS]))
    pieces: list[str] = []
    current: list[str] = []
    for unit in units:
        if current and _words("\n\n".join([*current, unit])) > MAX_WORDS:
            pieces.append("\n\n".join(current))
            current = []
        current.append(unit)
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def chunk_markdown(markdown: str) -> list[Passage]:
    """The article's passages in reading order."""
    passages: list[Passage] = []
    pending = ""  # a section too short to stand alone joins the next one
    for heading, lines in _sections(markdown):
        text = "\n\n".join(_paragraphs(lines))
        if not text:
            continue  # a parent heading with no text of its own: the title gives context
        if _words(text) < MIN_WORDS:
            pending = "\n\n".join(
                p for p in (pending, f"{heading}: {text}" if heading else text) if p
            )
            continue
        if pending:
            text, pending = f"{pending}\n\n{text}", ""
        for piece in _pieces(text.split("\n\n")):
            passages.append(Passage(len(passages), heading, anchor_of(heading), piece))
    if pending and passages:
        last = passages[-1]
        passages[-1] = Passage(
            last.position, last.heading, last.anchor, f"{last.text}\n\n{pending}"
        )
    elif pending:
        passages.append(Passage(0, "", "", pending))
    return passages
