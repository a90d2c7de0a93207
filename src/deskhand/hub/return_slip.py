"""The return slip: a one-page PDF with the RMA number, a QR code of it, what goes back and
where to, in the shopper's language (fpdf2 for the page, segno for the QR code)."""

from __future__ import annotations

import io

import segno
from fpdf import FPDF

from deskhand.db import models
from deskhand.db.models import ReturnRequest
from deskhand.hub.i18n import HubWords

# The PDF's built-in fonts know Latin-1 only: the euro sign is spelled out, anything else
# unknown becomes "?" rather than failing the download.
_SPELLED = {"€": "EUR", "\u202f": " ", "\u00a0": " ", "–": "-", "—": "-", "’": "'"}


def _latin1(text: str) -> str:
    for char, spelled in _SPELLED.items():
        text = text.replace(char, spelled)
    return text.encode("latin-1", "replace").decode("latin-1")


def qr_png(text: str) -> bytes:
    """The text as a QR code (error correction M), a PNG of crisp modules."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def return_slip(ret: ReturnRequest, brand: models.Brand, words: HubWords) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"{brand.name} {ret.rma}"))
    pdf.set_creator("Deskhand")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.cell(
        0,
        12,
        _latin1(words.t("returns.slip.title", brand=brand.name)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("helvetica", "", 12)
    pdf.cell(
        0,
        8,
        _latin1(words.t("returns.slip.order", number=ret.order_number)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 28)
    pdf.cell(0, 16, ret.rma, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    pdf.image(io.BytesIO(qr_png(ret.rma)), x=pdf.l_margin, y=top, w=50, h=50)
    pdf.set_xy(pdf.l_margin + 58, top)
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(
        0, 6, _latin1(words.t("returns.slip.how", rma=ret.rma)), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_y(top + 56)
    pdf.set_font("helvetica", "B", 13)
    pdf.cell(0, 9, _latin1(words.t("returns.slip.items")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    for line in ret.lines:
        text = f"{line.quantity} × {line.title} ({line.variant})"
        if line.exchange_variant:
            text += " → " + words.t("returns.slip.exchange_for", variant=line.exchange_variant)
        pdf.multi_cell(
            0, 7, _latin1(text.replace("→", "->").replace("×", "x")), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(0, 7, _latin1(words.t("returns.slip.resolution")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(
        0,
        7,
        _latin1(words.t(f"returns.resolution.{ret.resolution}")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    pdf.set_font("helvetica", "I", 10)
    pdf.multi_cell(
        0, 6, _latin1(words.t("returns.slip.footer", rma=ret.rma)), new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())
