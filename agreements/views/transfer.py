"""Spreadsheets in and out: import (preview, then confirm), export, and the blank template.

Between the preview and the confirmation the uploaded bytes live in `default_storage` (shared
by every web process, local disk or S3), under a random key the session remembers for that PK:
no server memory, no local temporary path, and a key from another session or PK is refused.
"""

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.forms import ImportConfirmForm, ImportUploadForm
from agreements.lampiran import flatten, replace_lampiran
from agreements.models import LockedAgreement, StaleAgreement
from agreements.spreadsheet import TEMPLATE_EXAMPLE, export_csv, export_xlsx, parse_lampiran
from agreements.views.common import editable_agreement, refusal_message, visible_agreement

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _session_key(agreement) -> str:
    return f"pk-impor-{agreement.pk}"


def _store_upload(request, agreement, content: bytes, extension: str) -> str:
    _discard_upload(request, agreement)
    key = default_storage.save(f"imports/{uuid.uuid4().hex}.{extension}", ContentFile(content))
    request.session[_session_key(agreement)] = key
    return key


def _discard_upload(request, agreement) -> None:
    """Side effects: deletes the pending upload of this PK from storage and from the session."""
    key = request.session.pop(_session_key(agreement), None)
    if key:
        default_storage.delete(key)


def _upload_page(request, agreement, form, status=200, error=""):
    return render(
        request,
        "agreements/import_upload.html",
        {"agreement": agreement, "form": form, "error": error},
        status=status,
    )


def _preview_page(request, agreement, parsed, confirm=None, status=200, error=""):
    return render(
        request,
        "agreements/import_preview.html",
        {
            "agreement": agreement,
            "parsed": parsed,
            "confirm": confirm,
            "error": error,
            "current_indicators": agreement.indicator_count(),
            "budget_line_count": len(parsed.rows) - parsed.indicator_count,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@editable_agreement
def import_upload(request, agreement):
    """Upload and preview: every problem of the file, or its rows. Nothing is saved to the PK."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return _upload_page(request, agreement, form)
    if not form.is_valid():
        return _upload_page(request, agreement, form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    parsed = parse_lampiran(content, upload.name)
    if not parsed.ok:
        return _preview_page(request, agreement, parsed, status=400)
    key = _store_upload(request, agreement, content, form.extension)
    confirm = ImportConfirmForm(initial={"key": key, "lock_version": agreement.lock_version})
    return _preview_page(request, agreement, parsed, confirm)


@require_POST
@editable_agreement
def import_confirm(request, agreement):
    """Re-read the stored upload and replace the lampiran with it; then forget the upload."""
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(_session_key(agreement))
    if not (form.is_valid() and form.cleaned_data["key"] == pending):
        return _upload_page(
            request,
            agreement,
            ImportUploadForm(),
            status=400,
            error=_("Berkas impor tidak ditemukan atau sudah kedaluwarsa; unggah ulang berkasnya."),
        )
    try:
        with default_storage.open(pending, "rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        request.session.pop(_session_key(agreement), None)
        return _upload_page(
            request,
            agreement,
            ImportUploadForm(),
            status=400,
            error=_("Berkas impor tidak ditemukan atau sudah kedaluwarsa; unggah ulang berkasnya."),
        )
    parsed = parse_lampiran(content, pending)
    if not parsed.ok:
        _discard_upload(request, agreement)
        return _preview_page(request, agreement, parsed, status=400)
    try:
        summary = replace_lampiran(
            agreement,
            parsed.rows,
            form.cleaned_data["lock_version"],
            user=request.user,
            how=_("Diimpor dari berkas"),
        )
    except (StaleAgreement, LockedAgreement) as exc:
        _discard_upload(request, agreement)
        return _preview_page(request, agreement, parsed, status=409, error=refusal_message(exc))
    _discard_upload(request, agreement)
    messages.success(
        request,
        _("Lampiran diimpor: %(indicators)d indikator dan %(budget)d baris anggaran.")
        % {"indicators": summary.indicators, "budget": summary.budget_lines},
    )
    return redirect(agreement)


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def agreement_export(request, pk, fmt):
    agreement = visible_agreement(request, pk)
    rows = flatten(agreement)
    name = f"PK-{agreement.year}-{agreement.unit.code}"
    if agreement.version > 1:
        name += f"-v{agreement.version}"
    content = export_xlsx(rows, str(agreement)) if fmt == "xlsx" else export_csv(rows)
    return _download(content, f"{name}.{fmt}", fmt)


@require_GET
def template_download(request, fmt):
    if fmt == "xlsx":
        content = export_xlsx(TEMPLATE_EXAMPLE, _("Templat lampiran PK"))
    else:
        content = export_csv(TEMPLATE_EXAMPLE)
    return _download(content, f"templat-lampiran-pk.{fmt}", fmt)
