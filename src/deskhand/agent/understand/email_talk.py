"""A message that carries an email address while the agent waits for one: about the address
itself ("fel adress, det är ava@example.com", "sorry, typo: …") or a new request.

"Address" is the email's address as often as the delivery address in every language
("adress", "Adresse", "adres", "adresse", "dirección"), so the classifier's confident
`change_address` for "wrong address, it's ava@example.com" is no request. A new one names an
action ("I'd rather cancel 1003, ava@example.com") and does not correct itself.
"""

from __future__ import annotations

import re

from deskhand.agent.understand.actions import is_action
from deskhand.agent.understand.lexical import fold

_EMAIL = re.compile(r"\S+@\S+")
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Nouns that can name the email address as well as where a parcel goes: no action by themselves.
_ADDRESS_NOUNS = ("address", "adress", "adres", "direcc")
# A shopper correcting what they typed, accent-folded.
_CORRECTIONS = frozenset(
    "wrong typo oops sorry meant mistake mistyped correct "
    "falsch falsche falscher vertippt meinte richtige richtig sorry hoppla "
    "fout foute verkeerd verkeerde bedoelde bedoel typfout juiste oeps "
    "fel felaktig felstavat menade ratt ratta oj forlat ursakta "
    "mauvaise mauvais erreur faute trompe trompee pardon oups desole desolee "
    "equivocada equivocado equivoque error errata perdon quise correcta correcto".split()
)


def corrects_itself(text: str) -> bool:
    """ "wrong address, it's …", "sorry, I meant …": the shopper fixes what they typed."""
    return any(w in _CORRECTIONS for w in _WORDS.findall(fold(_EMAIL.sub(" ", text))))


def names_an_action(text: str) -> bool:
    """Some word asks for something the agent does ("cancel", "ändern"), an address noun
    alone does not."""
    words = _WORDS.findall(fold(_EMAIL.sub(" ", text)))
    return any(is_action(w) and not w.startswith(_ADDRESS_NOUNS) for w in words)
