"""Which PK measures which quarter when a PK was amended mid-year (PK Perubahan).

Rule: the first signed version measures every quarter until an amendment takes effect; a
signed amendment measures the quarters that *end on or after* its effective date, the ones
ending before it stay with the version before. So an amendment signed on 10 June measures
Triwulan II–IV and Triwulan I keeps the old targets; one signed on 1 July measures III–IV.

The effective date of a version is the date it was signed: the date printed on it
(`Agreement.sign_date`, which a PK Perubahan takes from its `amendment_date` and its signatories
confirm by signing), else the day the `sign` transition was recorded (in the unit's time
zone), else its `amendment_date`.

Realisations carry over between versions by matching indicator texts (normalised as the
catalogue does, indicators.text.normalise_text): a quarter measured by the old version shows
the old row's realisation under the new row of the same text, and counts summed over the
year (monitoring.capaian rule 6) add the old quarters to the new ones.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agreements.models import Agreement, AgreementEvent
from indicators.text import normalise_text
from monitoring.capaian import QUARTERS
from monitoring.models import MONITORED_STATUSES, quarter_end


@dataclass(frozen=True)
class Version:
    agreement_id: int
    version: int
    effective: datetime.date | None  # None: not known (treated as in force from the start)


def split_quarters(year: int, versions: Iterable[Version]) -> dict[int, int]:
    """{quarter: agreement_id of the version measuring it} (pure; see the module rule).

    `versions` are the signed versions of one unit and year, in any order; empty → {}.
    """
    ordered = sorted(versions, key=lambda v: v.version)
    if not ordered:
        return {}
    owners = {}
    for quarter in QUARTERS:
        end = quarter_end(year, quarter)
        owner = ordered[0]
        for version in ordered[1:]:
            if version.effective is None or version.effective <= end:
                owner = version
        owners[quarter] = owner.agreement_id
    return owners


def match_rows(old: Iterable[tuple[int, str]], new: Iterable[tuple[int, str]]) -> dict[int, int]:
    """{new row id: old row id} for rows whose texts match once normalised (pure).

    Texts that appear more than once are paired in order of appearance.
    """
    pool = defaultdict(list)
    for row_id, text in old:
        pool[normalise_text(text)].append(row_id)
    matched = {}
    for row_id, text in new:
        candidates = pool.get(normalise_text(text))
        if candidates:
            matched[row_id] = candidates.pop(0)
    return matched


def effective_date(agreement, sign_events: dict[int, datetime.datetime]) -> datetime.date | None:
    """When `agreement` took effect (see the module docstring). `sign_events` maps
    agreement ids to the time of their last `sign` transition."""
    if agreement.sign_date:
        return agreement.sign_date
    signed_at = sign_events.get(agreement.pk)
    if signed_at is not None:
        return signed_at.astimezone(ZoneInfo(agreement.unit.time_zone)).date()
    return agreement.amendment_date


def signed_versions(unit_id: int, year: int) -> list:
    """The signed (or later) versions of a unit's PK for a year, oldest first."""

    return list(
        Agreement.objects.filter(unit_id=unit_id, year=year, status__in=MONITORED_STATUSES)
        .select_related("unit")
        .order_by("version")
    )


def quarter_owners(unit_id: int, year: int, versions: list | None = None) -> dict[int, object]:
    """{quarter: the Agreement measuring it} for a unit and year (2 queries); {} when no
    version is signed yet."""

    versions = signed_versions(unit_id, year) if versions is None else versions
    if not versions:
        return {}
    events = dict(
        AgreementEvent.objects.filter(agreement__in=versions, action="sign")
        .order_by("at")
        .values_list("agreement_id", "at")
    )
    by_id = {agreement.pk: agreement for agreement in versions}
    owners = split_quarters(
        year,
        [Version(a.pk, a.version, effective_date(a, events)) for a in versions],
    )
    return {quarter: by_id[agreement_id] for quarter, agreement_id in owners.items()}
