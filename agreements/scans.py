"""Wet signatures: the PK printed, signed on paper, scanned, uploaded and confirmed.

    validate_scan(uploaded_file, agreement) -> ScanInfo       refuses anything but a whole PDF
    record_wet_signature(agreement, uploaded_file, user)      stores it: Pindaian diunggah
    confirmable_parties(agreement, user) -> [party]           what this user may confirm
    confirm_scan(agreement, user) -> SignedDocument           the last one: Ditandatangani
    reject_scan(agreement, user, note)                        back to Disetujui

A scan is accepted only when pypdf can parse it (a name ending in .pdf or a "%PDF" header
proves nothing), it is not encrypted, it is at most 20 MB, and it has at least as many pages
as the document generated for this revision (every page was printed, signed and scanned).
It is stored sanitised (agreements.uploads.sanitise_pdf: no JavaScript, actions or embedded
files); its SHA-256 is that of the stored file.

An uploaded file proves nothing about who signed the paper: the PK stays "Pindaian diunggah,
menunggu konfirmasi" until each party's signatory account confirms it is the paper they
signed (where a party has no active signatory account, the approver confirms for it). Each
confirmation is a Signature row (user = who confirmed, signed_at = when); the verification
page says exactly that, never that a cryptographic signature was made.
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pypdf import PdfReader

from agreements.documents import LENGKAP, render_pdf
from agreements.models import (
    Agreement,
    AgreementStatus,
    SignatureMethod,
    SignedDocument,
)
from agreements.signing.rules import (
    parties_of,
    party_memberships,
    printed_party,
    signature_for,
)
from agreements.uploads import UnsafePdf, sanitise_pdf
from agreements.workflow import WorkflowRefused, approver_memberships, perform
from agreements.workflow import refusal as workflow_refusal

logger = logging.getLogger(__name__)

MAX_SCAN_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ScanInfo:
    sha256: str  # of the file as stored (sanitised)
    page_count: int
    content: bytes = b""  # the sanitised file


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
    """Why `user` may not upload the signed scan of `agreement` now, or None when they may:
    a drafter of the PK or one of its signatories (the `upload_scan` rule of
    agreements.workflow, which perform() checks again)."""
    if agreement.status != AgreementStatus.APPROVED:
        return _(
            "Pindaian bertanda tangan basah hanya dapat diunggah untuk PK berstatus Disetujui."
        )
    return workflow_refusal("upload_scan", agreement, user)


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
    try:
        uploaded_file.seek(0)
        content = sanitise_pdf(uploaded_file.read())
    except UnsafePdf as exc:
        logger.info("Refused a scan of PK %s: cannot be sanitised: %s", agreement.pk, exc)
        raise _not_a_pdf() from exc
    finally:
        uploaded_file.seek(0)
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
    return ScanInfo(
        sha256=hashlib.sha256(content).hexdigest(), page_count=page_count, content=content
    )


def _stored_name(agreement: Agreement) -> str:
    return f"pk-{agreement.pk}-r{agreement.revision}-ttd-basah.pdf"


def record_wet_signature(agreement: Agreement, uploaded_file, user) -> SignedDocument:
    """Check the scan and keep it, sanitised: the PK becomes "Pindaian diunggah" and waits for
    each party's confirmation (confirm_scan). All or nothing.

    Side effects: one SignedDocument (method 'basah', the current revision, not complete,
    created_by = the uploader) whose file goes to the default storage, then the `upload_scan`
    transition through perform() (history row, notifications). Raises WorkflowRefused (may
    not, or no longer 'disetujui') or ValidationError (file refused); then nothing is kept,
    not even the file.
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
                is_complete=False,
                created_by=user,
            )
            document.file.save(_stored_name(locked), ContentFile(info.content), save=False)
            stored = document.file.name
            document.save()
            perform(locked, "upload_scan", user)
    except BaseException:
        if stored:
            document.file.storage.delete(stored)
        raise
    agreement.refresh_from_db()
    return document


def pending_scan(agreement: Agreement, *, for_update=False) -> SignedDocument | None:
    """The uploaded scan of the current revision that waits for confirmations."""
    documents = SignedDocument.objects.filter(
        agreement=agreement,
        revision=agreement.revision,
        method=SignatureMethod.WET,
        is_complete=False,
    )
    if for_update:
        documents = documents.select_for_update()
    return documents.order_by("-created_at", "-pk").first()


def confirmable_parties(agreement: Agreement, user, document=None) -> list[str]:
    """The parties whose signature on the uploaded scan `user` may confirm now: those they are
    the signatory account of and, for a party without any active signatory account, the
    approver's. Empty when the PK waits for no confirmation."""
    if agreement.status != AgreementStatus.SCAN_UPLOADED or not user.is_authenticated:
        return []
    document = document if document is not None else pending_scan(agreement)
    if document is None:
        return []
    done = set(document.signatures.values_list("party", flat=True))
    is_approver = approver_memberships(agreement).filter(user=user).exists()
    parties = []
    for party in parties_of(agreement):
        if party in done:
            continue
        accounts = party_memberships(agreement, party)
        if accounts.filter(user=user).exists() or (is_approver and not accounts.exists()):
            parties.append(party)
    return parties


def confirm_scan(agreement: Agreement, user) -> SignedDocument:
    """`user` confirms the uploaded scan is the paper they signed, for each party they may
    (confirmable_parties). Raises WorkflowRefused.

    Side effects, under a lock on the PK: one Signature per confirmed party (the party as
    printed, user = who confirmed, signed_at = now); after the last party the scan is complete
    and the PK becomes Ditandatangani (the `sign` transition, a history row by `user`)."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
        document = pending_scan(locked, for_update=True)
        parties = confirmable_parties(locked, user, document)
        if not parties:
            raise WorkflowRefused(
                _("Tidak ada pindaian PK ini yang menunggu konfirmasi Anda.")
                if locked.status == AgreementStatus.SCAN_UPLOADED
                else _("PK ini tidak sedang menunggu konfirmasi pindaian.")
            )
        now = timezone.now()
        for party in parties:
            signature_for(document, printed_party(locked, party), user, now)
        confirmed = set(document.signatures.values_list("party", flat=True))
        if confirmed >= set(parties_of(locked)):
            document.is_complete = True
            document.save(update_fields=["is_complete", "updated_at"])
            perform(locked, "sign", user)
    agreement.refresh_from_db()
    return document


def reject_scan(agreement: Agreement, user, note: str = "") -> None:
    """`user` (one who may confirm) says the scan is not the paper they signed: the PK goes
    back to Disetujui. Side effects: the `reject_scan` transition with the note (history
    row); the scan and its confirmations are deleted, the file after the commit."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
        document = pending_scan(locked, for_update=True)
        if not confirmable_parties(locked, user, document):
            raise WorkflowRefused(_("Tidak ada pindaian PK ini yang menunggu konfirmasi Anda."))
        perform(locked, "reject_scan", user, note=note or _("Pindaian ditolak."))
        storage, name = document.file.storage, document.file.name
        document.signatures.all().delete()
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))
    agreement.refresh_from_db()
