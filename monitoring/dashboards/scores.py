"""Each PK's capaian and reporting status in one quarter, for thousands of PKs at once.

    quarter_scores(scope, versions, time_zones, year, quarter, rules) -> {unit_id: Score}

The figures are those of monitoring.series.build_report(pk).averages[quarter] and
.statuses[quarter] (tests compare them), without one build_report per PK per request:

- the version measuring the quarter: monitoring.amendments.split_quarters, with the sign
  events of the units that have more than one signed version read in one query;
- the status of each PK's quarter and a fingerprint of its realisations up to the quarter
  (how many, when one last changed): one aggregate query for the whole scope;
- a PK's average capaian is kept in the cache with that fingerprint (one entry per year,
  quarter, rules and language), so a page scores only the PKs whose realisations changed
  since it was last shown: their indicator rows and realisations are read in one query each
  per CHUNK PKs and scored with monitoring.capaian (identical inputs scored once); a PK
  without any realisation only has its indicators counted;
- a unit whose PK was amended during the year (rare) goes through build_report itself,
  uncached: its quarters may carry realisations over from the older version.

A PK's cached average is also recomputed after LIFETIME to twice that (spread so that not all
expire at once), which bounds how long a change of the catalogue (an indicator's direction or
kind) takes to show.
"""

import hashlib
import random
import time
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import translation

from agreements.models import Agreement, AgreementEvent, IndicatorRow
from monitoring import capaian
from monitoring.amendments import Version, effective_date, split_quarters
from monitoring.capaian import Capaian
from monitoring.models import MONITORED_STATUSES, CapaianRule, Realisation, RealisationStatus
from monitoring.series import build_report, measure_from_values, quarter_status

LIFETIME = 6 * 3600  # seconds a PK's average is trusted without a change of its realisations
CACHE_TIMEOUT = 7 * 24 * 3600  # the entry itself (each PK in it has its own expiry)
CACHE_PREFIX = "monitoring:skor-pk:v2"
CHUNK = 500  # ids per IN (…) list: well under every database's parameter limit


@dataclass(frozen=True)
class Score:
    """One PK's quarter, as the dashboards show it."""

    agreement_id: int  # the signed version measuring the quarter
    status: str  # monitoring.series.quarter_status: '' when nothing is entered
    average: Capaian  # the PK's average capaian at the end of the quarter
    indicators: int
    entered: int  # realisations saved for the quarter


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def owners_for_quarter(
    versions: dict[int, list[dict]], time_zones: dict[int, str], year: int, quarter: int
) -> dict[int, int]:
    """{unit id: id of the signed version measuring `quarter`}.

    `versions` maps each unit to its signed versions of the year (dicts with id, version,
    sign_date and amendment_date). At most one query per CHUNK amended PKs, none without.
    """
    owners = {unit_id: found[0]["id"] for unit_id, found in versions.items() if len(found) == 1}
    amended = {unit_id: found for unit_id, found in versions.items() if len(found) > 1}
    if not amended:
        return owners
    ids = [v["id"] for found in amended.values() for v in found]
    events = {}
    for chunk in _chunks(ids):
        events.update(
            AgreementEvent.objects.filter(agreement_id__in=chunk, action="sign")
            .order_by("at")
            .values_list("agreement_id", "at")
        )
    for unit_id, found in amended.items():
        unit = SimpleNamespace(time_zone=time_zones[unit_id])
        split = split_quarters(year, [
            Version(v["id"], v["version"], effective_date(SimpleNamespace(
                pk=v["id"], sign_date=v["sign_date"], amendment_date=v["amendment_date"],
                unit=unit), events))
            for v in found
        ])  # fmt: skip
        owners[unit_id] = split[quarter]
    return owners


@dataclass
class _Facts:
    count: int = 0
    latest: object = None
    entered: int = 0
    statuses: tuple = ()
    lock_version: int = 0  # moves when the PK's lampiran is rebuilt (new targets, rows moved)


def _realisation_facts(scope, year: int, quarter: int) -> dict[int, _Facts]:
    """{agreement id: its realisations up to `quarter`} for every signed PK of the scope's
    units (one query)."""
    per_status = {
        f"status_{status}": Count("id", filter=Q(quarter=quarter, status=status))
        for status in RealisationStatus.values
    }
    found = (
        Realisation.objects.filter(
            agreement__year=year,
            agreement__status__in=MONITORED_STATUSES,
            agreement__unit__in=scope.values("pk"),
            quarter__lte=quarter,
        )
        .values("agreement_id", "agreement__lock_version")
        .annotate(
            count=Count("id"),
            latest=Max("updated_at"),
            entered=Count("id", filter=Q(quarter=quarter)),
            **per_status,
        )
        .order_by()
    )
    facts = {}
    for item in found:
        statuses = tuple(s for s in RealisationStatus.values if item[f"status_{s}"])
        facts[item["agreement_id"]] = _Facts(
            item["count"], item["latest"], item["entered"], statuses,
            item["agreement__lock_version"],
        )  # fmt: skip
    return facts


def _fingerprint(facts: _Facts | None) -> str:
    facts = facts or _Facts()
    latest = facts.latest.isoformat() if facts.latest else ""
    return f"{facts.count}|{latest}|{facts.lock_version}"


def _cache_key(year: int, quarter: int, rules) -> str:
    """One entry per year, quarter, rules and language (the explanations are translated)."""
    rules_part = f"{rules.cap}|{rules.achieved_from}|{rules.nearly_from}"
    digest = hashlib.sha256(rules_part.encode()).hexdigest()[:16]
    return f"{CACHE_PREFIX}:{year}:{quarter}:{digest}:{translation.get_language() or ''}"


def _indicator_counts(agreement_ids: list[int]) -> dict[int, int]:
    counts = {}
    for chunk in _chunks(agreement_ids):
        counts.update(
            IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement_id__in=chunk)
            .values_list("sasaran__kegiatan__programme__agreement_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    return counts


def score_agreements(agreement_ids: list[int], quarter: int, rules, reported=None) -> dict:
    """{agreement id: (average capaian at `quarter`, number of indicators)} of signed PKs
    measuring their own quarters (no amendment), two queries per CHUNK PKs.

    `reported`: the ids that have realisations up to the quarter, when known; the others
    have no capaian yet and only their indicators are counted (one query per CHUNK PKs).
    """
    results = {}
    if reported is not None:
        empty = [a for a in agreement_ids if a not in reported]
        counts = _indicator_counts(empty) if empty else {}
        nothing = capaian.average([], rules)
        results.update({a: (nothing, counts.get(a, 0)) for a in empty})
        agreement_ids = [a for a in agreement_ids if a in reported]
    memo: dict[tuple, Capaian] = {}
    for chunk in _chunks(agreement_ids):
        rows: dict[int, list] = {a: [] for a in chunk}
        for row in IndicatorRow.objects.filter(
            sasaran__kegiatan__programme__agreement_id__in=chunk
        ).values_list(
            "sasaran__kegiatan__programme__agreement_id", "id", "catalogue__kind",
            "catalogue__higher_is_better", "target_value", "target_unit", "target_grade",
        ):  # fmt: skip
            rows[row[0]].append(row)
        entries: dict[int, dict] = {}  # row id -> {quarter: (value, grade)}
        for row_id, entry_quarter, value, grade in Realisation.objects.filter(
            agreement_id__in=chunk, quarter__lte=quarter
        ).values_list("row_id", "quarter", "value", "grade"):
            entries.setdefault(row_id, {})[entry_quarter] = (value, grade)
        for agreement_id in chunk:
            scored = []
            for _agreement, row_id, *target in rows[agreement_id]:
                entered = entries.get(row_id)
                if entered is None:
                    key = (*target, None)
                else:
                    key = (*target, tuple(sorted(entered.items())))
                found = memo.get(key)
                if found is None:
                    values = {q: v for q, (v, _g) in (entered or {}).items()}
                    grades = {q: g for q, (_v, g) in (entered or {}).items()}
                    found = memo[key] = capaian.quarter_capaian(
                        measure_from_values(*target), values, grades, quarter, rules
                    )
                scored.append(found)
            results[agreement_id] = (capaian.average(scored, rules), len(scored))
    return results


def _amended_scores(owner_ids: dict[int, int], quarter: int, rules) -> dict[int, Score]:
    """build_report for the units whose PK has several signed versions."""
    agreements = Agreement.objects.select_related("unit").in_bulk(list(owner_ids.values()))
    scores = {}
    for unit_id, owner_id in owner_ids.items():
        report = build_report(agreements[owner_id], rules)
        entered = sum(1 for line in report.lines if line.cells[quarter].realisation is not None)
        scores[unit_id] = Score(
            agreement_id=owner_id,
            status=report.statuses[quarter],
            average=report.averages[quarter],
            indicators=len(report.lines),
            entered=entered,
        )
    return scores


def quarter_scores(
    scope, versions: dict[int, list[dict]], time_zones: dict[int, str], year: int, quarter: int,
    rules: capaian.Rules | None = None,
) -> dict[int, Score]:  # fmt: skip
    """{unit id: Score} for every unit of `versions` (its signed versions of `year`, see
    owners_for_quarter). `scope` is the units queryset the versions were read from.

    Side effects: reads and updates one cache entry per year, quarter, rules and language:
    {agreement id: (fingerprint, expiry, average, indicators)}. Each PK's entry lives between
    LIFETIME and twice that (spread, so that they are not all recomputed at once) unless its
    realisations change first. Two pages writing it at once lose at most some entries,
    which the next page recomputes.
    """
    rules = rules or CapaianRule.current()
    owners = owners_for_quarter(versions, time_zones, year, quarter)
    amended = {unit_id: owners[unit_id] for unit_id, found in versions.items() if len(found) > 1}
    single = {unit_id: owner for unit_id, owner in owners.items() if unit_id not in amended}
    scores = {}
    if not owners:
        return scores
    facts = _realisation_facts(scope, year, quarter)
    key = _cache_key(year, quarter, rules)
    stored = cache.get(key) or {}
    now = time.time()
    changed = False

    def expiry() -> float:
        return now + LIFETIME * (1 + random.random())  # noqa: S311 - spreading only

    if single:
        fresh, missing = {}, []
        for owner in single.values():
            entry = stored.get(owner)
            if entry and entry[0] == _fingerprint(facts.get(owner)) and entry[1] > now:
                fresh[owner] = entry
            else:
                missing.append(owner)
        if missing:
            computed = score_agreements(missing, quarter, rules, reported=facts.keys())
            for owner, (average, indicators) in computed.items():
                stored[owner] = fresh[owner] = (
                    _fingerprint(facts.get(owner)),
                    expiry(),
                    average,
                    indicators,
                )
            changed = True
        for unit_id, owner in single.items():
            _fingerprint_, _expiry, average, indicators = fresh[owner]
            found = facts.get(owner) or _Facts()
            scores[unit_id] = Score(
                agreement_id=owner,
                status=quarter_status(found.statuses),
                average=average,
                indicators=indicators,
                entered=found.entered,
            )
    if amended:
        # A unit with a PK Perubahan is scored over all its versions (build_report), cached
        # under the unit with a fingerprint of every version's realisations and lampiran.
        prints, missing = {}, {}
        for unit_id, owner in amended.items():
            version_ids = sorted(v["id"] for v in versions[unit_id])
            prints[unit_id] = f"{owner}#" + "#".join(
                _fingerprint(facts.get(v)) for v in version_ids
            )
            entry = stored.get(("unit", unit_id))
            if entry and entry[0] == prints[unit_id] and entry[1] > now:
                scores[unit_id] = entry[2]
            else:
                missing[unit_id] = owner
        if missing:
            for unit_id, score in _amended_scores(missing, quarter, rules).items():
                stored[("unit", unit_id)] = (prints[unit_id], expiry(), score)
                scores[unit_id] = score
            changed = True
    if changed:
        cache.set(key, stored, CACHE_TIMEOUT)
    return scores
