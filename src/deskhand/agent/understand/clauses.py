"""Clauses and negation: "I don't want to cancel, just change the size" is two clauses, and
the first one says what the shopper does *not* want.

Pure rules over the six brand languages; no model. The reader classifies each clause and
uses these flags to answer both parts of a two-part message and to never act on a negated
request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from deskhand.agent.understand.actions import CONDITIONALS as _CONDITIONALS
from deskhand.agent.understand.actions import is_action as _is_action
from deskhand.agent.understand.cuts import (
    split_before_question,
    split_before_request,
    split_two_actions,
)
from deskhand.agent.understand.lexical import fold

# Words that start a new request inside one sentence ("..., and when do I get my money back").
_CONNECTORS = {
    "en": "and|also|plus|btw|but|just|only|rather|instead|besides|oh and|and also",
    "de": "und|auch|außerdem|ausserdem|aber|sondern|nur|lieber|noch was|und noch",
    "nl": "en|ook|verder|maar|alleen|liever|gewoon|en ook|nog iets",
    "sv": "och|även|också|dessutom|men|utan|bara|hellre|och så",
    "fr": "et|aussi|mais|juste|seulement|plutôt|plutot|et aussi|sinon|par contre",
    "es": "y|también|tambien|además|ademas|pero|sino|solo|sólo|solamente|más bien|y también",
}
# A comma followed by a connector starts a clause ("cancel 1012, and when is my refund due").
_CONNECTOR_RE = re.compile(
    r"\s*,\s*(?=(?:" + "|".join(_CONNECTORS.values()) + r")\b)", re.IGNORECASE
)
# A bare "and" starts one only before a word that opens a question or a request: "where is my
# order and what is your return policy" and "return the socks and swap the hat" split,
# "size and colour" does not.
_AND = r"and|und|en|och|et|y"
_OPENERS = (
    r"can|could|would|will|what|when|where|how|why|do|does|is|are|i|i'd|i'm|please|pls|"
    r"swap|change|cancel|tell|send|add|return|exchange|let|give|put|update|refund|check|"
    r"kann|kannst|könnt|koennt|können|wann|wo|wie|was|warum|ist|gibt|ich|bitte|habt|wird|"
    r"sagt|sag|schickt|schick|storniert|ändert|tauscht|packt|gebt|gib|lasst|"
    r"kan|kunnen|kun|wanneer|waar|hoe|wat|ik|graag|hebben|wordt|"
    r"doe|stuur|laat|zeg|annuleer|wijzig|ruil|voeg|geef|"
    r"när|var|hur|vad|är|jag|går|finns|vill|byt|byta|skicka|säg|lägg|ändra|avbeställ|"
    r"est-ce|quand|où|comment|quel|quelle|quels|je|j'|pouvez|puis|peut|c'est|combien|"
    r"échangez|echangez|dites|envoyez|ajoutez|annulez|changez|modifiez|remboursez|mettez|"
    r"puedo|podéis|podeis|pueden|cuándo|cuando|dónde|donde|cómo|como|qué|que|cuál|hay|"
    r"quiero|necesito|me|decidme|dime|enviad|añadid|cancelad|cambiad|devolvedme|mandad|"
    r"also|außerdem|ausserdem|auch|ook|även|också|aussi|también|tambien|además|ademas"
)
# A verb that opens a request by its form rather than by being listed: an imperative with its
# pronoun ("livrez-la", "désinscrivez-moi", "mandadlo", "dadme de baja"), a French imperative
# ("et expédiez chez ma sœur"), a verb before its subject ("und nehmt ihr paypal?", "en
# accepteren jullie", "och skickar ni", "et acceptez-vous", "y aceptáis").
_VERB_FORMS = (
    r"(?!chez\b|assez\b|nez\b)[^\W\d_]{3,}ez(?:-(?:moi|le|la|les|nous|lui|leur|vous|y|en))?"
    r"|[^\W\d_]{2,}[aeií]d(?:me|lo|la|los|las|nos|le|les)(?:lo|la|los|las)?"
    r"|[^\W\d_]{3,}(?:áis|éis|ais|eis)"
    r"|[^\W\d_]{3,}t\s+ihr|[^\W\d_]{3,}en\s+(?:sie|jullie)|[^\W\d_]{2,}r\s+ni"
)
_AND_RE = re.compile(
    rf"\s+(?=(?:{_AND})\s+(?:{_OPENERS}|{_VERB_FORMS})(?![^\W\d_]))", re.IGNORECASE
)
# What a clause starts with that only links it to the one before: dropped before classifying.
_LEAD_RE = re.compile(
    r"^[\s,.;:!?¿¡–—-]*(?:(?:and|also|plus|btw|but|just|only|und|außerdem|ausserdem|auch|"
    r"aber|sondern|nur|en ook|ook|verder|maar|alleen|och så|och|även|också|dessutom|men|"
    r"utan|bara|et|aussi|mais|juste|seulement|sinon|par contre|y|también|tambien|además|"
    r"ademas|pero|sino|solo|sólo)(?![^\W\d_])[\s,:]*)+",
    re.IGNORECASE,
)
_CONTRAST_RE = re.compile(
    r"\s+(?=(?:but|just|only|instead|sondern|aber|nur|maar|alleen|gewoon|men|utan|bara|"
    r"mais|juste|seulement|plutôt|pero|sino|solo|sólo)\b)",
    re.IGNORECASE,
)
_PAUSE_RE = re.compile(r"\s*[,;]\s*|\s+[–—-]+\s+")
_BOUNDARY_RE = re.compile(
    r"(?<=[!?;])\s+"  # after ! ? ; (a run of them stays together)
    r"|(?<=[^\s¿¡])\s*,?\s*(?=¿)"  # before a Spanish question mark that opens a question
    r"|(?<=[^\W_][.])\s+(?=[^\W\d_])"  # after a full stop (abbreviations are re-joined)
    r"|\s+[–—-]+\s+"  # a spaced dash
    r"|\n+"
)
# "order no. 1002", "Nr. 5", "z.B. rot": a full stop after these does not end a sentence.
_ABBREVIATIONS = frozenset(
    "no nr nº n st str ca bzw zb z.b dr mr mrs tel inkl evtl ggf usw".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKENS = re.compile(r"[^\W_]+")
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_WORDS_AND_BREAKS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[,;:()–—]|(?<=\s)-(?=\s)")

# Negation, accent-folded. A *verbal* cue refuses the action that follows it ("don't cancel",
# "nicht stornieren", "je ne veux pas annuler"); a *nominal* one ("no refund", "keine
# Erstattung") is usually a complaint ("no refund yet") and refuses only with a wish or a
# need next to it ("I want no refund", "no refund needed", "no need to change").
_VERBAL_CUES = frozenset(
    "not dont don't doesnt doesn't never won't wont "
    "nicht nie niet nooit inte ej aldrig pas jamais nunca".split()
)
# Outside English the refused action is an infinitive ("nicht stornieren", "niet annuleren",
# "inte avbeställa", "pas annuler"); a participle or noun there describes a state
# ("nicht erstattet", "pas remboursé", "geld nog niet terug").
_INFINITIVE_AFTER = {
    "nicht": ("en",),
    "nie": ("en",),
    "niet": ("en",),
    "nooit": ("en",),
    "inte": ("a",),
    "ej": ("a",),
    "aldrig": ("a",),
    "pas": ("er", "ir", "re"),
    "jamais": ("er", "ir", "re"),
}
# "not yet", "noch nicht", "nog niet", "pas encore", "todavía no": a state, not a refusal.
_NOT_YET = frozenset("yet still noch nog inte an annu encore todavia aun".split())
# The cue belongs to a description of things ("items that can't be returned") or to what
# cannot be done ("I can't cancel it in the app" wants the cancel): no refusal.
_RELATIVES = frozenset("that which who welche som qui que".split())
_ARTICLE_OR_RELATIVE = frozenset("die das dat".split())  # relative before a pronoun
_PRONOUNS = frozenset("je u man ich du wir ihr sie jij we ik".split())
_ABILITY = frozenset(
    "can can't cant cannot could couldn't kann kannst konnen koennen kan kun kunt kunnen "
    "gar gick peux peut peuvent pouvez puedo puede pueden podeis".split()
)
# A refusal does not reach across these ("nicht verschicken, ich will stornieren").
_BREAKS = frozenset(
    ", ; : ( ) – — - and und en och et y but aber sondern maar men utan mais pero sino".split()
)
_NOMINAL_CUES = frozenset(
    "no nothing kein keine keinen keiner keinem nichts geen niks ingen inget inga "
    "aucun aucune rien sin ningun ninguna nada".split()
)
_WISHES = frozenset(
    "want wanna need like looking asking planning going trying wish "
    "will mochte moechte wollen brauche muss mag "
    "wil hoef wens ga "
    "vill behover tanker ska "
    "veux voudrais souhaite cherche demande compte "
    "quiero necesito busco deseo pienso pido".split()
)
_NEEDED = frozenset(
    "needed necessary notig noetig nodig behovs nodvandigt besoin necessaire necesario "
    "falta peine".split()
)
# A state, not a refusal: "has not been refunded", "wurde nicht erstattet", "n'a pas été
# remboursé", "no me han reembolsado". A cue next to one of these refuses nothing.
_AUXILIARIES = frozenset(
    "has have had is was were are been be "
    "ist sind war wurde wurden worden hat habe haben hab "
    "zijn werd heeft heb hebben "
    "har hade blev blivit "
    "ai ont ete est "
    "ha han he hemos sido fue esta".split()
)
# "No longer" asks for the cancel or return rather than refusing it.
_NOT_A_REFUSAL_AFTER = frozenset("longer anymore mehr meer langre plus mas".split())
_WINDOW = 5  # "I don't want to check the tracking": the action follows within five words


@dataclass(frozen=True)
class Clause:
    text: str
    negated: bool  # refuses an action: "I don't want to cancel", "no refund needed"


def is_negated(text: str) -> bool:
    """Whether the clause refuses an action the agent could take."""
    words = _WORDS_AND_BREAKS.findall(fold(text))
    for i, word in enumerate(words):
        if word not in _VERBAL_CUES and word not in _NOMINAL_CUES:
            continue
        before = _until_break(reversed(words[max(0, i - 3) : i]))[::-1]
        after = _until_break(words[i + 1 : i + 1 + _WINDOW])
        if _refuses_in_short(word, before, after, words[i + 2 : i + 3]):
            return True
        if not after or any(w in _CONDITIONALS or w in _RELATIVES for w in before):
            continue
        if any(
            w in _ARTICLE_OR_RELATIVE and (nxt in _PRONOUNS or nxt == word)
            for w, nxt in zip(before, [*before[1:], word], strict=False)
        ):
            continue
        if any(w in _ABILITY for w in (*before[-2:], *after[:2])):
            continue
        if any(w in _NOT_A_REFUSAL_AFTER for w in after) or after[0] in _NOT_YET:
            continue
        wished = any(w in _WISHES for w in before)
        if before[-1:] and before[-1] in _NOT_YET and not wished:
            continue  # "noch nicht erstattet"; but "ik wil nog niks terugsturen" refuses
        if word == "no" and before[-1:] == ["ya"]:
            continue
        if any(w in _AUXILIARIES for w in (*before[-2:], *after[:2])) and not (
            wished and after[0] in _AUXILIARIES  # "jag vill inte ha pengarna tillbaka"
        ):
            continue
        actions = [w for w in after if _is_action(w)]
        if not actions:
            continue
        wish = any(w in _WISHES for w in (*before, *after)) or any(w in _NEEDED for w in after)
        if wish:
            return True
        nominal = word in _NOMINAL_CUES or (word == "pas" and after[0] in ("de", "d"))
        if nominal and not _ends_on_infinitive(words, i, after):
            continue
        endings = _INFINITIVE_AFTER.get(word)
        if endings is None and not actions[0].endswith("ed"):
            return True
        if endings is not None and actions[0].endswith(endings):
            return True
    return False


def _refuses_in_short(word: str, before: list[str], after: list[str], then: list[str]) -> bool:
    """The short refusals that end at a break: "storniere nicht, ...", "kein Tausch – ...".

    A verb then a verbal cue, with nothing after but a break ("annuleer niet,"), or a
    nominal cue opening the clause before an action noun and a break ("ingen retur,
    jag undrar ..."). "No refund, ..." stays a complaint: money and tracking are left out.
    """
    if word in _VERBAL_CUES and not after:
        return bool(before) and _is_action(before[-1]) and not before[-1].endswith(("ed", "t"))
    return (
        word in _NOMINAL_CUES
        and not before
        and len(after) == 1
        and (not then or then[0] in _BREAKS)
        and _is_action(after[0])
        and not after[0].startswith(_MONEY_OR_TRACKING)
    )


def _ends_on_infinitive(words: list[str], i: int, after: list[str]) -> bool:
    """ "niks aan de jas veranderen, ...": a nominal cue whose clause ends on an infinitive
    of an action refuses it, where "no refund for my return" (a noun) does not."""
    last = i + len(after)
    ends = last + 1 >= len(words) or words[last + 1] in _BREAKS
    verb = after[-1]
    return ends and _is_action(verb) and verb.endswith(("en", "er", "ir", "re", "ar"))


_MONEY_OR_TRACKING = (
    "refund", "erstatt", "terug", "aterbetal", "rembours", "reembols", "track", "volg", "suiv",
    "segui", "rastre", "sendungsverfolg", "spar",
)  # fmt: skip


def _until_break(words: Iterable[str]) -> list[str]:
    out = []
    for w in words:
        if w in _BREAKS:
            break
        out.append(w)
    return out


def _sentences(text: str) -> list[str]:
    """The text cut after ! ? ; full stops, spaced dashes and line breaks."""
    out: list[str] = []
    for piece in _BOUNDARY_RE.split(text):
        last = _WORDS.findall(out[-1].lower())[-1:] if out else []
        if out and out[-1].endswith(".") and last and last[0] in _ABBREVIATIONS:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def split_clauses(text: str) -> list[Clause]:
    """The message cut into the requests it makes; tiny parts are merged into a neighbour.

    A part of fewer than two words or numbers ("hi!!", "#1002", "😩") joins its neighbour:
    it carries no request of its own.
    """
    parts: list[str] = []
    for sentence in _sentences(text):
        for piece in _CONNECTOR_RE.split(sentence):
            for part in _AND_RE.split(piece):
                for cut in split_before_request(part):
                    for asked in split_before_question(cut):
                        for clause in split_two_actions(asked):
                            parts.extend(_split_after_refusal(clause))
    parts = [p for p in parts if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and (len(_TOKENS.findall(part)) < 2 or len(_TOKENS.findall(merged[-1])) < 2):
            merged[-1] = f"{merged[-1]} {part.strip()}"
        else:
            merged.append(part.strip())
    return [Clause(_LEAD_RE.sub("", part) or part, is_negated(part)) for part in merged]


def _split_after_refusal(part: str) -> list[str]:
    """ "not cancelling just checking" -> the refusal and what follows the contrast word.

    A comma or a dash ends a refusal too: "no hace falta cambiar la dirección, anulad el
    pedido" refuses the change and asks for the cancel.
    """
    if not is_negated(part):
        return [part]
    for match in (*_CONTRAST_RE.finditer(part), *_PAUSE_RE.finditer(part)):
        head, tail = part[: match.start()], part[match.end() :]
        if is_negated(head) and len(_LETTERS.findall(tail)) >= 2:
            return [head, tail]
    return [part]
