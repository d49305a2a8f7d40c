"""Deadlines, computed in one place (DOMAIN.md: "Drafting rules", "Submission rules").

A deadline ends at 23:59:59 on its date in the unit's own time zone (WIB, WITA, WIT).
- signing: at most 30 calendar days after the DIPA of that unit and year (unknown without DIPA);
- submission: the end of January of the year.
"""

import datetime
from zoneinfo import ZoneInfo

SIGNING_DAYS_AFTER_DIPA = 30


def end_of_day(day: datetime.date, time_zone: str) -> datetime.datetime:
    """The last second of `day` in `time_zone`, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(time_zone))


def submission_deadline(year: int, time_zone: str) -> datetime.datetime:
    return end_of_day(datetime.date(year, 1, 31), time_zone)


def signing_deadline(dipa_date: datetime.date | None, time_zone: str) -> datetime.datetime | None:
    """None when the DIPA is not known: the deadline is then unknown, and pages say so."""
    if dipa_date is None:
        return None
    return end_of_day(dipa_date + datetime.timedelta(days=SIGNING_DAYS_AFTER_DIPA), time_zone)


def is_overdue(deadline: datetime.datetime | None, now: datetime.datetime) -> bool:
    return deadline is not None and now > deadline


# Kab/Kota PKs must reach their KPU Provinsi a few days before the end of January, so that it
# can compile them; KPU may set another date per year (CompilationCalendar).
DEFAULT_COMPILATION_MARGIN_DAYS = 5


def compilation_date(year: int, calendar_date: datetime.date | None = None) -> datetime.date:
    if calendar_date is not None:
        return calendar_date
    return datetime.date(year, 1, 31) - datetime.timedelta(days=DEFAULT_COMPILATION_MARGIN_DAYS)


def compilation_deadline(year, time_zone, calendar_date=None) -> datetime.datetime:
    return end_of_day(compilation_date(year, calendar_date), time_zone)


def days_left(deadline: datetime.datetime | None, now: datetime.datetime) -> int | None:
    """Whole days from `now` to the deadline's date, both in the deadline's time zone:
    0 on the day itself, negative once it has passed; None when the deadline is unknown."""
    if deadline is None:
        return None
    local_today = now.astimezone(deadline.tzinfo).date()
    return (deadline.date() - local_today).days
