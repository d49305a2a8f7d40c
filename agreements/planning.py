"""The planning year: the year whose PKs are being worked on now, and the years a list offers.

Every form and page that has to guess a year asks `planning_year` — "Buat PK", the DIPA page,
the Kompilasi and the national review, and the home page's "Tugas Anda" — so that an operator
who records the DIPA, starts the PK and sees its deadlines meets one year everywhere.

Why October (DOMAIN.md, "Drafting rules" and "Submission rules"): a PK is drafted within 30
days after its DIPA, and the DIPA of a year is handed out in the first half of December of the
year before; offices draft from the budget plan (RKA) they settle in the last quarter, sign in
December and January, and submit by the end of January. So from October on the work is next
year's PKs. From January to September it is this year's: the late ones, the reviewers' returns
and their revisions, and amendments (PK Perubahan) after a budget revision.
"""

import datetime
from collections.abc import Iterable

# The first month in which next year's PKs are the ones being drafted.
PLANNING_FROM_MONTH = 10


def planning_year(today: datetime.date) -> int:
    """The year whose PKs are drafted, signed or submitted on `today` (see the module)."""
    return today.year + 1 if today.month >= PLANNING_FROM_MONTH else today.year


def years_to_offer(years_with_data: Iterable[int], today: datetime.date, shown: int | None = None):
    """The years a list links to: every year that has data, the planning year (where the
    next work is, even before any data) and the year shown; oldest first, each once."""
    years = {year for year in years_with_data if year}
    years.add(planning_year(today))
    if shown is not None:
        years.add(shown)
    return sorted(years)
