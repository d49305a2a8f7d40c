"""Files that are not what their name says, or are broken: fake and damaged PDFs, images,
zips. Each builder returns bytes."""

import io
import zipfile

import pikepdf
from PIL import Image
from pypdf import PdfWriter


def pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None:
        writer.encrypt(password, "pemilik")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    data = pdf(3)
    return data[: len(data) // 2]


def html_page() -> bytes:
    return b"<!doctype html><html><body><script>alert(1)</script>Ditandatangani</body></html>\n"


def html_with_pdf_header() -> bytes:
    return b"%PDF-1.7\n<html><script>alert('x')</script></html>\n%%EOF\n"


def plain_text() -> bytes:
    return b"Tanda tangan sudah dibubuhkan.\n" * 50


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pindaian/halaman-1.jpg", b"\xff\xd8\xff" + b"0" * 2000)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def image(kind: str = "PNG") -> bytes:

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def truncated_image() -> bytes:
    data = image("PNG")
    return data[: len(data) // 2]


def gif_image() -> bytes:
    return image("GIF")


def javascript_pdf(pages: int = 1) -> bytes:
    """Blank pages with an OpenAction JavaScript, a page action, a launch link and an embedded
    executable: what the tester uploaded as a "scan"."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    script = pdf.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('PK Portal')")))  # fmt: skip
    pdf.Root.OpenAction = script
    payload = pdf.make_stream(b"MZ-payload-of-the-tester")
    attachment = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("x.exe"),
                                    EF=pikepdf.Dictionary(F=payload))  # fmt: skip
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), attachment])),
    )
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=script)
    page.obj.Annots = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 50, 50],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))))])  # fmt: skip
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False)
    return buffer.getvalue()
