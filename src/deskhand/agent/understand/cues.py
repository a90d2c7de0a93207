"""How a shopper points at an order without its number, in six languages.

"the second one", "die erste", "the other one", "I just ordered", "my order from
yesterday", "the one from Monday", "this morning", "the one that's on its way", and the
follow-up openers ("and …?", "what about …?") that make a message continue the last one.
Only the words are read here; `agent/references.py` matches them against the orders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from deskhand.agent.understand.lexical import fold


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


# Positions in a list the agent showed ("which order do you mean?"), folded (no accents).
_POSITIONS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        0,
        _words(
            "first",
            "1st",
            "top",
            "erste[nrsm]?",
            "eerste",
            "forsta",
            "premiere?",
            "1ere?",
            "primer[oa]?",
        ),
    ),
    (
        1,
        _words(
            "second",
            "2nd",
            "zweite[nrsm]?",
            "tweede",
            "andra",
            "deuxieme",
            "seconde?",
            "2e",
            "segund[oa]",
        ),
    ),
    (
        2,
        _words(
            "third", "3rd", "dritte[nrsm]?", "derde", "tredje", "troisieme", "3e", "tercer[oa]?"
        ),
    ),
)
# "The other one" as a reference, never "another size" or "eine andere Farbe": the word
# ends the phrase or is followed by "one" or an order word.
_OTHER_END = (
    r"(?=\s*(?:$|[?!.,;]|one\b|order\b|bestellung\b|bestelling\b|bestallning(?:en)?\b|"
    r"commande\b|pedido\b|eins\b|kommt\b|komt\b|kommer\b|arrive|llega|elle\b|wann\b|"
    r"wanneer\b|nar\b|quand\b|cuando\b))"
)
_OTHER = re.compile(
    r"(?<![\w])(?:the other|other one|(?:die|der|den|das) andere[nrs]?|(?:de|die|het) andere?|"
    r"den andra|den andre|l'autre|l autre|(?:el|la) otr[oa])" + _OTHER_END
)
# "I just ordered", "ik heb net besteld", "acabo de pedir": the newest order.
_JUST = _words(
    r"just (?:ordered|placed|bought|made|put in)",
    r"(?:ordered|placed|bought) (?:just now|a "
    r"(?:moment|minute|few minutes) ago)",
    r"(?:gerade|eben|soeben|grad) (?:\w+ ){0,2}(?:bestellt|"
    r"gekauft|aufgegeben)",
    r"(?:net|zojuist|zonet|pas) (?:\w+ ){0,2}(?:besteld|gekocht|geplaatst)",
    r"(?:precis|nyss|just) (?:\w+ ){0,2}(?:bestallt|bestallde|kopt|kopte|lagt)",
    r"(?:bestallde|kopte|lade) (?:\w+ ){0,2}(?:precis|nyss|just)",
    r"viens (?:juste )?de (?:commander|passer|faire|acheter)",
    r"acabo de (?:hacer|pedir|"
    r"comprar|realizar|encargar)",
    r"recien (?:pedido|comprado|hecho)",
)
_TODAY = _words(
    "today",
    "this morning",
    "this afternoon",
    "earlier today",
    "heute",
    "heute (?:morgen|fruh|vormittag)",
    "vandaag",
    "vanochtend",
    "vanmorgen",
    "vanmiddag",
    "idag",
    "i dag",
    "i morse",
    "i formiddags",
    "aujourd'hui",
    "aujourd hui",
    "ce matin",
    "cet apres-midi",
    "hoy",
    "esta manana",
    "esta tarde",
)
# French "hier" is Dutch and German "here": only in a French turn of phrase.
_YESTERDAY = _words(
    "yesterday",
    "gestern",
    "gisteren",
    "igar",
    "i gar",
    "d'hier",
    "hier (?:soir|matin|apres-midi)",
    "(?:passee?|commandee?|faite?) hier",
    "ayer",
)
_WEEKDAYS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (i, _words(*names))
    for i, names in enumerate(
        (
            ("monday", "montag", "maandag", "mandag(?:s|en)?", "lundi", "lunes"),
            ("tuesday", "dienstag", "dinsdag", "tisdag(?:s|en)?", "mardi", "martes"),
            ("wednesday", "mittwoch", "woensdag", "onsdag(?:s|en)?", "mercredi", "miercoles"),
            ("thursday", "donnerstag", "donderdag", "torsdag(?:s|en)?", "jeudi", "jueves"),
            ("friday", "freitag", "vrijdag", "fredag(?:s|en)?", "vendredi", "viernes"),
            ("saturday", "samstag", "zaterdag", "lordag(?:s|en)?", "samedi", "sabado"),
            ("sunday", "sonntag", "zondag", "sondag(?:s|en)?", "dimanche", "domingo"),
        )
    )
)
# Already on the way or arrived: "that's on its way", never "when will it be shipped?".
_ON_ITS_WAY = _words(
    r"on (?:its|the|it's) way",
    "in transit",
    "(?:already|been|was|that) (?:shipped|dispatched|sent)",
    "unterwegs",
    "(?:schon|bereits) (?:versandt|verschickt|versendet|raus)",
    "onderweg",
    "al (?:verzonden|verstuurd)",
    "pa vag",
    "redan (?:skickad|skickats)",
    "har skickats",
    "en route",
    "en chemin",
    "deja expediee?",
    "en cours de livraison",
    "en camino",
    "ya (?:enviado|salio)",
    "en transito",
)
_ARRIVED = _words(
    "(?:already|that|which) (?:arrived|came)",
    "has arrived",
    "(?:schon|bereits) (?:angekommen|da)",
    "die angekommen ist",
    "(?:al|is) aangekomen",
    "(?:redan|har) (?:kommit|kommit fram)",
    "som kom",
    "deja arrivee?",
    "est arrivee?",
    "ya (?:llego|ha llegado)",
    "que llego",
)
# A message that carries on from the last one: "and to Belgium?", "what about the socks?".
_FOLLOW_UP = re.compile(
    r"^[\s¿¡\"'(-]*(?:and|also|what about|how about|and what about|und|und was ist mit|was ist mit|"
    r"wie (?:ist|sieht)s? es mit|und wie|en|en wat (?:is er met|dacht je van)|hoe zit het met|"
    r"wat dacht je van|och|hur (?:ar|blir) det med|vad galler|och vad galler|et|et pour|"
    r"qu'en est-il (?:de|du|des)|et (?:le|la|les|l')|y|y (?:para|el|la|los|las)|que tal|"
    r"y que (?:pasa|hay) con)(?![\w])"
)
_MORNING_END = 12  # "this morning": placed before noon
POSITION_WORDS = 8  # "and when will the second one arrive?" still points
WEEKDAY_DAYS = 21  # "the one from Monday" looks back three weeks


@dataclass(frozen=True)
class Cues:
    position: int | None = None  # 0-based place in the list shown
    other: bool = False  # "the other one"
    newest: bool = False  # "I just ordered"
    day: date | None = None  # "yesterday", "today", "this morning"
    weekday: int | None = None  # "the one from Monday" (0 = Monday): within the last weeks
    morning: bool = False
    on_its_way: bool = False  # "the one that's on its way"
    arrived: bool = False  # "the one that came"
    follow_up: bool = False  # "and …?", "what about …?"

    @property
    def any(self) -> bool:
        return (
            self.position is not None
            or self.other
            or self.newest
            or self.day is not None
            or self.weekday is not None
            or self.on_its_way
            or self.arrived
        )


def read_cues(text: str, today: date) -> Cues:
    """The pointers in a message; `today` is the brand's local date."""
    low = fold(text)
    # A place in a list only in a short reply: "my first order with you" is no position.
    short = len(low.split()) <= POSITION_WORDS
    position = next((i for i, pattern in _POSITIONS if short and pattern.search(low)), None)
    day: date | None = None
    if _YESTERDAY.search(low):
        day = today - timedelta(days=1)
    elif _TODAY.search(low):
        day = today
    weekday = next((d for d, pattern in _WEEKDAYS if pattern.search(low)), None)
    return Cues(
        position=position,
        weekday=weekday,
        other=bool(_OTHER.search(low)),
        newest=bool(_JUST.search(low)),
        day=day,
        morning="morning" in low
        or "morgen" in low
        or "matin" in low
        or "manana" in low
        or "i morse" in low
        or "ochtend" in low,
        on_its_way=bool(_ON_ITS_WAY.search(low)),
        arrived=bool(_ARRIVED.search(low)),
        follow_up=bool(_FOLLOW_UP.search(low)),
    )


_ANY_DAY = date(2026, 1, 7)  # the day plays no part in "I just ordered"


def only_says_just_ordered(clause: str) -> bool:
    """A short clause that only tells the order is new ("Ich habe eben bestellt", "I just
    ordered"): context for the request beside it, never a request of its own."""
    return len(clause.split()) <= 6 and read_cues(clause, _ANY_DAY).newest


def follows_on(text: str) -> bool:
    """Whether a message opens as a follow-up: "and to Belgium?", "what about …?"."""
    return bool(_FOLLOW_UP.search(fold(text)))


def placed_on(
    moment: datetime, day: date, tz: tzinfo, morning: bool = False, now: datetime | None = None
) -> bool:
    """Whether an order placed at `moment` (aware) was placed on `day` in the brand's zone.

    Just after midnight "today" still means the order placed a little before it: an order of
    the last `TODAY_STRETCH` counts as today's (`now` given and `day` is today).
    """
    local = moment.astimezone(tz)
    if local.date() == day:
        return not morning or local.hour < _MORNING_END
    if now is None or morning or day != now.astimezone(tz).date():
        return False
    return timedelta(0) <= now - moment <= TODAY_STRETCH


TODAY_STRETCH = timedelta(hours=3)


def placed_on_weekday(moment: datetime, weekday: int, today: date, tz: tzinfo) -> bool:
    """Whether an order was placed on that day of the week, within the last `WEEKDAY_DAYS`."""
    local = moment.astimezone(tz).date()
    return local.weekday() == weekday and 0 <= (today - local).days < WEEKDAY_DAYS
