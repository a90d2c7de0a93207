"""Quoted history and signatures are stripped in all six languages before the agent reads."""

from __future__ import annotations

import pytest

from deskhand.channels.email.htmltext import html_to_text
from deskhand.channels.email.quotes import strip_reply

SHOP = "Fjord & Finch <help@fjordfinch.example>"


@pytest.mark.parametrize(
    ("new", "history"),
    [
        ("Where is my order?", "-- \nAva Jansen\nKeizersgracht 12"),
        (
            "Can I return it?",
            f"Sent from my iPhone\n\nOn Mon, 3 Nov 2026 at 10:00, {SHOP}\nwrote:\n> x",
        ),
        ("Where is it?", f"On Mon, Nov 3, 2026 at 10:00 AM {SHOP} wrote:\n> x"),
        ("Wo ist mein Paket?", f"Am Mo., 3. Nov. 2026 um 10:00 Uhr schrieb {SHOP}:\n> x"),
        ("Wo ist mein Paket?", "Von meinem iPhone gesendet"),
        (
            "Waar is mijn pakket?",
            f"Verzonden vanaf mijn iPhone\n\nOp ma 3 nov. 2026 om 10:00 schreef {SHOP}:\n> x",
        ),
        (
            "Var är mitt paket?",
            f"Med vänliga hälsningar\nAva\n\nDen 3 nov. 2026 kl. 10:00 skrev {SHOP}:\n> x",
        ),
        ("Var är mitt paket?", "Skickat från min iPhone"),
        (
            "Je voudrais annuler.",
            f"Envoyé de mon iPhone\n\nLe lun. 3 nov. 2026 à 10:00, {SHOP} a écrit :\n> x",
        ),
        ("Quiero devolverlo.", f"El lun, 3 nov 2026 a las 10:00, {SHOP} escribió:\n> x"),
        ("Quiero devolverlo.", "Enviado desde mi iPhone"),
        (
            "Bitte stornieren.",
            f"-----Ursprüngliche Nachricht-----\nVon: {SHOP}\nGesendet: Montag\nAn: b@x.de",
        ),
        ("Please cancel.", f"-----Original Message-----\nFrom: {SHOP}\nSent: Monday\nTo: b@x.com"),
        (
            "Please cancel.",
            f"________________________________\nFrom: {SHOP}\nSent: Monday\nTo: b@x.com",
        ),
        ("Annulez svp.", f"De : {SHOP}\nEnvoyé : lundi 3 novembre\nÀ : c@x.fr\nObjet : commande"),
        ("Devolución.", f"De: {SHOP}\nEnviado: lunes\nPara: x@x.es\nAsunto: pedido"),
        ("Min order?", f"Från: {SHOP}\nSkickat: måndag\nTill: x@x.se\nÄmne: order"),
        ("Mijn order?", f"Van: {SHOP}\nVerzonden: maandag\nAan: x@x.nl\nOnderwerp: order"),
        ("Danke!", "Mit freundlichen Grüßen\nBen Müller"),
    ],
)
def test_history_and_signature_are_stripped(new: str, history: str) -> None:
    assert strip_reply(f"{new}\n\n{history}") == new


def test_quoted_lines_between_answers_are_dropped() -> None:
    raw = "> Which size?\nM please\n> Which colour?\nBlue"
    assert strip_reply(raw) == "M please\nBlue"


def test_a_message_that_is_only_a_greeting_is_kept() -> None:
    assert strip_reply("Thanks!") == "Thanks!"


def test_a_spanish_sentence_starting_with_de_is_not_a_header() -> None:
    text = "De nada, pero quiero saber dónde está mi pedido."
    assert strip_reply(text) == text


def test_html_quotes_of_common_clients_are_dropped() -> None:
    gmail = (
        '<div>Where is it?</div><div class="gmail_quote">On Mon wrote:'
        "<blockquote>x</blockquote></div>"
    )
    outlook = '<p>Bitte stornieren</p><div id="divRplyFwdMsg"><b>Von:</b> x</div><div>alt</div>'
    assert html_to_text(gmail) == "Where is it?"
    assert html_to_text(outlook) == "Bitte stornieren"
