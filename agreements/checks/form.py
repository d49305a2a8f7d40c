"""The form of a PK: targets, a budget for every programme listed, signatories as the rules say."""

import datetime

from django.utils.translation import gettext as _

from agreements.checks.cascade import budget_by_programme, programme_key
from agreements.checks.matching import indicators_of
from agreements.checks.results import Check, Finding, Severity
from indicators.text import normalise_text
from organisations.signatories import PKKind, VacantPosition, signatories_for


def check_form(agreement, rows) -> list[Finding]:
    findings = []
    indicators = indicators_of(rows)
    if not indicators:
        findings.append(Finding(Check.FORM, Severity.ERROR, _("Lampiran belum memuat indikator.")))
    for item in indicators:
        if item.row.target is None:
            findings.append(Finding(
                Check.FORM, Severity.ERROR,
                _("Target “%(ind)s” belum diisi.") % {"ind": item.row.indikator},
                row_key=f"form:target:{item.key}", row_index=item.index,
            ))  # fmt: skip
    budget = budget_by_programme(rows)
    listed = {}
    for item in indicators:
        if item.row.program or item.row.program_kode:
            listed.setdefault(programme_key(item.row.program_kode, item.row.program), item)
    for key, item in listed.items():
        if key not in budget:
            findings.append(Finding(
                Check.FORM, Severity.ERROR,
                _("Program “%(prog)s” tidak memiliki baris anggaran.")
                % {"prog": item.row.program or item.row.program_kode},
                row_key=f"form:budget:{key}", row_index=item.index,
            ))  # fmt: skip
    findings.extend(_check_signatories(agreement))
    if not any(f.severity != Severity.PASSED for f in findings):
        findings.append(Finding(Check.FORM, Severity.PASSED, _("Kelengkapan PK terpenuhi.")))
    return findings


def _check_signatories(agreement) -> list[Finding]:
    day = agreement.sign_date or datetime.date(agreement.year, 1, 2)
    try:
        pair = signatories_for(agreement.unit, day)
    except VacantPosition as exc:
        return [Finding(Check.FORM, Severity.ERROR, str(exc), row_key="form:signatories")]
    problems = []
    if agreement.pk_kind != pair.pk_kind:
        problems.append(_("jenis PK seharusnya %(k)s") % {"k": PKKind(pair.pk_kind).label})
    if not agreement.pihak_pertama_name:
        problems.append(_("Pihak Pertama belum diisi"))
    elif normalise_text(agreement.pihak_pertama_name) != normalise_text(pair.pihak_pertama.name):
        problems.append(_("Pihak Pertama pada %(d)s adalah %(n)s") % {
            "d": day.strftime("%d-%m-%Y"), "n": pair.pihak_pertama.name})  # fmt: skip
    expected_second = pair.pihak_kedua.name if pair.pihak_kedua else ""
    if normalise_text(agreement.pihak_kedua_name) != normalise_text(expected_second):
        problems.append(
            _("Pihak Kedua seharusnya %(n)s") % {"n": expected_second or _("tidak ada")}
        )
    if problems:
        return [Finding(
            Check.FORM, Severity.WARNING,
            _("Penandatangan tidak sesuai aturan: %(p)s.") % {"p": "; ".join(problems)},
            row_key="form:signatories",
        )]  # fmt: skip
    return []
