"""What an uploaded document really is, read from its content: a name or a header proves
nothing. Used wherever a user hands in "a PDF or an image": the evidence of realisations
(monitoring.evidence) and the proofs of delivery (submissions). The wet-signature scans have
their own, stricter checks (agreements.scans: page counts against the PK).

    document_type(upload) -> "application/pdf" | "image/jpeg" | "image/png" | None
    sanitise_pdf(data) -> bytes          the PDF without JavaScript, actions, embedded files
    sanitised_upload(upload) -> ContentFile   what to store for an uploaded PDF
    attachment_response(handle, filename, content_type) -> FileResponse

Every uploaded PDF (scans, evidence, proofs) is stored sanitised: no JavaScript, no automatic
or triggered actions (OpenAction, AA), no launch/URI/submit actions, no embedded or attached
files, no forms (AcroForm, XFA); a file pikepdf cannot rewrite is refused. Every uploaded file
is served as an attachment with `Content-Security-Policy: sandbox` and `nosniff`, so that even
a file that slipped through runs nothing in the portal's origin.
"""

import io

import pikepdf
from django.core.files.base import ContentFile
from django.http import FileResponse
from PIL import Image
from pypdf import PdfReader

# Action types that run code, open something outside the document, or send data away.
UNSAFE_ACTIONS = {
    "/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
    "/ResetForm", "/Rendition", "/RichMediaExecute", "/Sound", "/Movie", "/Hide", "/SetOCGState",
    "/Thread", "/Named",
}  # fmt: skip
# Keys removed wherever they appear: triggers, scripts, embedded files, rich media.
UNSAFE_KEYS = ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA",
               "/RichMediaContent", "/URI")  # fmt: skip
UNSAFE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}

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


class UnsafePdf(Exception):  # noqa: N818 - reads as what happened
    """The PDF cannot be rewritten without its active content: it is refused."""


def _scrub(obj, seen: set) -> None:
    """Remove active content from `obj` and everything it reaches (each object once)."""
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            _scrub(item, seen)
        return
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    for key in UNSAFE_KEYS:
        if key in obj:
            del obj[key]
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and str(action.get("/S", "")) in UNSAFE_ACTIONS:
        del obj["/A"]
    if str(obj.get("/S", "")) in UNSAFE_ACTIONS and "/Next" in obj:
        del obj["/Next"]
    annotations = obj.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        kept = [a for a in annotations if str(a.get("/Subtype", "")) not in UNSAFE_ANNOTATIONS]
        obj["/Annots"] = pikepdf.Array(kept)
    for key in list(obj.keys()):
        if key not in {"/Parent", "/P"}:  # back-references: reached from the top anyway
            _scrub(obj[key], seen)


def sanitise_pdf(data: bytes) -> bytes:
    """`data` rewritten without JavaScript, actions, embedded files and forms. Raises
    UnsafePdf when pikepdf cannot open or rewrite it (then nothing is stored)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            root = pdf.Root
            for key in ("/AcroForm", "/OpenAction", "/AA", "/URI"):
                if key in root:
                    del root[key]
            _scrub(pdf.trailer, set())
            output = io.BytesIO()
            # Only the objects still reachable are written: removed scripts are gone.
            pdf.save(output, fix_metadata_version=False)
    except Exception as exc:  # a damaged or hostile file fails in many ways
        raise UnsafePdf(str(exc)) from exc
    return output.getvalue()


def sanitised_upload(upload, content_type: str):
    """What to store for an upload of `content_type`: a PDF sanitised (a ContentFile with the
    upload's name), anything else (a verified image) as it came. Raises UnsafePdf."""
    if content_type != "application/pdf":
        upload.seek(0)
        return upload
    upload.seek(0)
    cleaned = sanitise_pdf(upload.read())
    upload.seek(0)
    return ContentFile(cleaned, name=upload.name)


def attachment_response(handle, filename: str, content_type: str) -> FileResponse:
    """An uploaded file as a download that runs nothing: attachment, a sandboxing CSP (no
    script, no same origin, even if a browser renders it), and no content-type sniffing."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
