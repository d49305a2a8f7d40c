"""Files that are not what their name says, or are broken: fake and damaged PDFs, images,
zips. Each builder returns bytes."""

import io
import zipfile

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
