"""Words that name something the agent could do, and the words that make a condition.

Shared by the negation reader (`clauses.py`: "I don't want to *cancel*") and the clause
cutter (`cuts.py`: an action on each side of an "and").
"""

from __future__ import annotations

# Conditions: "can I return it if it doesn't fit" does not refuse the return.
CONDITIONALS = frozenset(
    "if unless wenn falls ob als indien tenzij om ifall si sinon cuando".split()
)
# Things the agent could do for the shopper (accent-folded stems). Delivery verbs ("ship",
# "send") are left out: "hasn't shipped" and "don't send it" are not refusals of a request.
ACTION_STEMS = (
    # en
    "cancel",
    "chang",
    "return",
    "exchang",
    "swap",
    "refund",
    "add",
    "track",
    "talk",
    "speak",
    "replac",
    "address",
    # de
    "storn",
    "ander",
    "tausch",
    "umtausch",
    "zuruck",
    "retour",
    "ruckgab",
    "erstatt",
    "hinzufug",
    "dazu",
    "sendungsverfolg",
    "sprech",
    "adress",
    # nl
    "annuler",
    "wijzig",
    "aanpas",
    "ruil",
    "terug",
    "toevoeg",
    "volg",
    "verander",
    "vervang",
    "omruil",
    "spreek",
    "spreken",
    "praten",
    "adres",
    # sv
    "avbest",
    "avbryt",
    "andra",
    "byt",
    "retur",
    "aterbetal",
    "lagga till",
    "spar",
    "tillbaka",
    "prata",
    # fr
    "annul",
    "modifi",
    "echang",
    "rembours",
    "ajout",
    "rajout",
    "suiv",
    "renvoy",
    "retourn",
    "parl",
    # es
    "cambi",
    "devol",
    "reembols",
    "anad",
    "agreg",
    "segui",
    "rastre",
    "habl",
    "direcc",
)


def is_action(word: str) -> bool:
    word = word.rsplit("'", 1)[-1]  # "d'annuler", "l'échanger"
    return any(word.startswith(stem) for stem in ACTION_STEMS)
