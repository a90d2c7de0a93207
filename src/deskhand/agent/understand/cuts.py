"""Where one sentence holds two requests: a comma before a request, an "and" between actions.

"ich will den parka zurückschicken, wie lange habe ich dafür?" and "die socken will ich
zurückgeben und den parka tauschen" are two requests each; `clauses.py` cuts sentences with
these besides its own cues (punctuation, connectors, refusals).
"""

from __future__ import annotations

import re

from deskhand.agent.understand.actions import CONDITIONALS, is_action
from deskhand.agent.understand.lexical import fold

_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# After a comma, these open a request of their own: "ich will den parka zurückschicken,
# wie lange habe ich dafür?", "el reembolso sigue sin llegar, pasadme con una persona".
_REQUEST_OPENERS = (
    r"i want|i'd like|i would like|i need|please|can you|could you|can i|could i|how much|"
    r"how long|how many|when|where|what|is there|do you|tell me|"
    r"ich will|ich möchte|ich moechte|ich hätte gern|ich brauche|bitte|könnt ihr|koennt ihr|"
    r"können sie|kann ich|wie viel|wie lange|wann|wo|gibt es|habt ihr|"
    r"ik wil|ik zou graag|graag|kunnen jullie|kan ik|kan iemand|hoeveel|hoe lang|wanneer|"
    r"waar|hebben jullie|is er|"
    r"jag vill|jag skulle vilja|kan ni|kan jag|kan någon|hur mycket|hur länge|hur många|när|"
    r"har ni|finns det|"
    r"je veux|je voudrais|j'aimerais|pouvez-vous|pouvez vous|est-ce que|combien|quand|où|"
    r"il faut|dites-moi|passez-moi|vous avez|avez-vous|ça coûte|c'est gratuit|"
    r"quiero|necesito|me gustaría|podéis|podeis|puedo|cuánto|cuanto|cuándo|dónde|hay que|"
    r"pasadme|decidme|tenéis|teneis"
)
_COMMA_REQUEST_RE = re.compile(rf"\s*,\s*(?=(?:{_REQUEST_OPENERS})(?![^\W\d_]))", re.IGNORECASE)
# Words that tie a question to the request before it ("..., so that it arrives?").
_LINKS = frozenset(
    "that so because dass damit weil denn dat zodat omdat att eftersom sa que car parce "
    "para porque pour afin".split()
)
# Accent-folded: French imperatives ("ajoutez", "changez"), Spanish ones with their pronoun
# ("cambiadme", "enviadlo") or without ("anadid", "cancelad").
_IMPERATIVE_FORM = re.compile(
    r"(?!chez$|assez$)[a-z]{3,}ez|[a-z]{2,}[aei]d(?:me|lo|la|los|las|nos|le|les)?(?:lo|la)?"
)
_IMPERATIVES = frozenset(
    "cancel change add swap send put return exchange refund update ship "
    "storniert storniere andert aendert tauscht packt gebt schickt legt setzt "
    "annuleer wijzig voeg ruil stuur zet verander doe "
    "avbestall andra lagg byt skicka satt "
    "mettez mets ajoute change annule envoie "
    "pon cambia anade anula envia manda".split()
)
_PLEASE = frozenset("please pls bitte graag alstublieft svp plait snalla favor".split())
_WISHES = frozenset(
    "i want|i'd like|i need|ich will|ich mochte|ich hatte|ik wil|ik zou|jag vill|jag skulle|"
    "je veux|je voudrais|j'aimerais|quiero|necesito|me gustaria".split("|")
)
_AND_WORD_RE = re.compile(r"\s+(?:and|und|en|och|et|y)\s+", re.IGNORECASE)


def split_before_request(part: str) -> list[str]:
    """A statement or request, a comma, then a request of its own: two clauses.

    Not after a condition ("if it doesn't fit, can I return it?" is one question), and not
    after a greeting or a word or two (those join the request anyway).
    """
    out: list[str] = []
    rest = part
    for match in _COMMA_REQUEST_RE.finditer(part):
        head = rest[: match.start() - (len(part) - len(rest))]
        words = _WORDS.findall(fold(head))
        if len(words) < 3 or words[0] in CONDITIONALS:
            continue
        out.append(head)
        rest = rest[match.end() - (len(part) - len(rest)) :]
    return [*out, rest]


def split_before_question(part: str) -> list[str]:
    """ "ajoutez un bonnet à la 1015, la livraison restera gratuite ?": a request for an
    action, a comma, then a question of its own (the part ends on a question mark).

    Only when the part before the comma asks for an action and neither side is short; a
    question that opens with a condition or a link ("..., if that's possible?", "..., dass
    es ankommt?") belongs to the request and stays with it.
    """
    if not part.rstrip().endswith("?"):
        return [part]
    cut = part.rfind(",")
    if cut < 0:
        return [part]
    head, tail = part[:cut], part[cut + 1 :]
    head_words, tail_words = _WORDS.findall(fold(head)), _WORDS.findall(fold(tail))
    if (
        len(head_words) < 3
        or len(tail_words) < 3
        or head_words[0] in CONDITIONALS
        or tail_words[0] in CONDITIONALS
        or tail_words[0] in _LINKS
        or not any(is_action(w) for w in head_words)
        or not _asks(head_words)
    ):
        return [part]
    return [head, tail]


def _asks(words: list[str]) -> bool:
    """The words ask for something: an imperative first ("ajoutez", "cambiadme", "packt"),
    a "please", or a wish ("I want", "je voudrais"); "en cas d'annulation" only sets a topic."""
    first = words[0]
    return (
        first in _IMPERATIVES
        or bool(_IMPERATIVE_FORM.fullmatch(first))
        or any(w in _PLEASE for w in words)
        or " ".join(words[:2]) in _WISHES
    )


def split_two_actions(part: str) -> list[str]:
    """ "die socken will ich zurückgeben und den parka tauschen": an action on each side.

    Only where both sides name something the agent could do, in two words or more each;
    "change the size and colour" names one action and stays whole.
    """
    for match in _AND_WORD_RE.finditer(part):
        head, tail = part[: match.start()], part[match.end() :]
        head_words, tail_words = _WORDS.findall(fold(head)), _WORDS.findall(fold(tail))
        if (
            len(head_words) >= 2
            and len(tail_words) >= 2
            and any(is_action(w) for w in head_words)
            and any(is_action(w) for w in tail_words)
        ):
            return [head, *split_two_actions(tail)]
    return [part]
