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
