"""Evidence files (bukti dukung) of a realisation: a whole PDF or a JPEG/PNG image.

    validate_evidence(uploaded_file) -> EvidenceInfo     refuses anything else, with a message

Like the wet-signature scans (agreements.scans), a name or a header proves nothing: a PDF is
accepted only when pypdf parses every page and it is not encrypted; an image only when Pillow
recognises it as JPEG or PNG and verifies it. At most MAX_EVIDENCE_BYTES, never empty.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_PER_REALISATION = 10
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class EvidenceInfo:
    content_type: str
    sha256: str
    size: int
    original_name: str


def _refused() -> ValidationError:
    return ValidationError(
        _(
            "Bukti dukung harus berkas PDF yang utuh atau gambar JPEG/PNG. Berkas ini tidak "
            "dapat dibaca sebagai salah satunya (dokumen Word, arsip ZIP atau berkas yang "
            "terpotong tidak diterima)."
        ),
        code="not_evidence",
    )


def _pdf(uploaded_file) -> str | None:
    """'application/pdf' when the file is a readable PDF; raise when encrypted."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(uploaded_file, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("PDF ini dikunci dengan kata sandi. Simpan ulang tanpa kata sandi."),
                code="encrypted",
            )
        for page in reader.pages:  # every page object must resolve, not only the count
            _box = page.mediabox
    except ValidationError:
        raise
    # A damaged or hostile file makes pypdf raise many kinds of error.
    except Exception:
        return None
    return "application/pdf"


def _image(uploaded_file) -> str | None:
    from PIL import Image

    try:
        with Image.open(uploaded_file) as image:
            kind = image.format
            image.verify()
    except Exception:  # Pillow raises several kinds for a file that is not an image
        return None
    return IMAGE_TYPES.get(kind)


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
    uploaded_file.seek(0)
    head = uploaded_file.read(1024)  # a PDF may have a little junk before its header
    uploaded_file.seek(0)
    try:
        content_type = _pdf(uploaded_file) if b"%PDF-" in head else _image(uploaded_file)
    finally:
        uploaded_file.seek(0)
    if content_type is None:
        logger.info("Refused an evidence file %r", uploaded_file.name)
        raise _refused()
    name = (uploaded_file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    return EvidenceInfo(content_type, digest.hexdigest(), size, name or "bukti")
