"""The pages of those who approve and sign: what waits for them, one PK's review, the wet
signature upload, and the notifications.

Thin views: the rules live in agreements.workflow (who may act), agreements.scans (the scan)
and agreements.diffs (what changed). Every PK is looked up through
`Agreement.objects.visible_to(user)`, so another unit's PK is a 404; changes are POST-only.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from agreements import diffs, documents
from agreements.checks import CheckReport, report_for_page
from agreements.history import RETURN_ACTIONS, last_return
from agreements.lampiran import flatten
from agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementStatus,
    Notification,
    Party,
    SignatureMethod,
    SignedDocument,
)
from agreements.permissions import drafting_units
from agreements.scans import (
    MAX_SCAN_BYTES,
    confirm_scan,
    confirmable_parties,
    is_signer,
    record_wet_signature,
    reject_scan,
    upload_refusal,
)
from agreements.signing.panel import panel_context, signing_state
from agreements.signing.rules import signatory_membership
from agreements.uploads import attachment_response
from agreements.workflow import (
    WorkflowRefused,
    approver_memberships,
    available_actions,
    snapshot_of,
)
from organisations.models import Membership, Role

APPROVE, SIGN, CONFIRM, REVISE = "approve", "sign", "confirm", "revise"
WAIT = "wait"  # the user signs later: the party before them has not signed yet


@dataclass
class WaitingItem:
    agreement: Agreement
    task: str  # APPROVE, SIGN, WAIT or REVISE
    report: CheckReport | None  # None when asked without (the home page shows no report)
    note: str = ""  # the return note, for a PK sent back to its drafters
    waiting_on: str = ""  # for WAIT: the party who signs first ("Pihak Pertama")


def _signing_task(agreement: Agreement, user) -> tuple[str, str] | None:
    """SIGN when it is the user's turn to sign; WAIT (and for whom) when the user signs after
    a party who has not signed yet; None when the user has signed already."""
    state = signing_state(agreement, user)
    if state.can_sign:
        return SIGN, ""
    unsigned = [item.printed.party for item in state.parties if item.signature is None]
    if any(signatory_membership(agreement, party, user) for party in unsigned):
        return WAIT, state.next_party_label
    return None


def waiting_for(user, *, with_reports: bool = True) -> list[WaitingItem]:
    """The PKs waiting for `user`: to approve (submitted, they are the approver), to sign
    (approved, they hold a signatory account of Pihak Pertama or Pihak Kedua), to confirm an
    uploaded wet-signature scan, to revise (returned, they draft its unit).

    With `with_reports`, each with its check report (the queue page shows the counts); the
    home page lists the tasks only, and a report not cached yet runs every check of the PK
    and its family (seconds for a large Sekretariat)."""
    visible = Agreement.objects.visible_to(user).select_related("unit", "unit__parent")
    signatory_units = Membership.objects.filter(
        user=user, role=Role.SIGNATORY, is_active=True
    ).values("unit_id")
    candidates = visible.filter(
        Q(unit_id__in=signatory_units) | Q(unit__parent_id__in=signatory_units),
        status__in=[
            AgreementStatus.SUBMITTED,
            AgreementStatus.APPROVED,
            AgreementStatus.SCAN_UPLOADED,
        ],
    )
    found = []
    for agreement in candidates:
        if agreement.status == AgreementStatus.SUBMITTED:
            if approver_memberships(agreement).filter(user=user).exists():
                found.append((APPROVE, agreement, ""))
        elif agreement.status == AgreementStatus.SCAN_UPLOADED:
            if confirmable_parties(agreement, user):
                found.append((CONFIRM, agreement, ""))
        elif is_signer(user, agreement):
            task = _signing_task(agreement, user)
            if task is not None:
                found.append((task[0], agreement, task[1]))
    last_return_note = (
        AgreementEvent.objects.filter(agreement=OuterRef("pk"), action__in=RETURN_ACTIONS)
        .order_by("-at", "-pk")
        .values("note")[:1]
    )
    returned = visible.filter(
        status=AgreementStatus.RETURNED, unit__in=drafting_units(user)
    ).annotate(return_note=Subquery(last_return_note))
    found += [(REVISE, agreement, agreement.return_note or "") for agreement in returned]
    order = {APPROVE: 0, SIGN: 1, CONFIRM: 1, REVISE: 2, WAIT: 3}
    found.sort(key=lambda f: (order[f[0]], -f[1].year, f[1].unit.path))
    return [
        WaitingItem(
            agreement=agreement,
            task=task,
            report=report_for_page(agreement) if with_reports else None,
            note=text if task != WAIT else "",
            waiting_on=text if task == WAIT else "",
        )
        for task, agreement, text in found
    ]


@require_GET
def waiting(request):
    return render(request, "signatory/waiting.html", {"items": waiting_for(request.user)})


def _visible(request, pk) -> Agreement:
    agreements = Agreement.objects.visible_to(request.user).select_related(
        "unit", "unit__parent", "unit__satker"
    )
    return get_object_or_404(agreements, pk=pk)


def _previous_submission(agreement: Agreement) -> AgreementEvent | None:
    """The submission of the revision before this one (its snapshot is what was reviewed)."""
    return (
        agreement.events.filter(action="submit", revision__lt=agreement.revision)
        .exclude(snapshot=None)
        .order_by("-revision", "-at", "-pk")
        .first()
    )


def _last_year(request, agreement: Agreement) -> Agreement | None:
    return (
        Agreement.objects.visible_to(request.user)
        .filter(unit_id=agreement.unit_id, year=agreement.year - 1)
        .order_by("-version")
        .first()
    )


@require_GET
def review(request, pk):
    """One PK as it will be signed, what changed, and the buttons to act on it."""
    agreement = _visible(request, pk)
    current = snapshot_of(agreement)
    previous = _previous_submission(agreement)
    last_year = _last_year(request, agreement)
    return_event = last_return(agreement)
    scans = agreement.signed_documents.filter(method=SignatureMethod.WET).order_by("-created_at")
    return render(
        request,
        "signatory/review.html",
        {
            "agreement": agreement,
            "report": report_for_page(agreement),
            "actions": available_actions(agreement, request.user),
            "previous": previous,
            "revision_rows": diffs.diff_rows(previous.snapshot["rows"], current["rows"])
            if previous
            else None,
            "revision_statement": diffs.diff_statement(
                previous.snapshot.get("statement", {}), current["statement"]
            )
            if previous
            else [],
            "last_year": last_year,
            "last_year_rows": diffs.diff_rows(flatten(last_year), current["rows"])
            if last_year
            else None,
            "return_event": return_event,
            "scan": scans.first(),
            "scan_parties": [Party(p).label for p in confirmable_parties(agreement, request.user)],
            "can_upload": upload_refusal(agreement, request.user) is None,
            "max_scan_mb": MAX_SCAN_BYTES // (1024 * 1024),
            **panel_context(agreement, request.user),  # the panel holds the e-signing button here
        },
    )


@require_GET
@xframe_options_sameorigin
@cache_control(private=True, no_cache=True)
def review_pdf(request, pk):
    """The full PK's PDF shown inline, so the review page can frame it (same origin only)."""

    agreement = _visible(request, pk)
    response = HttpResponse(
        documents.render_pdf(agreement, documents.LENGKAP), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=documents.document_filename(agreement, documents.LENGKAP)
    )
    return response


@require_POST
def scan_upload(request, pk):
    """Upload the scan of the PK signed on paper; a good one marks the PK signed."""
    agreement = _visible(request, pk)
    uploaded = request.FILES.get("pindaian")
    if uploaded is None:
        messages.error(request, _("Pilih berkas PDF hasil pindaian PK bertanda tangan basah."))
        return redirect("agreements:review", pk=agreement.pk)
    try:
        record_wet_signature(agreement, uploaded, request.user)
    except WorkflowRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Pindaian disimpan. PK ini menunggu konfirmasi setiap penandatangan bahwa "
                "pindaian itu adalah kertas yang mereka tanda tangani."
            ),
        )
    return redirect("agreements:review", pk=agreement.pk)


@require_POST
def scan_confirm(request, pk):
    """The signatory confirms the uploaded scan is the paper they signed."""
    agreement = _visible(request, pk)
    try:
        confirm_scan(agreement, request.user)
    except WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        if agreement.status == AgreementStatus.SIGNED:
            messages.success(request, _("Konfirmasi tersimpan. PK ini sekarang Ditandatangani."))
        else:
            messages.success(request, _("Konfirmasi tersimpan. Menunggu penandatangan lainnya."))
    return redirect("agreements:review", pk=agreement.pk)


@require_POST
def scan_reject(request, pk):
    """The signatory says the uploaded scan is not the paper they signed."""
    agreement = _visible(request, pk)
    try:
        reject_scan(agreement, request.user, request.POST.get("note", ""))
    except WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Pindaian ditolak. PK ini kembali berstatus Disetujui."))
    return redirect("agreements:review", pk=agreement.pk)


@require_GET
@cache_control(private=True, no_cache=True)
def scan_file(request, pk, doc_id):
    """The uploaded scan, always as a download that runs nothing (agreements.uploads)."""
    agreement = _visible(request, pk)
    document = get_object_or_404(
        SignedDocument, agreement=agreement, pk=doc_id, method=SignatureMethod.WET
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas pindaian tidak ditemukan.")) from exc
    stem = document_stem(agreement)
    return attachment_response(
        handle, f"{stem}-r{document.revision}-ttd-basah.pdf", "application/pdf"
    )


def document_stem(agreement: Agreement) -> str:

    return documents.document_filename(agreement, documents.LENGKAP).removesuffix("-lengkap.pdf")


# --- notifications ----------------------------------------------------------------------------


@require_GET
def notification_list(request):
    notices = Notification.objects.filter(user=request.user).select_related("agreement")
    page = Paginator(notices, 50).get_page(request.GET.get("halaman"))
    unread = notices.filter(read_at__isnull=True).count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@require_POST
def notification_read(request, pk):
    """Mark one notification read; with `buka`, go where it leads."""
    notice = get_object_or_404(Notification, user=request.user, pk=pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if request.POST.get("buka") and notice.url and safe:
        return redirect(notice.url)
    return redirect("agreements:notifications")


@require_POST
def notifications_read_all(request):
    marked = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect(reverse("agreements:notifications"))
