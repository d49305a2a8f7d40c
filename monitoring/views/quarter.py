"""The quarter form, the verification page and the evidence download.

Thin views: every PK is looked up through `Agreement.objects.visible_to(user)` (another unit's
PK or evidence is a 404); who may act is monitoring.permissions, the steps are
monitoring.services, the figures monitoring.series.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.models import Agreement
from agreements.uploads import attachment_response
from agreements.views.common import forbidden, visible_agreement
from monitoring import capaian
from monitoring.deadlines import entry_window
from monitoring.evidence import MAX_EVIDENCE_BYTES
from monitoring.forms import QuarterFormSet, ReturnForm
from monitoring.models import (
    Evidence,
    Quarter,
    QuarterEvent,
    Realisation,
    RealisationStatus,
    StaleRealisation,
)
from monitoring.pending_evidence import PendingScope
from monitoring.permissions import entry_refusal, verify_refusal
from monitoring.series import Line, build_report, carried_from_older
from monitoring.services import (
    QuarterRefused,
    form_refusal,
    monitoring_refusal,
    return_quarter,
    save_quarter,
    verify_quarter,
)


@dataclass
class FormLine:
    """One indicator on the quarter form: the row, its figures, its evidence, its form."""

    line: Line
    quarter: int
    evidence: list = field(default_factory=list)
    carried: Realisation | None = None  # prefilled from the previous version of the PK
    form: object = None

    @property
    def row(self):
        return self.line.row

    @property
    def measure(self):
        return self.line.measure

    @property
    def cell(self):
        return self.line.cells[self.quarter]

    @property
    def realisation(self):
        cell = self.cell
        return None if cell.carried else cell.realisation

    @property
    def is_count(self) -> bool:
        return self.measure.kind == capaian.COUNT

    @property
    def earlier(self):
        """The cells of the quarters before this one (what was reported, for reference)."""
        return [self.line.cells[q] for q in capaian.QUARTERS if q < self.quarter]


def quarter_or_404(quarter: int) -> int:
    if quarter not in Quarter.values:
        raise Http404(_("Triwulan tidak dikenal."))
    return quarter


def _shown(realisation) -> str:
    if realisation is None or realisation.value is None:
        return ""
    return capaian.plain_number(realisation.value, places=None)


def initial_values(form_line: FormLine) -> dict:
    own = form_line.realisation
    source = own or form_line.carried
    return {
        "row": form_line.row.pk,
        "lock_version": own.lock_version if own else None,
        "value": _shown(source),
        "grade": source.grade if source else "",
        "explanation": source.explanation if source else "",
        "obstacles": source.obstacles if source else "",
        "follow_up": source.follow_up if source else "",
    }


def form_lines(agreement, quarter, report) -> list[FormLine]:
    lines = [FormLine(line=line, quarter=quarter) for line in report.lines]
    own = {fl.realisation.pk: fl for fl in lines if fl.realisation}
    for evidence in Evidence.objects.filter(realisation_id__in=own).order_by("uploaded_at", "pk"):
        own[evidence.realisation_id].evidence.append(evidence)
    carried = carried_from_older(agreement, quarter, [fl.row for fl in lines])
    for fl in lines:
        if fl.realisation is None:
            fl.carried = carried.get(fl.row.pk)
    return lines


HISTORY_SHOWN = 30
CHANGES_SHOWN = 20  # per event
HISTORY_LABELS = {
    "save": gettext_lazy("Disimpan"),
    "submit": gettext_lazy("Diajukan untuk verifikasi"),
    "verify": gettext_lazy("Diverifikasi"),
    "return": gettext_lazy("Dikembalikan"),
    "lampiran": gettext_lazy("Lampiran PK diubah"),
}


def _history(agreement, quarter: int) -> list:
    """The quarter's latest steps, newest first, each with its label."""
    events = list(
        QuarterEvent.objects.filter(agreement=agreement, quarter=quarter)
        .select_related("actor")
        .order_by("-at", "-pk")[:HISTORY_SHOWN]
    )
    for event in events:
        event.label = HISTORY_LABELS.get(event.action, event.action)
        # A save of a 60-indicator PK lists 60 changes: the first ones as one piece of
        # markup, not a template loop per change (30 events × 20 changes a page).
        event.changes_html = format_html_join(
            "", "<li>{}</li>", ((change,) for change in event.changes[:CHANGES_SHOWN])
        )
        event.more_changes = max(0, len(event.changes) - CHANGES_SHOWN)
    return events


@require_http_methods(["GET", "POST"])
def quarter_form(request, pk, quarter):
    """All the PK's indicators for one quarter, saved (or submitted) in one POST."""
    agreement = visible_agreement(request, pk)
    quarter = quarter_or_404(quarter)
    reason = monitoring_refusal(agreement)
    if reason:
        messages.error(request, reason)
        return redirect(agreement)
    now = timezone.now()
    report = build_report(agreement)
    lines = form_lines(agreement, quarter, report)
    statuses = [fl.realisation.status for fl in lines if fl.realisation]
    refusal = form_refusal(agreement, quarter, request.user, now, statuses)
    status = 200
    formset = QuarterFormSet(initial=[initial_values(fl) for fl in lines], lines=lines)
    if request.method == "POST":
        if refusal and entry_refusal(request.user, agreement):  # never theirs to fill
            messages.error(request, refusal)
            return redirect("monitoring:quarter", pk=agreement.pk, quarter=quarter)
        scope = None if refusal else PendingScope(request.user.pk, agreement.pk, quarter)
        formset = QuarterFormSet(request.POST, request.FILES, lines=lines,
                                 initial=[initial_values(fl) for fl in lines],
                                 form_kwargs={"pending_scope": scope})  # fmt: skip
        status = 400
        if refusal:
            # Closed (or submitted by a colleague) since the page was opened: nothing is
            # saved, and what was typed is shown back so that it is not lost.
            status = 409
            messages.error(request, refusal)
        elif formset.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                save_quarter(agreement, quarter, [f.entry() for f in formset], request.user,
                             submit=submit, now=now)  # fmt: skip
            except StaleRealisation:
                status = 409
                messages.error(request, _(
                    "Realisasi triwulan ini telah disimpan oleh pengguna lain sejak Anda membuka "
                    "halaman ini. Isian Anda belum disimpan dan masih tampil di bawah; salin "
                    "isian Anda, muat ulang halaman, lalu ulangi."))  # fmt: skip
            except QuarterRefused as exc:
                messages.error(request, str(exc))
            else:
                for form in formset:
                    form.discard_pending()
                messages.success(request, _("Realisasi diajukan untuk verifikasi.") if submit
                                 else _("Realisasi disimpan."))  # fmt: skip
                return redirect("monitoring:quarter", pk=agreement.pk, quarter=quarter)
        else:
            messages.error(request, _(
                "Realisasi belum disimpan: perbaiki isian yang ditandai di bawah. Berkas bukti "
                "dukung yang Anda pilih dan dapat diterima tetap terpilih dan ikut disimpan."
            ))  # fmt: skip
        if not refusal:
            # Nothing was saved: each valid chosen file waits in storage for the next save.
            for form in formset:
                form.keep_chosen()
    for fl, form in zip(lines, formset.forms, strict=True):
        fl.form = form
    window = entry_window(agreement.year, quarter, agreement.unit.time_zone, now)
    return render(
        request,
        "monitoring/quarter_form.html",
        {
            "agreement": agreement,
            "quarter": quarter,
            "quarter_label": Quarter(quarter).label,
            "quarters": Quarter.choices,
            "report": report,
            "lines": lines,
            "groups": _grouped(lines),
            "formset": formset,
            "refusal": refusal,
            "window": window,
            "status": report.statuses[quarter],
            "status_label": dict(RealisationStatus.choices).get(report.statuses[quarter], ""),
            "average": report.averages[quarter],
            "can_verify": report.statuses[quarter] == RealisationStatus.SUBMITTED
            and verify_refusal(request.user, agreement) is None,
            "return_note": next(
                (
                    fl.realisation.return_note
                    for fl in lines
                    if fl.realisation and fl.realisation.return_note
                ),
                "",
            ),  # fmt: skip
            "history": _history(agreement, quarter),
            "max_evidence_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
            "max_evidence_bytes": MAX_EVIDENCE_BYTES,
            "max_request_bytes": settings.MAX_REQUEST_BODY_BYTES,
            "max_request_mb": settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _grouped(lines: list[FormLine]) -> list[tuple[object, list[FormLine]]]:
    """[(sasaran, its lines)] in document order."""
    groups: list[tuple[object, list[FormLine]]] = []
    for fl in lines:
        sasaran = fl.row.sasaran
        if not groups or groups[-1][0].pk != sasaran.pk:
            groups.append((sasaran, []))
        groups[-1][1].append(fl)
    return groups


@require_GET
def verify_page(request, pk, quarter):
    """The quarter as submitted, for the PK's Pihak Kedua to verify or return."""
    agreement = visible_agreement(request, pk)
    quarter = quarter_or_404(quarter)
    reason = monitoring_refusal(agreement) or verify_refusal(request.user, agreement)
    if reason:
        return forbidden(request, reason)
    report = build_report(agreement)
    lines = form_lines(agreement, quarter, report)
    return render(
        request,
        "monitoring/verify.html",
        {
            "agreement": agreement,
            "quarter": quarter,
            "quarter_label": Quarter(quarter).label,
            "lines": lines,
            "groups": _grouped(lines),
            "status": report.statuses[quarter],
            "status_label": dict(RealisationStatus.choices).get(report.statuses[quarter], ""),
            "average": report.averages[quarter],
            "return_form": ReturnForm(),
        },
    )


@require_POST
def verify_confirm(request, pk, quarter):
    agreement = visible_agreement(request, pk)
    quarter = quarter_or_404(quarter)
    try:
        verify_quarter(agreement, quarter, request.user)
    except QuarterRefused as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:verify", pk=agreement.pk, quarter=quarter)
    messages.success(request, _("Realisasi %(q)s diverifikasi.") % {"q": Quarter(quarter).label})
    return redirect(agreement)


@require_POST
def verify_return(request, pk, quarter):
    agreement = visible_agreement(request, pk)
    quarter = quarter_or_404(quarter)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
        return redirect("monitoring:verify", pk=agreement.pk, quarter=quarter)
    try:
        return_quarter(agreement, quarter, request.user, form.cleaned_data["note"])
    except QuarterRefused as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:verify", pk=agreement.pk, quarter=quarter)
    messages.success(request, _("Realisasi dikembalikan kepada operator dengan catatan Anda."))
    return redirect(agreement)


@require_GET
@cache_control(private=True, no_cache=True)
def evidence_file(request, evidence_id):
    """One evidence file, as a download, for those who may see its PK (404 for the others)."""
    visible = Agreement.objects.visible_to(request.user)
    evidence = get_object_or_404(
        Evidence.objects.filter(realisation__agreement__in=visible), pk=evidence_id
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas bukti dukung tidak ditemukan.")) from exc
    return attachment_response(handle, evidence.original_name, evidence.content_type)
