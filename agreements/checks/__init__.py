"""Cascade checks: named checks that catch a PK disagreeing with its parent or the rules.

Each check returns `Finding`s, one per row it looked at: PASSED, WARNING (a person may accept
it with a reason) or ERROR (blocks submitting for approval). `run_checks(agreement)` runs them
all with a fixed number of queries, whatever the size of the PK.

- subbagian_in_sekretariat: every indicator of a Subbagian PK is in its Sekretariat's PK of the
  same year with the same target (both directions: every Sekretariat indicator is carried by
  at least one Subbagian).
- budget_roll_up: the Subbagian budgets add up to the Sekretariat's, per programme.
- national_floor: a regional target is not below the national target of the same indicator.
- iku_coverage: a Provinsi or Kab/Kota PK contains every IKU set for its level and year.
- form: targets present, a budget for every programme listed, signatories as the rules say.
"""

import dataclasses
import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q

from agreements.checks.cascade import (
    check_budget_roll_up,
    check_subbagian_in_sekretariat,
    family_of,
)
from agreements.checks.form import check_form
from agreements.checks.national import check_iku_coverage, check_national_floor, iku_for
from agreements.checks.results import Check, CheckReport, Finding, Severity
from agreements.lampiran import LampiranRow, flatten
from agreements.models import Agreement, CheckAcceptance
from indicators.models import IKUDesignation

__all__ = [
    "Check",
    "CheckReport",
    "Finding",
    "Severity",
    "cached_checks",
    "report_for_page",
    "run_checks",
]


def run_checks(agreement: Agreement, rows: list[LampiranRow] | None = None) -> CheckReport:
    """Every check on `agreement` (its saved rows, or `rows` if given, e.g. a preview)."""
    rows = flatten(agreement) if rows is None else rows
    family = family_of(agreement)
    iku = iku_for(agreement)
    findings = []
    findings += check_subbagian_in_sekretariat(agreement, rows, family)
    findings += check_budget_roll_up(agreement, rows, family)
    findings += check_national_floor(agreement, rows, iku)
    findings += check_iku_coverage(agreement, rows, iku)
    findings += check_form(agreement, rows)
    return CheckReport(findings)


def _cache_key(agreement: Agreement) -> str:
    """The content version of the PK's family: changes whenever the PK, a PK of its family
    (lampiran: lock version; anything else saved: updated_at), or the IKU catalogue changes."""
    unit = agreement.unit
    related = Q(unit_id=unit.pk) | Q(unit_id=unit.parent_id) | Q(unit__parent_id=unit.pk)
    if unit.parent_id:
        related |= Q(unit__parent_id=unit.parent_id)
    # created_at too: SQLite may reuse the id of a deleted PK, never its creation time.
    versions = sorted(
        Agreement.objects.filter(related, year=agreement.year).values_list(
            "pk", "lock_version", "created_at", "updated_at"
        )
    )
    iku = IKUDesignation.objects.aggregate(n=Count("pk"), last=Max("pk"))
    signature = repr((agreement.pk, versions, iku, CHECKS_VERSION)).encode()
    return "pk-checks:" + hashlib.sha256(signature).hexdigest()


# Bump when a check changes, so that cached reports from the old code are not served.
CHECKS_VERSION = 3
CACHE_SECONDS = 24 * 60 * 60


def _store_summary(agreement: Agreement, report: CheckReport) -> None:
    """The summary list pages and the dashboards filter on (`check_errors`,
    `check_warnings`), rewritten whenever it differs from the report: a plain UPDATE (no lock
    version, no history)."""
    summary = (min(len(report.errors), 32767), min(len(report.warnings), 32767))
    if (agreement.check_errors, agreement.check_warnings) == summary:
        return
    Agreement.objects.filter(pk=agreement.pk).update(
        check_errors=summary[0], check_warnings=summary[1]
    )
    agreement.check_errors, agreement.check_warnings = summary


def cached_checks(agreement: Agreement) -> CheckReport:
    """run_checks for page loads: computed once per content version of the PK and its family.

    Kept in the shared cache (Redis in production), so every web process reuses it. The report
    is cached only once the caller's transaction commits, and the stored summary is rewritten
    in the caller's transaction whenever it differs from the report: a caller that rolls back
    (a refused submit) leaves no cached report behind whose summary was undone, so the
    summary always equals the report the PK page shows.
    """
    key = _cache_key(agreement)
    report = cache.get(key)
    if report is None:
        report = run_checks(agreement)
        transaction.on_commit(lambda: cache.set(key, report, timeout=CACHE_SECONDS))
    _store_summary(agreement, report)
    return report


def report_for_page(agreement: Agreement, fresh: bool = False) -> CheckReport:
    """The report a page shows: cached (or `fresh`), with accepted warnings marked."""
    if fresh:
        report = run_checks(agreement)
        _store_summary(agreement, report)
    else:
        report = cached_checks(agreement)
    accepted = {
        (a.check_name, a.row_key): a.reason
        for a in CheckAcceptance.objects.filter(agreement=agreement)
    }
    findings = [
        dataclasses.replace(f, accepted_reason=accepted[(f.check, f.row_key)])
        if f.severity == Severity.WARNING and (f.check, f.row_key) in accepted
        else f
        for f in report.findings
    ]
    return CheckReport(findings)
