"""The quarter form as a spreadsheet: the .xlsx download (one row per indicator, only the cells
to fill unlocked), its upload with a preview of every line and problem, and the all-or-nothing
save through the quarter form's own validation (monitoring.quarter_sheet reads and writes it).
"""

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.views.common import visible_agreement
from monitoring import capaian
from monitoring.forms import QuarterFormSet
from monitoring.models import Quarter, StaleRealisation
from monitoring.quarter_sheet import (
    form_problems,
    formset_data,
    quarter_workbook,
    read_quarter_sheet,
)
from monitoring.series import build_report
from monitoring.services import QuarterRefused, form_refusal, monitoring_refusal, save_quarter
from monitoring.views.quarter import form_lines, initial_values, quarter_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_session_key(agreement, quarter) -> str:
    return f"tw-excel-{agreement.pk}-{quarter}"


def _quarter_context(request, pk, quarter):
    """The PK, its quarter form's lines and their initial values, and why the user may not
    fill them now (or "")."""
    agreement = visible_agreement(request, pk)
    quarter = quarter_or_404(quarter)
    reason = monitoring_refusal(agreement)
    if reason:
        return agreement, quarter, None, None, reason
    lines = form_lines(agreement, quarter, build_report(agreement))
    statuses = [fl.realisation.status for fl in lines if fl.realisation]
    refusal = form_refusal(agreement, quarter, request.user, timezone.now(), statuses)
    return agreement, quarter, lines, [initial_values(fl) for fl in lines], refusal


@require_GET
def quarter_sheet(request, pk, quarter):
    """The quarter form as .xlsx: one row per indicator, only the cells to fill unlocked."""
    agreement, quarter, lines, initial, reason = _quarter_context(request, pk, quarter)
    if lines is None:
        messages.error(request, reason)
        return redirect(agreement)
    content = quarter_workbook(agreement, quarter, lines, initial)
    response = HttpResponse(content, content_type=XLSX)
    name = f"realisasi-{agreement.year}-{agreement.unit.code}-tw{quarter}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _sheet_preview(request, agreement, quarter, lines, initial, entries, problems, key="",
                   status=200):  # fmt: skip
    rows = []
    for line, values in zip(lines, initial, strict=True):
        typed = entries.values.get(line.row.pk, {})
        before = values.get("grade") or values.get("value") or ""
        after = typed.get("value", "")
        if line.measure.kind == capaian.GRADE:
            after = after.upper()
        rows.append({"line": line, "before": before, "after": after,
                     "explanation": typed.get("explanation", ""),
                     "changed": before != after or values.get("explanation", "")
                     != typed.get("explanation", "")})  # fmt: skip
    return render(
        request,
        "monitoring/quarter_sheet_preview.html",
        {
            "agreement": agreement,
            "quarter": quarter,
            "quarter_label": Quarter(quarter).label,
            "rows": rows,
            "problems": problems,
            "key": key,
        },  # fmt: skip
        status=status,
    )


def _validated(request, agreement, quarter, lines, initial, content, filename):
    entries = read_quarter_sheet(content, filename, lines)
    if entries.problems:
        return entries, None, entries.problems
    formset = QuarterFormSet(formset_data(lines, initial, entries), lines=lines, initial=initial)
    if not formset.is_valid():
        return entries, None, form_problems(formset, lines, entries)
    return entries, formset, []


def _refused(request, agreement, quarter, lines, refusal):
    messages.error(request, refusal)
    if lines is None:  # no monitoring for this PK at all
        return redirect(agreement)
    return redirect("monitoring:quarter", pk=agreement.pk, quarter=quarter)


@require_POST
def quarter_sheet_upload(request, pk, quarter):
    """The filled sheet uploaded: every line as it would be saved, or every problem by
    row and column. Nothing is saved."""
    agreement, quarter, lines, initial, refusal = _quarter_context(request, pk, quarter)
    if refusal:
        return _refused(request, agreement, quarter, lines, refusal)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih lembar realisasi .xlsx yang sudah diisi."))
        return _sheet_preview(request, agreement, quarter, lines, initial,
                              read_quarter_sheet(b"", "", []), [], status=400)  # fmt: skip
    content = upload.read()
    entries, formset, problems = _validated(request, agreement, quarter, lines, initial, content,
                                            upload.name)  # fmt: skip
    if problems:
        return _sheet_preview(request, agreement, quarter, lines, initial, entries, problems,
                              status=400)  # fmt: skip
    session_key = _sheet_session_key(agreement, quarter)
    old = request.session.pop(session_key, None)
    if old:
        default_storage.delete(old)
    key = default_storage.save(f"imports/{uuid.uuid4().hex}.xlsx", ContentFile(content))
    request.session[session_key] = key
    return _sheet_preview(request, agreement, quarter, lines, initial, entries, [], key=key)


@require_POST
def quarter_sheet_confirm(request, pk, quarter):
    """Save the previewed sheet, all lines or none, as the quarter form would."""
    agreement, quarter, lines, initial, refusal = _quarter_context(request, pk, quarter)
    if refusal:
        return _refused(request, agreement, quarter, lines, refusal)
    session_key = _sheet_session_key(agreement, quarter)
    key = request.session.get(session_key)
    content = None
    if key and request.POST.get("key") == key:
        try:
            with default_storage.open(key, "rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            content = None
    if content is None:
        messages.error(request, _("Lembar yang diunggah tidak ditemukan atau sudah kedaluwarsa; "
                                  "unggah ulang lembarnya."))  # fmt: skip
        return _sheet_preview(request, agreement, quarter, lines, initial,
                              read_quarter_sheet(b"", "", []), [], status=400)  # fmt: skip
    entries, formset, problems = _validated(request, agreement, quarter, lines, initial, content,
                                            key)  # fmt: skip
    request.session.pop(session_key, None)
    default_storage.delete(key)
    if problems:
        return _sheet_preview(request, agreement, quarter, lines, initial, entries, problems,
                              status=400)  # fmt: skip
    try:
        changed = save_quarter(agreement, quarter, [f.entry() for f in formset], request.user)
    except StaleRealisation:
        messages.error(request, _("Realisasi triwulan ini telah disimpan oleh pengguna lain sejak "
                                  "lembar diunduh. Tidak ada yang disimpan; unduh ulang "
                                  "lembarnya."))  # fmt: skip
        return redirect("monitoring:quarter", pk=agreement.pk, quarter=quarter)
    except QuarterRefused as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:quarter", pk=agreement.pk, quarter=quarter)
    messages.success(request, _("Realisasi dari lembar Excel disimpan: %(count)d indikator "
                                "berubah.") % {"count": changed})  # fmt: skip
    return redirect("monitoring:quarter", pk=agreement.pk, quarter=quarter)
