"""Evidence files (bukti dukung) of a realisation: a whole PDF or a JPEG/PNG image.

    validate_evidence(uploaded_file) -> EvidenceInfo     refuses anything else, with a message

What the file is comes from its content (agreements.uploads.document_type: a PDF whose every
page parses and that is not encrypted, or a JPEG/PNG image Pillow verifies). At most
MAX_EVIDENCE_BYTES, never empty.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agreements.uploads import EncryptedPdf, UnsafePdf, document_type, sanitise_pdf

logger = logging.getLogger(__name__)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_PER_REALISATION = 10


@dataclass(frozen=True)
class EvidenceInfo:
    content_type: str
    sha256: str
    size: int
    original_name: str
    content: bytes = b""  # a PDF's sanitised bytes, to store instead of the upload


def _refused() -> ValidationError:
    return ValidationError(
        _(
            "Bukti dukung harus berkas PDF yang utuh atau gambar JPEG/PNG. Berkas ini tidak "
            "dapat dibaca sebagai salah satunya (dokumen Word, arsip ZIP atau berkas yang "
            "terpotong tidak diterima)."
        ),
        code="not_evidence",
    )


def validate_evidence(uploaded_file) -> EvidenceInfo:
    """Check one uploaded evidence file; raise ValidationError saying what is wrong."""
    size = uploaded_file.size
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s MB); batasnya %(max)d MB.")
            % {
                "name": uploaded_file.name,
                "size": number_format(size / 1024 / 1024, 1),
                "max": MAX_EVIDENCE_BYTES // (1024 * 1024),
            },
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Berkas bukti dukung kosong."), code="empty")
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    try:
        content_type = document_type(uploaded_file)
    except EncryptedPdf:
        raise ValidationError(
            _("PDF ini dikunci dengan kata sandi. Simpan ulang tanpa kata sandi."),
            code="encrypted",
        ) from None
    if content_type is None:
        logger.info("Refused an evidence file %r", uploaded_file.name)
        raise _refused()
    name = (uploaded_file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if content_type == "application/pdf":
        try:
            content = sanitise_pdf(uploaded_file.read())
        except UnsafePdf:
            logger.info("Refused an evidence file %r: cannot be sanitised", uploaded_file.name)
            raise _refused() from None
        finally:
            uploaded_file.seek(0)
        digest = hashlib.sha256(content)
        return EvidenceInfo(
            content_type, digest.hexdigest(), len(content), name or "bukti", content
        )
    return EvidenceInfo(content_type, digest.hexdigest(), size, name or "bukti")
