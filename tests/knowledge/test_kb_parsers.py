"""Every supported format parses into headed Markdown; every bad input says what is wrong."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.knowledge.documents import make_docx, make_pdf

from deskhand.knowledge.chunking import chunk_markdown
from deskhand.knowledge.parsers import MAX_FILE_BYTES, IngestError, parse_document


def test_markdown_front_matter_gives_title_topic_and_language() -> None:
    doc = parse_document(
        "gifts.md",
        b"---\ntitle: Gift wrapping\ntopic: gifts\nlanguage: en\n---\n"
        b"# Ignored\n\n## Cost\nFree.\n",
    )
    assert (doc.title, doc.topic, doc.language, doc.format) == (
        "Gift wrapping",
        "gifts",
        "en",
        "markdown",
    )
    assert doc.markdown.startswith("## Cost")


def test_html_keeps_headings_and_text_and_drops_scripts_and_navigation() -> None:
    page = b"""<!doctype html><html lang="de-DE"><head><title>Versand | Shop</title>
    <script>alert('x')</script><style>p{}</style></head><body>
    <nav>Home Shop Cart</nav><main><h1>Versand</h1><div>Wir liefern <b>schnell</b>.</div>
    <h2>Lieferzeiten</h2><p>Nach Deutschland in 1-2 Werktagen.</p>
    <script>document.write('tracking pixel')</script><ul><li>DHL</li><li>PostNL</li></ul>
    </main><footer>Impressum</footer></body></html>"""
    doc = parse_document("versand.html", page)
    assert doc.title == "Versand"
    assert doc.language == "de"
    assert "## Lieferzeiten" in doc.markdown
    assert "Nach Deutschland in 1-2 Werktagen." in doc.markdown
    assert "- DHL" in doc.markdown
    for gone in ("alert", "tracking pixel", "Impressum", "Home Shop Cart", "p{}"):
        assert gone not in doc.markdown


def test_plain_text_guesses_title_and_headings() -> None:
    text = (
        "Gift cards\n\nHow to redeem\nEnter the code at checkout before you pay, "
        "and the balance is taken off your order.\n\nDo they expire?\n"
        "No, our gift cards never expire and can be used in several orders.\n"
    )
    doc = parse_document("gift-cards.txt", text.encode())
    assert doc.title == "Gift cards"
    assert [p.heading for p in chunk_markdown(doc.markdown)] == ["How to redeem", "Do they expire?"]


def test_pdf_text_layer_is_read() -> None:
    data = make_pdf(
        ["Store credit", "", "Store credit is issued when a refund cannot go back to the card."],
        title="Store credit policy",
    )
    doc = parse_document("credit.pdf", data)
    assert doc.format == "pdf"
    assert doc.title == "Store credit policy"
    assert "Store credit is issued" in doc.markdown


def test_docx_headings_become_sections() -> None:
    data = make_docx(
        "Loyalty programme",
        [("Earning points", "You earn one point per euro."), ("Spending points", "At checkout.")],
    )
    doc = parse_document("loyalty.docx", data)
    assert doc.title == "Loyalty programme"
    assert "## Earning points" in doc.markdown
    assert "You earn one point per euro." in doc.markdown


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\n\t ", "empty"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "PDF is damaged"),
        ("fake.pdf", b"this is not a pdf at all", "not a valid PDF"),
        ("garbage.bin", bytes(range(256)) * 64, "binary"),
        ("notes.txt", b"\x00\x01\x02\x03binary\x00data" * 100, "binary"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 200, "damaged"),
        (
            "only-scripts.html",
            b"<html><body><script>var a=1;</script></body></html>",
            "no readable",
        ),
        ("numbers.txt", b"12 34 56 78\n90\n", "no readable"),
    ],
)
def test_bad_input_is_refused_with_a_clear_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message) as caught:
        parse_document(name, data)
    assert name in str(caught.value)


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(IngestError, match="not a DOCX"):
        parse_document("photos.docx", buffer.getvalue())


def test_file_over_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(IngestError, match=f"limit is {MAX_FILE_BYTES // 1048576} MB"):
        parse_document("huge.txt", b"a" * (MAX_FILE_BYTES + 1))
