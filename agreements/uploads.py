"""What an uploaded document really is, read from its content: a name or a header proves
nothing. Used wherever a user hands in "a PDF or an image": the evidence of realisations
(monitoring.evidence) and the proofs of delivery (submissions). The wet-signature scans have
their own, stricter checks (agreements.scans: page counts against the PK).

    document_type(upload) -> "application/pdf" | "image/jpeg" | "image/png" | None
"""

from PIL import Image
from pypdf import PdfReader

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


class EncryptedPdf(Exception):  # noqa: N818 - reads as what happened
    """A PDF locked with a password: it cannot be read, so it cannot be checked."""


def document_type(upload) -> str | None:
    """A PDF whose every page resolves (at least one), or a JPEG/PNG image Pillow verifies;
    None for anything else. Raises EncryptedPdf. Leaves the file at its start."""

    try:
        upload.seek(0)
        head = upload.read(1024)  # a PDF may have a little junk before its header
        upload.seek(0)
        if b"%PDF-" in head:
            reader = PdfReader(upload, strict=False)
            if reader.is_encrypted:
                raise EncryptedPdf
            pages = list(reader.pages)
            # Every page object must resolve, not only the count.
            return "application/pdf" if pages and all(p.mediabox for p in pages) else None
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
        return IMAGE_TYPES.get(kind)
    except EncryptedPdf:
        raise
    # A damaged or hostile file makes pypdf and Pillow raise many kinds of error.
    except Exception:
        return None
    finally:
        upload.seek(0)
