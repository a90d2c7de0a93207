"""Rule-based entity extraction (orders, codes, contacts, sizes, colours, quantities) for chat."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Entities", "extract_entities"]


@dataclass(frozen=True)
class Entities:
    """Entities found in one shopper message; every tuple is in order of appearance, deduped."""

    order_numbers: tuple[str, ...]
    numbers: tuple[str, ...]
    codes: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    sizes: tuple[str, ...]
    colours: tuple[str, ...]
    quantities: tuple[int, ...]


# --------------------------------------------------------------------------------------------
# Vocabulary. Everything is lowercase; tokens are looked up in their lowercased form.
# --------------------------------------------------------------------------------------------

# Suffix sets for regular inflection, so the tables below stay readable.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "de": ("", "e", "en", "er", "es", "em"),
    "fr": ("", "e", "s", "es"),
    "eso": ("o", "a", "os", "as"),  # Spanish -o adjectives, written as their stem
}

# canonical -> space-separated surface forms; "stem:rule" expands with _SUFFIXES[rule].
# Irregular forms (nl -e, sv -a/-t/-tt, fr blanche) are spelled out.
_COLOUR_SPEC: dict[str, str] = {
    "black": "black schwarz:de zwart zwarte svart svarta noir:fr negr:eso",
    "white": (
        "white weiß:de weiss:de wit witte vit vita vitt blanc blancs blanche blanches blanc:eso"
    ),
    "grey": (
        "grey gray grau:de grijs grijze grå gråa grått gris grise grises "
        "hellgrau:de lichtgrijs lichtgrijze ljusgrå ljusgråa ljusgrått"
    ),
    "charcoal": (
        "charcoal anthracite anthrazit:de anthrazitgrau:de antraciet antracit antracita "
        "koksgrå koksgråa dunkelgrau:de donkergrijs donkergrijze mörkgrå mörkgråa mörkgrått"
    ),
    "navy": (
        "navy marine marineblau:de navyblau:de marineblauw marineblauwe marinblå marinblåa "
        "marinblått marino dunkelblau:de donkerblauw donkerblauwe mörkblå mörkblåa mörkblått"
    ),
    "blue": (
        "blue blau:de blauw blauwe blå blåa blått bleu:fr azul azules hellblau:de "
        "lichtblauw lichtblauwe ljusblå ljusblåa ljusblått"
    ),
    "green": (
        "green grün:de gruen:de groen groene grön gröna grönt vert:fr verde verdes "
        "dunkelgrün:de hellgrün:de donkergroen donkergroene lichtgroen lichtgroene "
        "mörkgrön mörkgröna ljusgrön ljusgröna"
    ),
    "olive": (
        "olive oliv olivgrün:de olijf olijfgroen olijfgroene olivgrön olivgröna olivgrönt oliva"
    ),
    "red": (
        "red rot:de dunkelrot:de hellrot:de rood rode donkerrood donkerrode röd röda rött "
        "rouge rouges roj:eso"
    ),
    "yellow": "yellow gelb:de geel gele gul gula gult jaune jaunes amarill:eso",
    "orange": "orange oranges oranje naranja naranjas anaranjad:eso",
    "pink": "pink rosa rosas roze rose roses rosad:eso",
    "purple": (
        "purple lila violett:de paars paarse violet violets violette violettes violeta "
        "violetas morad:eso púrpura purpura"
    ),
    "brown": (
        "brown braun:de bruin bruine brun bruna brunt brune bruns brunes marron marrons "
        "marrón marrones"
    ),
    "beige": "beige beiges",
}

# Two-word colour names whose meaning differs from their parts ("navy blue" is not blue).
_COLOUR_PHRASE_SPEC: dict[str, tuple[str, ...]] = {
    "navy": ("navy blue", "bleu marine", "azul marino", "dark blue", "bleu foncé", "azul oscuro"),
    "olive": ("olive green", "vert olive", "verde oliva"),
    "charcoal": (
        "charcoal grey",
        "charcoal gray",
        "dark grey",
        "dark gray",
        "gris foncé",
        "gris oscuro",
        "gris anthracite",
        "gris antracita",
    ),
}


def _expand(spec: str) -> list[str]:
    out: list[str] = []
    for item in spec.split():
        stem, _, rule = item.partition(":")
        out.extend(stem + suffix for suffix in _SUFFIXES[rule]) if rule else out.append(stem)
    return out


_COLOUR_WORDS: dict[str, str] = {
    form: canon for canon, spec in _COLOUR_SPEC.items() for form in _expand(spec)
}
_COLOUR_PHRASES: dict[str, str] = {
    phrase: canon for canon, phrases in _COLOUR_PHRASE_SPEC.items() for phrase in phrases
}
# Hyphenated spellings ("navy-blue") arrive as one token.
_COLOUR_WORDS.update({p.replace(" ", "-"): c for p, c in _COLOUR_PHRASES.items()})

_COLOUR_CANDIDATES = frozenset(_COLOUR_WORDS) | {p.split()[0] for p in _COLOUR_PHRASES}

# German "weiß" is also "(I) know": skip it next to the words that make it the verb.
_WEISS_VERB_PREV = frozenset("ich er sie es man wer niemand jemand keiner jeder".split())
_WEISS_VERB_NEXT = frozenset(
    "nicht nich net ich es das ob wo wie was wann warum wieso weshalb dass daß nur ja leider "
    "auch schon noch gar man er sie jetzt bescheid echt ehrlich genau welche welcher welches "
    "wer".split()
)

_SIZE_TOKENS: dict[str, str] = {
    "xs": "XS",
    "xsmall": "XS",
    "x-small": "XS",
    "extra-small": "XS",
    "xl": "XL",
    "xlarge": "XL",
    "x-large": "XL",
    "extra-large": "XL",
    "xxl": "XXL",
    "2xl": "XXL",
    "xx-large": "XXL",
    "xxxl": "XXXL",
    "3xl": "XXXL",
    "xxx-large": "XXXL",
}
_SIZE_PHRASES: dict[str, str] = {
    "extra large": "XL",
    "extra small": "XS",
    "x large": "XL",
    "x small": "XS",
    "xx large": "XXL",
}
_SIZE_ADJECTIVES: dict[str, str] = {"small": "S", "medium": "M", "large": "L"}
# "too small" / "it is large" describe a problem, not a wanted size.
_SIZE_ADJ_BLOCK_PREV = frozenset(
    "too so very quite rather bit little slightly way much really pretty super kinda somewhat "
    "extremely is was are were be been seems looks feels fits runs run".split()
)
# After these, "small/medium/large" still reads as a size ("a large one", "medium please").
_SIZE_ADJ_OK_NEXT = frozenset(
    "size one ones version instead please pls plz and or in for then but thanks thx "
    "bitte svp por favor graag tack".split()
)

_SIZE_WORDS = (
    "size",
    "sz",
    "maat",
    "maatje",
    "größe",
    "grösse",
    "groesse",
    "gr",
    "storlek",
    "storleken",
    "strl",
    "stl",
    "taille",
    "talla",
    "talle",
    "tamaño",
    "tamano",
    "pointure",
)
_SIZE_WORD_SET = frozenset(_SIZE_WORDS)
# First words worth a closer look in the size pass (everything else is skipped cheaply).
_SIZE_CANDIDATES = (
    frozenset(_SIZE_TOKENS)
    | frozenset(_SIZE_ADJECTIVES)
    | {p.split()[0] for p in _SIZE_PHRASES}
    | {"l", "m", "s"}
)
# A bare uppercase L/M/S only reads as a size after one of these ("swap to L", "in M bitte").
_LETTER_PREV = frozenset(
    "to in naar auf till en a an zu gegen for into um mot à por from van von från de del or "
    "oder of eller ou o y and und och et is ist är es est the een ein eine une un una ett "
    "get want need take prefer".split()
)
_MONSIEUR_PREV = frozenset("à chez pour avec par".split())
_CONJ = frozenset("or oder of eller ou o and und och et y en".split())

_NUM_WORDS: dict[str, int] = {
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    # de
    "eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    # nl (vier/acht shared with de)
    "één": 1, "eén": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6,
    "zeven": 7, "negen": 9, "tien": 10,
    # sv
    "två": 2, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
    "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
    # fr (six shared with en)
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10,
    # es
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}  # fmt: skip
# Indefinite articles double as "1" (ein/een/en/un/una); only trust them after "quantity:".
_ARTICLE_ONE = frozenset("a an ein eine einen een en ett un une una".split())

# Units and product nouns that make a preceding number a quantity ("3 pairs", "zwei Mützen").
_QTY_NOUNS = frozenset(
    """
    pair pairs pc pcs piece pieces item items unit units pack packs set sets
    sock socks shirt shirts t-shirt t-shirts tshirt tshirts tee tees top tops polo polos
    hoodie hoodies hoody sweater sweaters sweatshirt sweatshirts jumper jumpers cardigan
    cardigans jacket jackets coat coats vest vests fleece fleeces beanie beanies hat hats
    cap caps scarf scarves scarfs glove gloves mitten mittens tote totes bag bags backpack
    backpacks pants trousers jeans shorts leggings dress dresses skirt skirts shoe shoes
    sneaker sneakers trainers boot boots belt belts bottle bottles mug mugs
    stück stk st paar paare artikel teil teile socken socke hemd hemden mütze mützen muetze
    muetzen jacke jacken pulli pullis pullover schal schals handschuhe tasche taschen
    beutel rucksack rucksäcke hose hosen schuhe kappe kappen kleider röcke gürtel
    stuks stuk paren artikelen exemplaren sok sokken trui truien jas jassen jack jacks
    muts mutsen pet petten sjaal sjaals handschoenen tas tassen broek broeken schoenen
    jurken rokken riemen
    styck stycken par artiklar exemplar strumpa strumpor sockor tröja tröjor huvtröja
    huvtröjor jacka jackor mössa mössor keps kepsar halsduk halsdukar handskar vantar
    väska väskor byxor skor klänningar kjolar bälten
    paire paires pièce pièces articles article exemplaires unité unités chaussette
    chaussettes tee-shirt tee-shirts pull pulls sweat sweats veste vestes bonnet bonnets
    casquette casquettes écharpe écharpes gants sac sacs pantalon pantalons chaussures
    robe robes jupe jupes ceinture ceintures
    pares unidad unidades pieza piezas artículo artículos calcetín calcetines camiseta
    camisetas sudadera sudaderas chaqueta chaquetas gorro gorros gorra gorras bufanda
    bufandas guantes bolsa bolsas mochila mochilas pantalones zapatos zapatillas vestido
    vestidos falda faldas cinturón cinturones jersey jerséis
    """.split()
)
# Words allowed between a number and its noun ("2 more black socks", "zwei neue XL Mützen").
_QTY_MODIFIERS = (
    frozenset(
        "more extra additional other new mehr weitere zusätzliche andere neue neuen meer nieuwe "
        "fler till andra nya autres nouveaux nouvelles más otros otras nuevos nuevas "
        "small medium large".split()
    )
    | frozenset(_COLOUR_WORDS)
    | frozenset(_SIZE_TOKENS)
)

# Order keywords after folding (lowercase, no accents, ß->ss, no '-'/'.'), see _is_order_word.
_ORDER_WORDS = frozenset(
    """
    order ordr odrer oredr ordre ordern oder orden ordenes
    bestellung bestellungen bestell bestel bestelling bestellingen auftrag
    bestallning bestallningen bestallningar
    commande commandes comande
    pedido pedidos pedidio compra
    """.split()
)
# Long keywords are matched with one typo allowed ("bestelung", "comamnde").
_ORDER_WORDS_FUZZY = (
    "bestellung",
    "bestelling",
    "bestallning",
    "bestallningen",
    "commande",
    "ordernummer",
    "ordernumber",
    "bestellnummer",
    "bestelnummer",
)
# Near misses of keywords that mean something else ("commander" is the verb).
_ORDER_BLOCK = frozenset({"commander"})
_ORDER_SUFFIXES = ("nummer", "number", "numero", "nro", "num", "nr", "no", "id")

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "januar februar märz maerz mai juni juli oktober dezember "
    "januari februari maart mei augustus "
    "mars maj augusti "
    "janvier février fevrier avril juin juillet août aout septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre "
    "diciembre"
).split()
_MONTH_SET = frozenset(_MONTHS)

# Country code -> (min, max) total digits incl. the code, so a phone stops before a trailing
# order number ("+31 6 12345678 1002"). Unknown codes fall back to E.164's 8..15.
_PHONE_LENGTHS: dict[str, tuple[int, int]] = {
    "1": (11, 11),
    "7": (11, 11),
    "31": (11, 11),
    "32": (10, 11),
    "33": (11, 11),
    "34": (11, 11),
    "41": (11, 11),
    "43": (9, 14),
    "44": (11, 12),
    "45": (10, 10),
    "46": (9, 12),
    "47": (10, 10),
    "48": (11, 11),
    "49": (9, 14),
    "351": (12, 12),
    "352": (9, 14),
    "353": (10, 12),
    "358": (8, 13),
}

# --------------------------------------------------------------------------------------------
# Regexes, compiled once. Patterns with words run on a lowercased copy of the message without
# re.IGNORECASE: case-folded alternations are about ten times slower in CPython's engine.
# --------------------------------------------------------------------------------------------

_L = r"[^\W\d_]"  # one letter in any script
# A digit run is "standalone" when it is not glued to letters, e-mail, +, # or another number
# through . , / : - (those are decimals, dates, ranges, times or IDs). The look-behinds sit
# after the first digit so the engine can still skip quickly to digits.
_NUM_START = r"\d(?<![\w@+#]\d)(?<!\d[.,/:-]\d)"
_NUM_END = r"(?!\w)(?![.,/:-]\d)"

_DIGIT_RE = re.compile(r"\d")
_EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
# Digit groups may be split by one space/dot/dash/slash or parenthesised: "+1 (555) 123-4567",
# "+33 (0)6 12 34 56 78" (the trunk "(0)" is dropped when normalising).
_PHONE_RE = re.compile(
    r"(?:\+|00)(?<![\w+.,]\+)(?<![\w+.,]00)\s?\d+"
    r"(?:(?:[ .\-/]|\s?\(0\)\s?|\s?\(|\)[ .\-/]?)\d+)*"
)
_PHONE_PART_RE = re.compile(r"\(0\)|\d+")
_DATE_RE = re.compile(
    r"\d(?<![\w.,/:-]\d)(?:\d{3}[-/.]\d{1,2}[-/.]\d{1,2}|\d?[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
    r"(?!\w)(?![.,/:-]\d)"
)
_AMOUNT_TAIL = r"\d*(?:[.,]\d{3})*(?:[.,](?:\d{1,2}|--?))?"  # after the first digit
_CUR_WORD = r"(?:euros?|eur|usd|gbp|sek|nok|dkk|chf|kronor|kronen|kr|dollars?|pounds?|bucks)"
# Every pattern below starts with a literal or a digit class (no look-behind first), which
# lets the engine jump straight to candidates; word boundaries are checked in Python instead.
_PRICE_BEFORE_RE = re.compile(rf"(?:€|\$|£|¥|{_CUR_WORD}\.?)\s?\d{_AMOUNT_TAIL}")
_PRICE_AFTER_RE = re.compile(rf"\d(?<![\w.,]\d){_AMOUNT_TAIL}\s?(?:[€$£¥]|{_CUR_WORD}(?!{_L}))")
_SHOE = r"\d{1,2}(?:[.,]5)?"
_SHOE_END = r"(?!\w|[.,]\d|\s?[€$£%])"
_REGION_BEFORE_RE = re.compile(rf"(?:eu|uk|us)\s?(?P<n>{_SHOE}){_SHOE_END}")
_REGION_AFTER_RE = re.compile(rf"(?P<n>\d(?<![\w.,]\d)\d?(?:[.,]5)?)\s?(?P<r>eu|uk|us)(?!{_L})")
_SIZE_NUM_RE = re.compile(
    rf"(?:{'|'.join(_SIZE_WORDS)})\.?\s*[:=]?\s*(?:eu\s?)?(?P<n>{_SHOE}){_SHOE_END}"
)
# Candidate order numbers; the words before them are read on the reversed text (below).
_ORDER_NUM_RE = re.compile(r"\d(?<!\d\d)(?<!\d[.,/:-]\d)\d{2,11}" + _NUM_END)
# Markers between keyword and digits ("no.", "nr", "n°", "#", ":", "is"), spelled backwards.
_ORDER_FILL_REV = (
    r"(?:[#:.\-–]|[°º]\.?n|(?:on|rn|orn|mun|mún|rebmun|remmun|orémun|oremun|oremún"
    rf"|si|tsi|rä|se|tse|saw|di)(?!{_L}))"
)
_ORDER_CTX_REV_RE = re.compile(
    rf"(?P<fill>(?:\s*{_ORDER_FILL_REV})*)\s*(?P<kw>{_L}+(?:[-.]{_L}+)?(?!{_L}))?"
)
# "orders 1002 and 1003", "bestelling 1001, 1004": the list continues the order context.
_ORDER_MORE_RE = re.compile(
    rf"\s*(?:[,&/+]|(?:and|und|en|och|et|y|or|oder|of|eller|ou|o)(?!{_L}))\s*#?\s*"
    rf"(?P<num>\d{{3,12}}){_NUM_END}"
)
_NEXT_WORD_RE = re.compile(r"\s+([^\s.,!?;:]+)")
_SPLIT_CODE_RE = re.compile(
    r"\d(?<![\w@+#]\d)(?<!\d[ .,/:-]\d)(?P<a>\d{2})[ -](?P<b>\d{3})(?!\w)(?![ .,/:-]\d)"
)
_DIGITS_RE = re.compile(rf"{_NUM_START}\d{{2,7}}{_NUM_END}")
# "2x", "2 x socks" / "x2", "× 3"; the digits are the match minus x/×/space.
_QTY_NX_RE = re.compile(rf"\d(?<![\w.,]\d)\d{{0,2}}(?:[x×](?!\w)| [x×] (?={_L}))")
_QTY_XN_RE = re.compile(r"[x×](?<!\w[x×]) ?\d{1,3}(?!\w|[.,]\d)")
_QTY_KEY_RE = re.compile(
    rf"(?:qty|quantity|quantities|menge|anzahl|stückzahl|aantal|antal|quantité"
    rf"|quantite|cantidad|cant(?=\.))\.?\s*(?:[:=]|of|von|van|av|de|is|ist|är|es|est)?\s*"
    rf"(?P<n>\d{{1,3}}(?!\w|[.,]\d)|{_L}+)"
)
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_LONE_LETTER_RE = re.compile(r"[\W_]*[LMSlms][\W_]*")
_LETTER_GAP_RE = re.compile(r"\s*[:=]?\s*")
_ABBREV_AFTER_RE = re.compile(r"\.\s*[A-Z]")
_DAY_RE = re.compile(r"\d{1,2}(?:st|nd|rd|th|er|e)?\.?,?")


# --------------------------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------------------------


def _lower_same_length(text: str) -> str:
    """Lowercase without shifting offsets (str.lower turns "İ" into two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _fold(word: str) -> str:
    """Lowercase, drop accents and joiners so "Beställnings-nr." compares as "bestallningsnr"."""
    low = word.lower().replace("ß", "ss")
    if not low.isascii():
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return low.replace("-", "").replace(".", "")


def _within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insert, delete, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@lru_cache(maxsize=4096)
def _is_order_word(word: str) -> bool:
    folded = _fold(word)
    if folded in _ORDER_BLOCK:
        return False
    # Compounds like "Bestellnr", "ordernummer", "beställningsnummer" reduce to their keyword.
    candidates = [folded]
    candidates += [folded[: -len(s)] for s in _ORDER_SUFFIXES if folded.endswith(s)]
    for cand in candidates:
        if not cand:
            continue
        if cand in _ORDER_WORDS or (cand.endswith("s") and cand[:-1] in _ORDER_WORDS):
            return True
        if len(cand) >= 7 and any(
            abs(len(cand) - len(k)) <= 1 and _within_one_edit(cand, k) for k in _ORDER_WORDS_FUZZY
        ):
            return True
    return False


def _after_month(low: str, start: int) -> bool:
    """Whether the number at start follows a month name ("March 2026", "12 de marzo de 2026")."""
    if not start or not low[start - 1].isspace():
        return False
    for word in reversed(low[max(0, start - 40) : start].split()[-4:]):
        word = word.rstrip(".,")
        if word in _MONTH_SET:
            return True
        if word not in ("de", "del") and not _DAY_RE.fullmatch(word):
            return False
    return False


def _in_order(found: Iterable[tuple[int, str]]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for _, value in sorted(found, key=lambda item: item[0]):
        out.setdefault(value, None)
    return tuple(out)


def _phone(match: re.Match[str]) -> tuple[str, int] | None:
    """Normalise a +/00 candidate to +digits, trimming groups that overrun the country length."""
    raw = match.group()
    parts = [m for m in _PHONE_PART_RE.finditer(raw) if m.group() != "(0)"]
    pieces = [m.group() for m in parts]
    if raw.startswith("00"):
        pieces[0] = pieces[0][2:]  # the 00 call prefix stands for "+", it is not a digit
    digits = "".join(pieces)
    cc = next((digits[:k] for k in (1, 2, 3) if digits[:k] in _PHONE_LENGTHS), "")
    low, high = _PHONE_LENGTHS.get(cc, (8, 15))
    kept, end = "", match.start()
    for part, piece in zip(parts, pieces, strict=True):
        if not piece:
            continue
        if kept and len(kept) + len(piece) > high:
            break
        kept += piece
        end = match.start() + part.end()
        if len(kept) >= high:
            break
    if not max(low, 8) <= len(kept) <= 15:
        return None
    return "+" + kept, end


def _glued_to_number(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is one half of "1.5", "3/4" or "10:30"."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    return (len(before) == 2 and before[0].isdigit() and before[1] in ".,/:") or (
        len(after) == 2 and after[0] in ".,/:" and after[1].isdigit()
    )


def _glued_word(low: str, start: int) -> bool:
    """Whether a match starting with a letter at start is really the tail of a longer word."""
    return start > 0 and low[start].isalpha() and low[start - 1].isalpha()


def _take(taken: bytearray, start: int, end: int) -> None:
    taken[start:end] = b"\x01" * (end - start)


# --------------------------------------------------------------------------------------------
# Extraction. `taken` marks characters already claimed by an entity: passes run from the most
# specific (e-mail, phone, date, price) to the most generic (bare numbers) and skip claimed
# digits, which is how "an e-mail's digits are not numbers" and friends are enforced.
# --------------------------------------------------------------------------------------------

_Tokens = list[tuple[int, int, str]]


def extract_entities(text: str) -> Entities:
    """Extract order numbers, numbers, codes, e-mails, phones, sizes, colours and quantities."""
    low = _lower_same_length(text)
    taken = bytearray(len(text))
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    orders: list[tuple[int, str]] = []
    codes: list[tuple[int, str]] = []
    numbers: list[tuple[int, str]] = []
    sizes: list[tuple[int, str]] = []
    quantities: list[tuple[int, str]] = []
    has_digit = _DIGIT_RE.search(text) is not None

    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            emails.append((m.start(), m.group().lstrip(".").lower()))
            _take(taken, *m.span())
    if "://" in text or "www." in low:
        for m in _URL_RE.finditer(low):
            _take(taken, *m.span())
    if has_digit:
        if "+" in text or "00" in text:
            for m in _PHONE_RE.finditer(text):
                if taken.find(1, *m.span()) < 0 and (hit := _phone(m)):
                    phones.append((m.start(), hit[0]))
                    _take(taken, m.start(), hit[1])
        for m in _DATE_RE.finditer(text):
            if taken.find(1, *m.span()) < 0:
                _take(taken, *m.span())
        for regex in (_PRICE_BEFORE_RE, _PRICE_AFTER_RE):
            for m in regex.finditer(low):
                if taken.find(1, *m.span()) < 0 and not _glued_word(low, m.start()):
                    _take(taken, *m.span())
        _find_numeric_sizes(text, low, taken, sizes)
        _find_orders(low, taken, orders)
        for m in _SPLIT_CODE_RE.finditer(text):
            if taken.find(1, *m.span()) < 0:
                codes.append((m.start(), m.group()[:3] + m.group("b")))
                _take(taken, *m.span())

    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]
    lowers = [low[start:end] for start, end, _ in tokens]
    _find_quantities(text, low, taken, tokens, lowers, quantities, has_digit)

    if has_digit:
        order_values = {value for _, value in orders}
        for m in _DIGITS_RE.finditer(text):
            start, end = m.span()
            if taken.find(1, start, end) >= 0:
                continue
            value = m.group()
            if len(value) == 4 and _after_month(low, start):
                continue  # the year of a written-out date
            if len(value) == 6:
                codes.append((start, value))
            elif value not in order_values:
                numbers.append((start, value))

    _find_letter_sizes(text, taken, tokens, lowers, sizes)
    colours = _find_colours(text, taken, tokens, lowers)

    return Entities(
        order_numbers=_in_order(orders),
        numbers=_in_order(numbers),
        codes=_in_order(codes),
        emails=_in_order(emails),
        phones=_in_order(phones),
        sizes=_in_order(sizes),
        colours=_in_order(colours),
        quantities=tuple(int(q) for q in _in_order(quantities)),
    )


def _find_numeric_sizes(text: str, low: str, taken: bytearray, out: list[tuple[int, str]]) -> None:
    for regex in (_REGION_BEFORE_RE, _REGION_AFTER_RE):
        for m in regex.finditer(low):
            start = m.start("r") if regex is _REGION_AFTER_RE else m.start()
            # "us" is an ordinary English word, so only uppercase US is a size system.
            if text[start : start + 2] in ("us", "Us", "uS") or _glued_word(low, start):
                continue
            if taken.find(1, *m.span()) < 0:
                region = low[start : start + 2].upper()
                out.append((m.start(), f"{region} {m.group('n').replace(',', '.')}"))
                _take(taken, *m.span())
    for m in _SIZE_NUM_RE.finditer(low):
        if taken.find(1, *m.span()) < 0 and not _glued_word(low, m.start()):
            size = m.group("n").replace(",", ".")
            # A bare number is an EU size only in the EU clothing/shoe range; "size 8" may be
            # UK or US, so it is claimed (not a quantity) but not reported.
            if 16 <= float(size) <= 60:
                out.append((m.start(), f"EU {size}"))
            _take(taken, *m.span())


def _find_orders(low: str, taken: bytearray, orders: list[tuple[int, str]]) -> None:
    rev = ""
    size = len(low)
    for m in _ORDER_NUM_RE.finditer(low):
        start, end = m.span()
        if taken.find(1, start, end) >= 0:
            continue
        rev = rev or low[::-1]
        ctx = _ORDER_CTX_REV_RE.match(rev, size - start)
        if ctx is None:
            continue
        kw = (ctx.group("kw") or "")[::-1]
        hashed = low[max(0, start - 2) : start].rstrip().endswith("#")
        if not hashed:
            if not kw or not _is_order_word(kw):
                continue
            # German "oder" (= or) between two numbers is a conjunction, not a typo of "order".
            kw_start = size - ctx.end("kw")
            if kw == "oder" and low[:kw_start].rstrip()[-1:].isdigit():
                continue
            # "order 100 pairs" is a purchase quantity, not an order reference.
            nxt = _NEXT_WORD_RE.match(low, end)
            if nxt and nxt.group(1) in _QTY_NOUNS:
                continue
        orders.append((start, m.group()))
        _take(taken, start, end)
        pos = end
        while (more := _ORDER_MORE_RE.match(low, pos)) and taken.find(1, *more.span("num")) < 0:
            orders.append((more.start("num"), more.group("num")))
            _take(taken, *more.span("num"))
            pos = more.end()


def _find_quantities(
    text: str,
    low: str,
    taken: bytearray,
    tokens: _Tokens,
    lowers: list[str],
    out: list[tuple[int, str]],
    has_digit: bool,
) -> None:
    if has_digit:
        for regex in (_QTY_NX_RE, _QTY_XN_RE):
            for m in regex.finditer(low):
                value = int(m.group().strip("x× "))
                if value and taken.find(1, *m.span()) < 0:
                    out.append((m.start(), str(value)))
                    _take(taken, *m.span())
    for m in _QTY_KEY_RE.finditer(low):
        if _glued_word(low, m.start()):
            continue
        word = m.group("n")
        if word.isdecimal():
            value: int | None = int(word)
        else:
            value = _NUM_WORDS.get(word) or (1 if word in _ARTICLE_ONE else None)
        if value and taken.find(1, *m.span("n")) < 0:
            out.append((m.start(), str(value)))
            _take(taken, *m.span("n"))
    # Start from the product nouns (rare) and walk back over modifiers to a number.
    for j in [j for j, word in enumerate(lowers) if word in _QTY_NOUNS]:
        i = j - 1
        while i >= 0 and j - i <= 4 and text[tokens[i][1] : tokens[i + 1][0]].isspace():
            word = lowers[i]
            start, end, _ = tokens[i]
            if word.isdecimal():
                if len(word) <= 3 and word[0] != "0" and taken.find(1, start, end) < 0:
                    if not _glued_to_number(text, start, end):
                        out.append((start, word))
                        _take(taken, start, end)
                break
            if (number := _NUM_WORDS.get(word)) is not None:
                out.append((start, str(number)))
                break
            if word not in _QTY_MODIFIERS:
                break
            i -= 1


def _size_token(lowers: list[str], tokens: _Tokens, j: int) -> bool:
    """Whether token j is itself a size (used to accept "M or L", "S/M")."""
    word = tokens[j][2]
    return (
        lowers[j] in _SIZE_TOKENS
        or lowers[j] in _SIZE_ADJECTIVES
        or (len(word) == 1 and word in "LMS")
    )


def _find_letter_sizes(
    text: str, taken: bytearray, tokens: _Tokens, lowers: list[str], out: list[tuple[int, str]]
) -> None:
    count = len(tokens)
    whole = _LONE_LETTER_RE.fullmatch(text) is not None
    skip_next = False
    for i, low in enumerate(lowers):
        if skip_next:
            skip_next = False
            continue
        if low not in _SIZE_CANDIDATES:
            continue
        start, end, word = tokens[i]
        if taken[start]:
            continue
        prev = lowers[i - 1] if i else ""
        gap_next = text[end : tokens[i + 1][0]] if i + 1 < count else ""
        nxt = lowers[i + 1] if i + 1 < count else ""
        if nxt and gap_next.isspace() and (canon := _SIZE_PHRASES.get(f"{low} {nxt}")):
            out.append((start, canon))
            skip_next = True
            continue
        if canon := _SIZE_TOKENS.get(low):
            out.append((start, canon))
            continue
        if canon := _SIZE_ADJECTIVES.get(low):
            if prev in _SIZE_ADJ_BLOCK_PREV:
                continue
            # A size adjective at the end of a clause or before "please"/"one"/a product noun
            # is a size; before other nouns it is usually description ("a small problem").
            ends_clause = not nxt or not gap_next.isspace()
            if (
                prev in _SIZE_WORD_SET
                or ends_clause
                or nxt in _SIZE_ADJ_OK_NEXT
                or nxt in _QTY_NOUNS
            ):
                out.append((start, canon))
            continue
        if len(word) != 1 or low not in "lms":
            continue
        if whole:
            out.append((start, word.upper()))
            continue
        prev_gap_ok = i > 0 and _LETTER_GAP_RE.fullmatch(text, tokens[i - 1][1], start)
        if prev_gap_ok and prev in _SIZE_WORD_SET:
            out.append((start, word.upper()))
            continue
        # "à M. Dupont" (Monsieur) and "M&S" are not sizes; "swap to M. Thanks" still is.
        if text[end : end + 1] == "&" or (
            word == "M" and prev in _MONSIEUR_PREV and _ABBREV_AFTER_RE.match(text, end)
        ):
            continue
        if word.isupper() and prev_gap_ok and prev in _LETTER_PREV:
            out.append((start, word))
        elif word.isupper() and nxt:
            # "M or L", "S/M": a size next to another size.
            if gap_next.strip() == "/" and _size_token(lowers, tokens, i + 1):
                out.append((start, word))
            elif nxt in _CONJ and i + 2 < count and _size_token(lowers, tokens, i + 2):
                out.append((start, word))
            elif nxt in _SIZE_WORD_SET:
                out.append((start, word))


def _find_colours(
    text: str, taken: bytearray, tokens: _Tokens, lowers: list[str]
) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    count = len(tokens)
    i = 0
    while i < count:
        low = lowers[i]
        if low not in _COLOUR_CANDIDATES and "-" not in low:
            i += 1
            continue
        start, end, _ = tokens[i]
        if taken[start]:
            i += 1
            continue
        if i + 1 < count and text[end : tokens[i + 1][0]].isspace():
            canon = _COLOUR_PHRASES.get(f"{low} {lowers[i + 1]}")
            if canon:
                out.append((start, canon))
                i += 2
                continue
        canon = _COLOUR_WORDS.get(low)
        if canon is None and "-" in low:
            # "zwart-wit", "rot-blau": each part is a colour of its own.
            out.extend((start, c) for part in low.split("-") if (c := _COLOUR_WORDS.get(part)))
        elif canon is not None:
            if low in ("weiß", "weiss") and (
                (i and lowers[i - 1] in _WEISS_VERB_PREV)
                or (i + 1 < count and lowers[i + 1] in _WEISS_VERB_NEXT)
            ):
                pass  # "ich weiß nicht": the verb "to know"
            else:
                out.append((start, canon))
        i += 1
    return out
