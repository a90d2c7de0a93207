"""Business hours at the edges: DST gaps and repeats (Amsterdam, New York), holidays, midnight,
the brand's zone versus UTC, and what cannot be saved."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from deskhand.domain.business_hours import BusinessHours, HoursError

AMS, NYC = "Europe/Amsterdam", "America/New_York"
WORKDAYS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def hours(
    zone: str, weekly: dict[str, list[list[str]]], holidays: tuple[str, ...] = ()
) -> BusinessHours:
    return BusinessHours.from_json({"timezone": zone, "weekly": weekly, "holidays": list(holidays)})


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(zone: str, *parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone), fold=fold)


def test_open_within_hours_closed_at_the_closing_minute() -> None:
    h = hours(AMS, WORKDAYS)
    assert h.is_open(local(AMS, 2026, 6, 5, 9, 0))  # a Friday, opening minute
    assert h.is_open(local(AMS, 2026, 6, 5, 16, 59))
    assert not h.is_open(local(AMS, 2026, 6, 5, 17, 0))  # closing is exclusive
    assert not h.is_open(local(AMS, 2026, 6, 6, 12, 0))  # Saturday


def test_next_opening_after_the_weekend_in_the_brand_zone() -> None:
    h = hours(AMS, WORKDAYS)
    opening = h.next_opening(local(AMS, 2026, 6, 5, 17, 30))
    assert opening == local(AMS, 2026, 6, 8, 9, 0)  # Monday 09:00 Amsterdam
    assert opening is not None
    assert opening.utcoffset().total_seconds() == 2 * 3600


def test_open_now_means_now() -> None:
    h = hours(AMS, WORKDAYS)
    now = utc(2026, 6, 3, 10, 0)
    assert h.next_opening(now) == now


def test_amsterdam_spring_gap_opens_when_the_clocks_jump() -> None:
    # 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:30 never happens.
    h = hours(AMS, {"sun": [["02:30", "05:00"]]})
    opening = h.next_opening(utc(2026, 3, 29, 0, 0))  # 01:00 CET
    assert opening is not None
    assert opening.astimezone(UTC) == utc(2026, 3, 29, 1, 0)  # the jump: 03:00 CEST
    assert opening.hour == 3
    assert h.is_open(utc(2026, 3, 29, 1, 30))  # 03:30 CEST
    assert not h.is_open(utc(2026, 3, 29, 0, 59))  # 01:59 CET


def test_amsterdam_autumn_repeat_opens_at_the_first_one() -> None:
    # 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:30 happens twice.
    h = hours(AMS, {"sun": [["02:30", "06:00"]]})
    opening = h.next_opening(utc(2026, 10, 24, 22, 0))  # midnight CEST
    assert opening is not None
    assert opening.astimezone(UTC) == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    assert h.is_open(utc(2026, 10, 25, 0, 45))  # 02:45 CEST
    assert h.is_open(utc(2026, 10, 25, 1, 45))  # 02:45 CET, the repeat: the wall clock says open


def test_new_york_spring_gap_and_autumn_repeat() -> None:
    # 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00 UTC).
    spring = hours(NYC, {"sun": [["02:15", "04:00"]]})
    opening = spring.next_opening(utc(2026, 3, 8, 5, 0))  # 00:00 EST
    assert opening is not None
    assert opening.astimezone(UTC) == utc(2026, 3, 8, 7, 0)
    # 1 November 2026: 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:30 happens twice.
    autumn = hours(NYC, {"sun": [["01:30", "03:00"]]})
    opening = autumn.next_opening(utc(2026, 11, 1, 4, 0))  # 00:00 EDT
    assert opening is not None
    assert opening.astimezone(UTC) == utc(2026, 11, 1, 5, 30)


def test_a_day_with_a_clock_change_keeps_its_wall_clock_hours() -> None:
    h = hours(NYC, {"sun": [["09:00", "17:00"]], "mon": [["09:00", "17:00"]]})
    # Monday after the spring change: 09:00 EDT is 13:00 UTC (a week earlier it was 14:00).
    assert h.next_opening(utc(2026, 3, 9, 3, 0)) == local(NYC, 2026, 3, 9, 9, 0)
    assert h.is_open(utc(2026, 3, 9, 13, 0))
    assert not h.is_open(utc(2026, 3, 2, 13, 0))  # 08:00 EST the week before


def test_a_holiday_closes_the_day_and_is_skipped() -> None:
    h = hours(AMS, WORKDAYS, holidays=("2026-12-25",))  # a Friday
    assert not h.is_open(local(AMS, 2026, 12, 25, 10, 0))
    opening = h.next_opening(local(AMS, 2026, 12, 24, 18, 0))
    assert opening == local(AMS, 2026, 12, 28, 9, 0)  # past the holiday and the weekend


def test_a_holiday_is_a_date_in_the_brand_zone_not_in_utc() -> None:
    h = hours(NYC, {}, holidays=("2026-07-04",))  # open around the clock but on the 4th
    assert not h.is_open(utc(2026, 7, 5, 3, 0))  # 23:00 on the 4th in New York
    assert h.is_open(utc(2026, 7, 4, 3, 0))  # 23:00 on the 3rd in New York
    assert h.next_opening(utc(2026, 7, 4, 12, 0)) == local(NYC, 2026, 7, 5, 0, 0)


def test_midnight_spans_and_the_local_weekday() -> None:
    h = hours(NYC, {"fri": [["22:00", "24:00"]], "sat": [["00:00", "02:00"]]})
    assert h.is_open(local(NYC, 2026, 6, 5, 23, 59))
    assert h.is_open(local(NYC, 2026, 6, 6, 0, 0))
    assert not h.is_open(local(NYC, 2026, 6, 6, 2, 0))
    # Friday 23:00 in New York is Saturday 03:00 UTC: the local weekday decides.
    assert h.is_open(utc(2026, 6, 6, 3, 0))
    assert h.next_opening(local(NYC, 2026, 6, 6, 3, 0)) == local(NYC, 2026, 6, 12, 22, 0)


def test_never_opening_is_said_not_invented() -> None:
    h = hours(AMS, {"mon": [["09:00", "10:00"]]})
    mondays = [
        f"2026-{m:02d}-{d:02d}"
        for m in range(1, 13)
        for d in range(1, 32)
        if _is_monday(2026, m, d)
    ] + [
        f"2027-{m:02d}-{d:02d}"
        for m in range(1, 13)
        for d in range(1, 32)
        if _is_monday(2027, m, d)
    ]
    closed = hours(AMS, {"mon": [["09:00", "10:00"]]}, holidays=tuple(mondays))
    assert h.next_opening(utc(2026, 1, 1)) is not None
    assert closed.next_opening(utc(2026, 1, 1)) is None


def _is_monday(y: int, m: int, d: int) -> bool:
    try:
        return date(y, m, d).weekday() == 0
    except ValueError:
        return False


def test_round_trip_and_always_open() -> None:
    h = hours(AMS, WORKDAYS, holidays=("2026-12-25",))
    assert BusinessHours.from_json(h.to_json()) == h
    assert BusinessHours(timezone=AMS).is_open(utc(2026, 12, 25, 3, 0))


@pytest.mark.parametrize(
    "data",
    [
        {"timezone": "Mars/Olympus"},
        {"timezone": AMS, "weekly": {"mon": [["25:00", "26:00"]]}},
        {"timezone": AMS, "weekly": {"mon": [["17:00", "09:00"]]}},
        {"timezone": AMS, "weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}},
        {"timezone": AMS, "weekly": {"funday": [["09:00", "12:00"]]}},
        {"timezone": AMS, "weekly": {"mon": [["9", "12:00"]]}},
        {"timezone": AMS, "holidays": ["25/12/2026"]},
    ],
)
def test_unusable_hours_are_refused_with_a_reason(data: dict[str, object]) -> None:
    with pytest.raises(HoursError):
        BusinessHours.from_json(data)  # type: ignore[arg-type]
