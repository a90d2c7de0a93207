"""Word replies in the shopper's language from the .po catalogues, with Babel formatting."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta, get_timezone_location
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_currency, get_currency_precision
from babel.units import format_unit

from deskhand.domain.orders import Money

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Message id -> translated text; empty translations are left out (English wins).

    Each language's folder holds `messages.po` and one more catalogue per feature that has
    many strings of its own (`returns.po`, `shopper.po`); they are read together, `messages.po`
    first, and keys never overlap.
    """
    found: dict[str, str] = {}
    for path in sorted((LOCALES / lang / "LC_MESSAGES").glob("*.po"), key=_messages_first):
        with path.open("rb") as fh:
            cat = read_po(fh, locale=lang)
        found.update({str(m.id): str(m.string) for m in cat if m.id and m.string})
    return found


@cache
def zone_city(timezone: str, lang: str) -> str:
    """An IANA zone's exemplar city in a language; the zone's own last part when CLDR has none."""
    try:
        return str(get_timezone_location(ZoneInfo(timezone), locale=lang, return_city=True))
    except (LookupError, ValueError):
        return timezone.rsplit("/", 1)[-1].replace("_", " ")


def _messages_first(path: Path) -> tuple[bool, str]:
    return path.name != "messages.po", path.name


class Wording:
    """Everything one reply needs to speak one language in one brand's time zone."""

    def __init__(
        self, lang: str, timezone: str, currency: str = "EUR", portal: str | None = None
    ) -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self.tz = ZoneInfo(timezone)
        self.currency = currency
        self._own = catalogue(self.lang)
        self._en = catalogue("en")
        # What the brand calls its Customer Hub in this language ({hub} in the catalogues).
        self.portal = portal or self.t("hub.name")

    def t(self, key: str, **params: object) -> str:
        template = self._own.get(key) or self._en.get(key)
        if template is None:
            raise KeyError(f"no wording for {key!r}")
        if "{hub}" in template and "hub" not in params:
            params["hub"] = getattr(self, "portal", None) or "Customer Hub"
        return template.format(**params)

    def money(self, value: Money) -> str:
        """The amount (minor units) in the currency's own precision: cents, öre, whole yen."""
        major = Decimal(value.amount).scaleb(-get_currency_precision(value.currency))
        return format_currency(major, value.currency, locale=self.lang)

    def money_of(self, minor_units: int) -> str:
        return self.money(Money(minor_units, self.currency))

    def duration(self, span: timedelta) -> str:
        """A precise, short duration: '1 hr 40 min', '3 days'."""
        minutes = max(int(span.total_seconds() // 60), 1)
        if minutes >= 48 * 60:
            return format_unit(minutes // 1440, "duration-day", locale=self.lang)
        hours, mins = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(format_timedelta(timedelta(hours=hours), format="short", locale=self.lang))
        if mins:
            parts.append(
                format_timedelta(timedelta(minutes=mins), format="short", locale=self.lang)
            )
        return " ".join(parts)

    def span(self, span: timedelta) -> str:
        """A policy length in its own unit: '2 hours', '90 minutes', '30 days'."""
        minutes = int(span.total_seconds() // 60)
        if minutes and minutes % 1440 == 0:
            return format_unit(minutes // 1440, "duration-day", locale=self.lang)
        if minutes and minutes % 60 == 0:
            return format_unit(minutes // 60, "duration-hour", locale=self.lang)
        return format_unit(minutes, "duration-minute", locale=self.lang)

    def clock(self, moment: datetime) -> str:
        """The time of day in the brand's time zone, the zone named: '20:23 Amsterdam time'."""
        return self.t("time.zoned", time=self.bare_clock(moment), zone=self.zone_name)

    def bare_clock(self, moment: datetime) -> str:
        """The time of day in the brand's time zone, for where the zone is said once nearby."""
        return format_datetime(moment, "HH:mm", tzinfo=self.tz, locale=self.lang)

    @property
    def zone_name(self) -> str:
        """The brand's time zone as its city, in this language ('Amsterdam', 'Lissabon')."""
        return zone_city(str(self.tz.key), self.lang)

    def day(self, moment: datetime | date) -> str:
        d = moment.astimezone(self.tz).date() if isinstance(moment, datetime) else moment
        return format_date(d, format="long", locale=self.lang)

    def items(self, names: list[str]) -> str:
        return format_list(names, locale=self.lang)

    def territory(self, code: str) -> str:
        return str(Locale(self.lang).territories.get(code, code))

    def language_name(self, code: str) -> str:
        return str(Locale(self.lang).languages.get(code, code))
