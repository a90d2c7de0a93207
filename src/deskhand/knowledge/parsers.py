"""Turn an uploaded or fetched document into a title and heading-structured Markdown.

Markdown, HTML, plain text, PDF and DOCX are read; everything else, and anything that
is empty, too large, corrupt or not text at all, is refused with an `IngestError` that
says why in words a brand can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from deskhand.nlp.html import read_html, squash, text_blocks

MAX_FILE_BYTES = 20 * 1024 * 1024  # an upload or a file on the command line
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024  # a DOCX is a zip: refuse zip bombs
MAX_PDF_PAGES = 500
FORMATS = ("markdown", "html", "text", "pdf", "docx")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
    ".pdf": "pdf",
    ".docx": "docx",
}
# Content that is never article text, whatever page it sits on.
_HTML_DROP = "script, style, noscript, template, svg, iframe, object, embed, form, nav, header, footer, aside, button, select, canvas"  # noqa: E501


class IngestError(ValueError):
    """A document could not be ingested; the message says why and is safe to show."""


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    markdown: str  # "# Title" is not included; sections start with "## Heading"
    format: str
    language: str | None = None  # when the document declares it (HTML lang, front matter)
    topic: str | None = None


def format_of(name: str, data: bytes) -> str:
    """The document's format, from its first bytes first and its name second."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    lowered = name.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lowered.endswith(ext):
            if fmt in ("pdf", "docx"):
                raise IngestError(f"{name}: the file is not a valid {fmt.upper()} document")
            return fmt
    text_head = head.decode("utf-8", "ignore").lstrip().lower()
    if text_head.startswith(("<!doctype html", "<html")) or "<body" in text_head:
        return "html"
    return "text"


def parse_document(name: str, data: bytes, *, fmt: str | None = None) -> ParsedDocument:
    """Parse a file's bytes; raise IngestError for anything that is not a readable article."""
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(
            f"{name}: the file is {len(data) / 1048576:.0f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1048576} MB"
        )
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    fmt = fmt or format_of(name, data)
    if fmt == "pdf":
        doc = parse_pdf(name, data)
    elif fmt == "docx":
        doc = parse_docx(name, data)
    else:
        text = decode_text(name, data)
        if fmt == "html":
            doc = parse_html(name, text)
        elif fmt == "markdown":
            doc = parse_markdown(name, text)
        else:
            doc = parse_text(name, text)
    if not re.search(r"[^\W\d_]{2,}", doc.markdown):
        raise IngestError(f"{name}: no readable text was found in the document")
    return doc


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 (or Windows-1252) text; binary data is refused rather than stored as mojibake."""
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: the file is binary, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise IngestError(f"{name}: the file is not UTF-8 text") from None
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > len(sample) * 0.01:
        raise IngestError(f"{name}: the file is binary, not a text document")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title_from_name(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,9}$", "", name.rsplit("/", 1)[-1])
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled"


# -- Markdown and plain text ----------------------------------------------------------------


def parse_markdown(name: str, text: str) -> ParsedDocument:
    """Front matter (`title`, `topic`, `language`) and a body whose first `# ` is the title."""
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        head, sep, rest = text[4:].partition("\n---\n")
        if not sep:
            raise IngestError(f"{name}: the front matter is not closed with '---'")
        for line in head.splitlines():
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip()
        body = rest
    title = meta.get("title", "")
    lines = body.strip("\n").splitlines()
    if lines and lines[0].startswith("# "):
        title = title or lines[0][2:].strip()
        lines = lines[1:]
    return ParsedDocument(
        title=title or _title_from_name(name),
        markdown="\n".join(lines).strip() + "\n",
        format="markdown",
        language=meta.get("language") or None,
        topic=meta.get("topic") or None,
    )


def _looks_like_heading(line: str, following: str) -> bool:
    """A short line without closing punctuation, followed by a longer line of prose."""
    line = line.strip()
    if not (2 < len(line) <= 80) or line[-1] in ".,;:!" or not line[0].isupper():
        return len(line) <= 80 and line.endswith("?") and len(following) > len(line)
    return len(line.split()) <= 10 and len(following.strip()) > len(line)


def structure_plain_text(lines: list[str]) -> list[str]:
    """Markdown lines from plain text: headings guessed from layout, paragraphs kept."""
    out: list[str] = []
    cleaned = [ln.rstrip() for ln in lines]
    for i, line in enumerate(cleaned):
        following = next((ln for ln in cleaned[i + 1 :] if ln.strip()), "")
        prev_blank = i == 0 or not cleaned[i - 1].strip()
        if line.strip() and prev_blank and _looks_like_heading(line, following):
            out.extend(["", f"## {line.strip()}"])
        else:
            out.append(line)
    return out


def parse_text(name: str, text: str) -> ParsedDocument:
    lines = text.strip("\n").splitlines()
    title = _title_from_name(name)
    # A first line standing alone above the text is the title.
    if len(lines) > 2 and 0 < len(lines[0].strip()) <= 100 and not lines[1].strip():
        title, lines = lines[0].strip(), lines[2:]
    body = "\n".join(structure_plain_text(lines)).strip()
    return ParsedDocument(title=title, markdown=_tidy(body), format="text")


def _tidy(markdown: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


# -- HTML ------------------------------------------------------------------------------------


def parse_html(name: str, text: str) -> ParsedDocument:
    title, language, markdown = html_to_markdown(text)
    return ParsedDocument(
        title=title or _title_from_name(name), markdown=markdown, format="html", language=language
    )


def html_to_markdown(text: str) -> tuple[str, str | None, str]:
    """(title, declared language, Markdown) of the page's main content; scripts are dropped."""
    tree = read_html(text)
    lang = None
    if tree.root is not None:
        declared = (tree.root.attributes.get("lang") or "").strip().lower()
        lang = declared.split("-")[0][:8] or None
    title_node = tree.css_first("title")
    page_title = squash(title_node.text()) if title_node else ""
    main = tree.css_first("main") or tree.css_first("article") or tree.css_first("[role=main]")
    main = main or tree.body
    if main is None:
        return page_title, lang, ""
    for node in main.css(_HTML_DROP):
        node.decompose()
    out: list[str] = []
    h1 = ""
    for tag, text in text_blocks(main):
        words = squash(text)
        if tag == "h1" and not h1:
            h1 = words
        elif tag[0] == "h" and tag[1:].isdigit():
            out.extend(["", f"{'#' * max(2, int(tag[1]))} {words}", ""])
        elif tag == "li":
            out.append(f"- {words}")
        else:
            out.extend([words, ""])
    title = h1 or page_title.split(" | ")[0].split(" - ")[0].strip()
    return title, lang, _tidy("\n".join(out))


def links_of(text: str) -> list[str]:
    """Every href on the page, as written (the crawler resolves and filters them)."""
    return [
        href
        for node in read_html(text).css("a[href]")
        if (href := (node.attributes.get("href") or "").strip())
    ]


# -- PDF and DOCX ----------------------------------------------------------------------------


def parse_pdf(name: str, data: bytes) -> ParsedDocument:
    # pypdf is heavy to import and only PDF uploads need it: loaded on the first PDF.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise IngestError(f"{name}: the PDF is password-protected")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise IngestError(f"{name}: the PDF has more than {MAX_PDF_PAGES} pages")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = str((reader.metadata.get("/Title") if reader.metadata else None) or "").strip()
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(f"{name}: the PDF is damaged and cannot be read ({exc})") from exc
    text = "\n\n".join(pages).strip()
    if not text:
        raise IngestError(f"{name}: the PDF has no text layer (a scan?); nothing to read")
    doc = parse_text(name, text)
    return ParsedDocument(
        title=str(meta_title) or doc.title, markdown=doc.markdown, format="pdf", language=None
    )


def parse_docx(name: str, data: bytes) -> ParsedDocument:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise IngestError(f"{name}: the file is a zip archive, not a DOCX document")
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise IngestError(f"{name}: the DOCX is damaged and cannot be read") from exc
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise IngestError(f"{name}: the DOCX unpacks to more than 50 MB")
    # python-docx (and lxml under it) is heavy to import and only DOCX uploads need it.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError(f"{name}: the DOCX is damaged and cannot be read") from exc
    except Exception as exc:  # lxml raises its own XMLSyntaxError for broken XML
        raise IngestError(f"{name}: the DOCX is damaged and cannot be read") from exc
    title = (document.core_properties.title or "").strip()
    out: list[str] = []
    for para in document.paragraphs:
        words = squash(para.text)
        if not words:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if style == "Title":
            title = title or words
        elif level:
            out.extend(["", f"{'#' * max(2, int(level.group(1)) + 1)} {words}", ""])
        elif style.startswith("List"):
            out.append(f"- {words}")
        else:
            out.extend([words, ""])
    for table in document.tables:
        for row in table.rows:
            cells = [squash(c.text) for c in row.cells]
            if any(cells):
                out.extend([" | ".join(cells), ""])
    return ParsedDocument(
        title=title or _title_from_name(name), markdown=_tidy("\n".join(out)), format="docx"
    )
