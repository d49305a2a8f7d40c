"""When a quarter may be reported: from its first day until its closing date (KPU's, or the
15th of the month after it), at 23:59:59 in the unit's own time zone. Then it is locked."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from monitoring.models import Quarter, ReportingPeriod, quarter_start
from submissions.deadlines import end_of_day

NOT_STARTED, OPEN, CLOSED = "belum", "terbuka", "ditutup"


@dataclass(frozen=True)
class Window:
    state: str
    closes_at: datetime.datetime | None  # None: KPU left the quarter open

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


def entry_window(
    year: int, quarter: int, time_zone: str, now: datetime.datetime, closes_on=...
) -> Window:
    """Whether the quarter may be reported at `now` in `time_zone` (1 query unless
    `closes_on` is given: a date, or None for a quarter KPU left open)."""
    if closes_on is ...:
        closes_on = ReportingPeriod.objects.closing_date(year, quarter)
    closes_at = end_of_day(closes_on, time_zone) if closes_on else None
    local_today = now.astimezone(ZoneInfo(time_zone)).date()
    if local_today < quarter_start(year, quarter):
        return Window(NOT_STARTED, closes_at)
    if closes_at is not None and now > closes_at:
        return Window(CLOSED, closes_at)
    return Window(OPEN, closes_at)


def window_message(window: Window, year: int, quarter: int) -> str:
    """What the quarter form says when the window is not open (empty when it is)."""
    values = {"quarter": Quarter(quarter).label, "year": year}
    if window.state == NOT_STARTED:
        return _("%(quarter)s %(year)s belum dimulai; realisasinya belum dapat diisi.") % values
    if window.state == CLOSED:
        values["date"] = date_format(window.closes_at.date())
        return (
            _(
                "%(quarter)s %(year)s sudah ditutup sejak %(date)s: realisasinya terkunci dan "
                "hanya dapat dibaca. Hubungi KPU bila batas pengisian perlu diperpanjang."
            )
            % values
        )
    return ""
