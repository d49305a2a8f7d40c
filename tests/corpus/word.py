"""Word files an office may hand the import instead of last year's PK as a .docx."""

import io
import zipfile

import docx
from openpyxl import Workbook
from PIL import Image

from tests.import_files import save_docx, seed_docx

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def word97_doc() -> bytes:
    """A Word 97-2003 .doc: an OLE compound file (the header is what identifies it)."""
    return OLE_MAGIC + b"\x00" * 504 + b"WordDocument"


def encrypted_docx() -> bytes:
    """A password-protected .docx: Office wraps the encrypted package in an OLE container."""
    return OLE_MAGIC + b"\x00" * 504 + b"EncryptionInfo\x00EncryptedPackage"


def macro_docx() -> bytes:
    """A .docm's content (macro-enabled main part and a vbaProject.bin), whatever its name."""
    content = seed_docx("bontang-2026-subbag-teknis-hukum.csv")
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Override PartName="/word/vbaProject.bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


def images_only_docx() -> bytes:
    """A scanned PK saved as Word: a picture, no text."""
    picture = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(picture, "PNG")
    document = docx.Document()
    document.add_picture(io.BytesIO(picture.getvalue()))
    return save_docx(document)


def unrecognisable_table_docx() -> bytes:
    """A table, but not a PK's: no column we know."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    texts = [("Nama", "Alamat", "Telepon"), ("a", "b", "c"), ("d", "e", "f")]
    for row, values in zip(table.rows, texts, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    return save_docx(document)


def unrecognisable_table_xlsx() -> bytes:
    workbook = Workbook()
    for row in [("Nama", "Alamat", "Telepon"), ("a", "b", "c")]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
