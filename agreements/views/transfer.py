"""Spreadsheets in and out: import (preview, then confirm), export, and the blank template.

Our template goes straight to the preview. Any other spreadsheet, and last year's PK as a
.docx, goes through the mapping step first (each column with its guessed role, a select to
change it; remembered per unit), then the same preview, where flagged cells may be corrected,
and the same all-or-nothing confirmation. The preview of a PK that has rows shows what the
import changes (added, removed, changed: old → new).

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

from agreements.forms.importing import (
    ImportConfirmForm,
    ImportMappingForm,
    ImportUploadForm,
    encode_fixes,
)
from agreements.importing.changes import compare
from agreements.importing.columns import ROLES
from agreements.importing.saving import import_lampiran
from agreements.importing.upload import analyse, mapping_memory, parse_upload
from agreements.lampiran import flatten
from agreements.models import ImportMapping, LockedAgreement, StaleAgreement
from agreements.spreadsheet import TEMPLATE_EXAMPLE, ParsedLampiran, export_csv, export_xlsx
from agreements.views.common import editable_agreement, refusal_message, visible_agreement

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
EXPIRED = _("Berkas impor tidak ditemukan atau sudah kedaluwarsa; unggah ulang berkasnya.")


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


def _preview_page(
    request, agreement, parsed, confirm=None, status=200, error="", analysis=None, fix_form=None
):
    current = flatten(agreement)
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
            "changes": compare(current, parsed.rows) if current and parsed.ok else None,
            "statement": analysis.statement if analysis else None,
            "fix_form": fix_form,
        },
        status=status,
    )


def _mapping_page(request, agreement, analysis, key, status=200):
    return render(
        request,
        "agreements/import_mapping.html",
        {
            "agreement": agreement,
            "analysis": analysis,
            "key": key,
            "roles": ROLES,
            "sheet": analysis.source.grids[analysis.header.grid_index].name,
            "header_row": analysis.source.grids[analysis.header.grid_index]
            .rows[analysis.header.row_position]
            .number,
        },
        status=status,
    )


def _stored(request, agreement, key):
    """The bytes of this session's pending upload of this PK, or None."""
    if not key or key != request.session.get(_session_key(agreement)):
        return None
    try:
        with default_storage.open(key, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        request.session.pop(_session_key(agreement), None)
        return None


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
    analysis = analyse(content, upload.name, ImportMapping.remembered_for(agreement.unit))
    if analysis.is_template:
        parsed, _analysis = parse_upload(content, upload.name)
        if not parsed.ok:
            return _preview_page(request, agreement, parsed, status=400)
        key = _store_upload(request, agreement, content, form.extension)
        confirm = ImportConfirmForm(initial={"key": key, "lock_version": agreement.lock_version})
        return _preview_page(request, agreement, parsed, confirm)
    if not analysis.ok:
        return _preview_page(request, agreement, _problems(analysis), status=400)
    key = _store_upload(request, agreement, content, form.extension)
    return _mapping_page(request, agreement, analysis, key)


def _problems(analysis):
    return ParsedLampiran(problems=list(analysis.problems))


@require_POST
@editable_agreement
def import_mapping(request, agreement):
    """The mapping step posted (and the preview's corrections): the rows as mapped, previewed.
    Side effect: the unit remembers the mapping for its next upload. Nothing else is saved."""
    key = request.POST.get("key", "")
    content = _stored(request, agreement, key)
    if content is None:
        return _upload_page(request, agreement, ImportUploadForm(), status=400, error=EXPIRED)
    remembered = ImportMapping.remembered_for(agreement.unit)
    analysis = analyse(content, key, remembered)
    if not analysis.ok or analysis.is_template:
        _discard_upload(request, agreement)
        return _upload_page(request, agreement, ImportUploadForm(), status=400, error=EXPIRED)
    width = len(analysis.header.columns)
    form = ImportMappingForm(request.POST, width=width)
    if not form.is_valid():
        return _mapping_page(request, agreement, analysis, key, status=400)
    mapping = form.mapping(width)
    fixes = form.cleaned_data["fixes"]
    parsed, analysis = parse_upload(content, key, mapping, fixes, remembered)
    ImportMapping.remember(agreement.unit, mapping_memory(analysis.header, mapping.split(",")))
    hidden = {"key": key, "fixes": encode_fixes(fixes), "mapping": mapping}
    if not parsed.ok:
        fix_form = {**hidden, "roles": mapping.split(",")}
        return _preview_page(
            request, agreement, parsed, status=400, analysis=analysis, fix_form=fix_form
        )
    confirm = ImportConfirmForm(
        initial={**hidden, "lock_version": agreement.lock_version, "statement": True}
    )
    return _preview_page(request, agreement, parsed, confirm, analysis=analysis)


@require_POST
@editable_agreement
def import_confirm(request, agreement):
    """Re-read the stored upload and replace the lampiran with it; then forget the upload."""
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(_session_key(agreement))
    if not (form.is_valid() and form.cleaned_data["key"] == pending):
        return _upload_page(request, agreement, ImportUploadForm(), status=400, error=EXPIRED)
    content = _stored(request, agreement, pending)
    if content is None:
        return _upload_page(request, agreement, ImportUploadForm(), status=400, error=EXPIRED)
    data = form.cleaned_data
    parsed, analysis = parse_upload(content, pending, data["mapping"], data["fixes"])
    if not parsed.ok:
        _discard_upload(request, agreement)
        return _preview_page(request, agreement, parsed, status=400)
    statement = analysis.statement if data["statement"] else None
    try:
        summary = import_lampiran(
            agreement, parsed.rows, data["lock_version"], request.user, statement
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
        content = export_xlsx(TEMPLATE_EXAMPLE, _("Templat lampiran PK"), fillable=True)
    else:
        content = export_csv(TEMPLATE_EXAMPLE)
    return _download(content, f"templat-lampiran-pk.{fmt}", fmt)
