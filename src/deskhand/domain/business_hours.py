"""A brand's business hours: weekly opening times in its time zone, and holidays.

Pure rules, no I/O. Times are wall-clock times in the brand's zone, so a day with a DST change
keeps its opening hours (09:00 stays 09:00). Two edges of the clock change, decided here once:

- An opening time that does not exist that day (the hour skipped in spring, e.g. 02:30 in
  Amsterdam on the last Sunday of March) opens when the clocks jump: 03:00.
- An opening time that happens twice (the hour repeated in autumn) opens at the first one.
  Whether the desk is open is decided by the wall clock, so during the repeated hour the
  shopper sees what the clock on the office wall says.

An interval is [start, end) in minutes from midnight; end 1440 ("24:00") runs to midnight.
A desk open over midnight is two intervals (Friday 22:00-24:00, Saturday 00:00-02:00).
No weekly hours at all means open around the clock (holidays still close it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_MINUTES = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order
LOOKAHEAD_DAYS = 400  # a year of holidays plus a week: longer than that, no opening is known


class HoursError(ValueError):
    """Business hours that cannot be used (the message says which part and why)."""


@dataclass(frozen=True)
class BusinessHours:
    timezone: str = "UTC"
    # weekday (0 = Monday) -> sorted, non-overlapping (start, end) minute intervals
    weekly: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        zone_of(self.timezone)
        for day, intervals in self.weekly.items():
            if day not in range(7):
                raise HoursError(f"no weekday {day}")
            last_end = -1
            for start, end in intervals:
                if not 0 <= start < end <= DAY_MINUTES:
                    raise HoursError(f"{WEEKDAYS[day]}: {clock(start)}-{clock(end)} is not a span")
                if start < last_end:
                    raise HoursError(f"{WEEKDAYS[day]}: the times overlap")
                last_end = end

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.timezone)

    @property
    def always_open(self) -> bool:
        return not any(self.weekly.values())

    def is_open(self, now: datetime) -> bool:
        """Whether the desk is open at this moment (an aware datetime)."""
        local = now.astimezone(self.zone)
        if local.date() in self.holidays:
            return False
        if self.always_open:
            return True
        minute = local.hour * 60 + local.minute
        return any(s <= minute < e for s, e in self.weekly.get(local.weekday(), ()))

    def next_opening(self, now: datetime) -> datetime | None:
        """When the desk opens next, in the brand's zone; `now` itself when it is open.

        None when it never opens within the look-ahead (every day a holiday, say)."""
        if self.is_open(now):
            return now.astimezone(self.zone)
        local = now.astimezone(self.zone)
        for offset in range(LOOKAHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            if day in self.holidays:
                continue
            starts = [0] if self.always_open else [s for s, _ in self.weekly.get(day.weekday(), ())]
            for start in starts:
                moment = wall_moment(day, start, self.zone)
                if moment.astimezone(UTC) > now.astimezone(UTC):
                    return moment
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "weekly": {
                WEEKDAYS[d]: [[clock(s), clock(e)] for s, e in spans]
                for d, spans in sorted(self.weekly.items())
                if spans
            },
            "holidays": sorted(d.isoformat() for d in self.holidays),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> BusinessHours:
        """Read stored or posted hours; HoursError says what is wrong."""
        data = data or {}
        weekly: dict[int, tuple[tuple[int, int], ...]] = {}
        for name, spans in (data.get("weekly") or {}).items():
            if name not in WEEKDAYS:
                raise HoursError(f"unknown weekday {name!r}")
            pairs = sorted((minutes(s), minutes(e)) for s, e in spans)
            weekly[WEEKDAYS.index(name)] = tuple(pairs)
        try:
            holidays = frozenset(date.fromisoformat(str(d)) for d in data.get("holidays") or ())
        except ValueError as exc:
            raise HoursError(f"a holiday is not a date (YYYY-MM-DD): {exc}") from None
        return cls(str(data.get("timezone") or "UTC"), weekly, holidays)


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HoursError(f"unknown time zone {name!r}") from None


def wall_moment(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The first moment the wall clock in `zone` shows `minute` on `day`, or, when that time is
    skipped by a clock change, the moment the clocks jump past it."""
    if minute >= DAY_MINUTES:
        return wall_moment(day + timedelta(days=1), 0, zone)
    wanted = datetime.combine(day, time(minute // 60, minute % 60), zone)  # fold=0: the first
    for step in range(0, 3 * 60 + 1):  # no zone skips more than a few hours
        candidate = wanted + timedelta(minutes=step)
        if _exists(candidate):
            return candidate
    return wanted  # unreachable for real zones


def _exists(moment: datetime) -> bool:
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def minutes(value: str) -> int:
    """'09:30' -> 570; '24:00' -> 1440 (the end of the day)."""
    hh, sep, mm = str(value).strip().partition(":")
    if not sep or not hh.isdigit() or not mm.isdigit() or len(mm) != 2:
        raise HoursError(f"{value!r} is not a time (HH:MM)")
    total = int(hh) * 60 + int(mm)
    if int(mm) > 59 or total > DAY_MINUTES:
        raise HoursError(f"{value!r} is not a time of day")
    return total


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
