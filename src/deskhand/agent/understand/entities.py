"""Rule-based entity extraction for chat: order numbers, numbers, one-time codes, e-mail
addresses, phone numbers and quantities.

Only order numbers, numbers, codes and e-mails are read by the agent; phones, dates, prices,
sizes and quantities are found so that their digits are *not* read as an order number or a
code ("+31 6 12345678", "12.03.2026", "€1002", "EU 42", "100 pairs"). The words of six
languages come from `words/*.toml` (see `wordlists.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from deskhand.agent.understand.wordlists import word_lists
from deskhand.domain.contact import normalise_email, normalise_phone

__all__ = ["Entities", "extract_entities"]


@dataclass(frozen=True)
class Entities:
    """Entities found in one shopper message; every tuple is in order of appearance, deduped."""

    order_numbers: tuple[str, ...]
    numbers: tuple[str, ...]
    codes: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    quantities: tuple[int, ...]


_WORDS = word_lists()
_NUM_WORDS = _WORDS.number_words
_QTY_NOUNS = _WORDS.quantity_nouns
# Phone numbers taken from a message: shorter "+" runs are rarely phones.
_PHONE_MIN_DIGITS, _PHONE_MAX_DIGITS = 8, 15  # E.164

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
_SIZE_WORD = "|".join(map(re.escape, _WORDS.size_words))
_SIZE_NUM_RE = re.compile(rf"(?:{_SIZE_WORD})\.?\s*[:=]?\s*(?:eu\s?)?(?P<n>{_SHOE}){_SHOE_END}")
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
    if folded in _WORDS.not_order_words:
        return False
    # Compounds like "Bestellnr", "ordernummer", "beställningsnummer" reduce to their keyword.
    candidates = [folded]
    candidates += [folded[: -len(s)] for s in _WORDS.order_suffixes if folded.endswith(s)]
    for cand in candidates:
        if not cand:
            continue
        if cand in _WORDS.order_words or (cand.endswith("s") and cand[:-1] in _WORDS.order_words):
            return True
        if len(cand) >= 7 and any(
            abs(len(cand) - len(k)) <= 1 and _within_one_edit(cand, k)
            for k in _WORDS.order_words_fuzzy
        ):
            return True
    return False


def _after_month(low: str, start: int) -> bool:
    """Whether the number at start follows a month name ("March 2026", "12 de marzo de 2026")."""
    if not start or not low[start - 1].isspace():
        return False
    for word in reversed(low[max(0, start - 40) : start].split()[-4:]):
        word = word.rstrip(".,")
        if word in _WORDS.months:
            return True
        if word not in ("de", "del") and not _DAY_RE.fullmatch(word):
            return False
    return False


def _in_order(found: Iterable[tuple[int, str]]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for _, value in sorted(found, key=lambda item: item[0]):
        out.setdefault(value, None)
    return tuple(out)


def _phone(match: re.Match[str]) -> tuple[str | None, int] | None:
    """(E.164 number or None, end) for a +/00 candidate, None when it is no phone at all.

    The number is the longest run of digit groups that is a possible phone number, so
    "+31 6 12345678 1002" stops before the order number. A run that is no possible number
    (a typo, a made-up number) still has a phone's shape: up to E.164's 15 digits are
    claimed, unreported, so its digits are not read as an order number either.
    """
    raw = match.group()
    parts = [m for m in _PHONE_PART_RE.finditer(raw) if m.group() != "(0)"]  # trunk "(0)"
    pieces = [m.group() for m in parts]
    if raw.startswith("00"):
        pieces[0] = pieces[0][2:]  # the 00 call prefix stands for "+", it is not a digit
    for n in range(len(parts), 0, -1):
        digits = "".join(pieces[:n])
        if len(digits) < _PHONE_MIN_DIGITS:
            break
        if len(digits) <= _PHONE_MAX_DIGITS and (phone := normalise_phone("+" + digits)):
            return phone, match.start() + parts[n - 1].end()
    kept, end = "", match.start()
    for part, piece in zip(parts, pieces, strict=True):
        if kept and len(kept) + len(piece) > _PHONE_MAX_DIGITS:
            break
        kept += piece
        end = match.start() + part.end()
    if not _PHONE_MIN_DIGITS <= len(kept) <= _PHONE_MAX_DIGITS:
        return None
    return None, end


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
    """Extract order numbers, numbers, codes, e-mails, phones and quantities."""
    low = _lower_same_length(text)
    taken = bytearray(len(text))
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    orders: list[tuple[int, str]] = []
    codes: list[tuple[int, str]] = []
    numbers: list[tuple[int, str]] = []
    quantities: list[tuple[int, str]] = []
    has_digit = _DIGIT_RE.search(text) is not None

    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            if email := normalise_email(m.group().lstrip(".")):
                emails.append((m.start(), email))
            _take(taken, *m.span())  # an address's digits are never numbers
    if "://" in text or "www." in low:
        for m in _URL_RE.finditer(low):
            _take(taken, *m.span())
    if has_digit:
        if "+" in text or "00" in text:
            for m in _PHONE_RE.finditer(text):
                if taken.find(1, *m.span()) < 0 and (hit := _phone(m)):
                    if hit[0] is not None:
                        phones.append((m.start(), hit[0]))
                    _take(taken, m.start(), hit[1])
        for m in _DATE_RE.finditer(text):
            if taken.find(1, *m.span()) < 0:
                _take(taken, *m.span())
        for regex in (_PRICE_BEFORE_RE, _PRICE_AFTER_RE):
            for m in regex.finditer(low):
                if taken.find(1, *m.span()) < 0 and not _glued_word(low, m.start()):
                    _take(taken, *m.span())
        _claim_numeric_sizes(text, low, taken)
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

    return Entities(
        order_numbers=_in_order(orders),
        numbers=_in_order(numbers),
        codes=_in_order(codes),
        emails=_in_order(emails),
        phones=_in_order(phones),
        quantities=tuple(int(q) for q in _in_order(quantities)),
    )


def _claim_numeric_sizes(text: str, low: str, taken: bytearray) -> None:
    """Claim "EU 42", "UK 8", "size 42": a size is not a quantity ("EU 42 shoes")."""
    for regex in (_REGION_BEFORE_RE, _REGION_AFTER_RE):
        for m in regex.finditer(low):
            start = m.start("r") if regex is _REGION_AFTER_RE else m.start()
            # "us" is an ordinary English word, so only uppercase US is a size system.
            if text[start : start + 2] in ("us", "Us", "uS") or _glued_word(low, start):
                continue
            if taken.find(1, *m.span()) < 0:
                _take(taken, *m.span())
    for m in _SIZE_NUM_RE.finditer(low):
        if taken.find(1, *m.span()) < 0 and not _glued_word(low, m.start()):
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
                count = int(m.group().strip("x× "))
                if count and taken.find(1, *m.span()) < 0:
                    out.append((m.start(), str(count)))
                    _take(taken, *m.span())
    for m in _QTY_KEY_RE.finditer(low):
        if _glued_word(low, m.start()):
            continue
        word = m.group("n")
        if word.isdecimal():
            value: int | None = int(word)
        else:
            value = _NUM_WORDS.get(word) or (1 if word in _WORDS.article_one else None)
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
            if word not in _WORDS.quantity_modifiers:
                break
            i -= 1
