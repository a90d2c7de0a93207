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
