"""Wet signatures: the PK printed, signed on paper, scanned and uploaded.

    validate_scan(uploaded_file, agreement) -> ScanInfo       refuses anything but a whole PDF
    record_wet_signature(agreement, uploaded_file, user)      stores it and signs the PK

A scan is accepted only when pypdf can parse it (a name ending in .pdf or a "%PDF" header
proves nothing), it is not encrypted, it is at most 20 MB, and it has at least as many pages
as the document generated for this revision (every page was printed, signed and scanned).
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pypdf import PdfReader

from agreements.documents import LENGKAP, render_pdf
from agreements.models import (
    Agreement,
    AgreementStatus,
    Party,
    Signature,
    SignatureMethod,
    SignedDocument,
)
from agreements.permissions import drafting_refusal
from agreements.signing.rules import parties_of, party_memberships
from agreements.workflow import WorkflowRefused, perform

logger = logging.getLogger(__name__)

MAX_SCAN_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ScanInfo:
    sha256: str
    page_count: int


def signing_memberships(agreement: Agreement) -> list[tuple[str, object]]:
    """[(party, signatory memberships)] of the accounts that sign this PK, in signing order
    (agreements.signing.rules.party_memberships)."""
    return [(party, party_memberships(agreement, party)) for party in parties_of(agreement)]


def is_signer(user, agreement: Agreement) -> bool:
    """Whether `user` holds a signatory account of Pihak Pertama or Pihak Kedua of the PK."""
    if not user.is_authenticated:
        return False
    return any(m.filter(user=user).exists() for _party, m in signing_memberships(agreement))


def upload_refusal(agreement: Agreement, user) -> str | None:
    """Why `user` may not upload the signed scan of `agreement` now, or None when they may.

    A drafter of the PK or one of its signatories may (the `sign` rule in agreements.workflow,
    which perform() checks again, admits them too).
    """
    if agreement.status != AgreementStatus.APPROVED:
        return _(
            "Pindaian bertanda tangan basah hanya dapat diunggah untuk PK berstatus Disetujui."
        )
    if is_signer(user, agreement) or drafting_refusal(user, agreement.unit) is None:
        return None
    return _("Hanya penyusun atau penandatangan PK ini yang dapat mengunggah pindaiannya.")


def generated_page_count(agreement: Agreement) -> int:
    """Pages of the full PK (statement and lampiran) as generated for printing."""

    return len(PdfReader(io.BytesIO(render_pdf(agreement, LENGKAP))).pages)


def _not_a_pdf() -> ValidationError:
    return ValidationError(
        _(
            "Berkas ini bukan PDF yang utuh sehingga tidak dapat dibaca. Unggah hasil pindaian "
            "dalam format PDF, bukan foto, dokumen Word atau berkas yang terpotong."
        ),
        code="not_pdf",
    )


def validate_scan(uploaded_file, agreement: Agreement) -> ScanInfo:
    """Check the uploaded scan of `agreement`; raise ValidationError saying what is wrong.

    The size is checked before anything is read; then the whole file is hashed and parsed.
    Side effects: may render (and cache) the PK's PDF to count its pages.
    """

    size = uploaded_file.size
    if size > MAX_SCAN_BYTES:
        raise ValidationError(
            _(
                "Berkas pindaian terlalu besar (%(size)s MB). Batasnya 20 MB; pindai ulang "
                "dengan resolusi lebih rendah (150–200 dpi sudah cukup)."
            )
            % {"size": number_format(size / 1024 / 1024, 1)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Berkas pindaian kosong."), code="empty")
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    try:
        reader = PdfReader(uploaded_file, strict=False)
        encrypted = reader.is_encrypted
        if not encrypted:
            pages = reader.pages
            page_count = len(pages)
            for page in pages:  # every page object must resolve, not only the count
                _box = page.mediabox
    # A damaged or hostile file makes pypdf raise many kinds of error, not only PdfReadError.
    except Exception as exc:
        logger.info("Refused a scan of PK %s: %s: %s", agreement.pk, type(exc).__name__, exc)
        raise _not_a_pdf() from exc
    finally:
        uploaded_file.seek(0)
    if encrypted:
        message = _(
            "PDF ini terenkripsi (dikunci dengan kata sandi). Simpan ulang pindaian tanpa kata "
            "sandi, lalu unggah kembali."
        )
        raise ValidationError(message, code="encrypted")
    required = generated_page_count(agreement)
    if page_count < required:
        raise ValidationError(
            _(
                "Pindaian hanya %(found)d halaman, padahal dokumen PK yang dicetak %(required)d "
                "halaman. Pindai semua halaman, termasuk lampiran."
            )
            % {"found": page_count, "required": required},
            code="too_few_pages",
        )
    return ScanInfo(sha256=digest.hexdigest(), page_count=page_count)


def _stored_name(agreement: Agreement) -> str:
    return f"pk-{agreement.pk}-r{agreement.revision}-ttd-basah.pdf"


def record_wet_signature(agreement: Agreement, uploaded_file, user) -> SignedDocument:
    """Check the scan, keep it and mark the PK signed: all or nothing.

    Side effects: one SignedDocument (method 'basah', the current revision, complete) whose
    file goes to the default storage, one Signature per party as printed (user = uploader),
    then the `sign` transition through perform() (history row, notifications). Raises
    WorkflowRefused (may not, or no longer 'disetujui') or ValidationError (file refused);
    then nothing is kept, not even the file.
    """
    reason = upload_refusal(agreement, user)
    if reason:
        raise WorkflowRefused(reason)
    info = validate_scan(uploaded_file, agreement)
    stored = None
    try:
        with transaction.atomic():
            # Two uploads at the same moment: the second waits here, then is refused below.
            locked = (
                Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
            )
            reason = upload_refusal(locked, user)
            if reason:
                raise WorkflowRefused(reason)
            document = SignedDocument(
                agreement=locked,
                revision=locked.revision,
                method=SignatureMethod.WET,
                sha256=info.sha256,
                page_count=info.page_count,
                is_complete=True,
                created_by=user,
            )
            uploaded_file.seek(0)
            document.file.save(_stored_name(locked), uploaded_file, save=False)
            stored = document.file.name
            document.save()
            signed_at = timezone.now()
            parties = [
                (
                    Party.PIHAK_PERTAMA,
                    locked.pihak_pertama_name,
                    locked.pihak_pertama_position,
                    locked.pihak_pertama_nip,
                )
            ]
            if not locked.is_single_signatory and locked.pihak_kedua_name:
                parties.append(
                    (
                        Party.PIHAK_KEDUA,
                        locked.pihak_kedua_name,
                        locked.pihak_kedua_position,
                        locked.pihak_kedua_nip,
                    )
                )
            Signature.objects.bulk_create(
                Signature(
                    document=document,
                    party=party,
                    signer_name=name,
                    signer_position=position,
                    signer_nip=nip,
                    user=user,
                    signed_at=signed_at,
                )
                for party, name, position, nip in parties
            )
            perform(locked, "sign", user)
    except BaseException:
        if stored:
            document.file.storage.delete(stored)
        raise
    agreement.refresh_from_db()
    return document
