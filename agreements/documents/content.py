"""What a PK document prints, as plain data: the one input of the templates and of the cache key.

`document_context(agreement)` returns only strings, numbers, booleans, lists and dicts, so that
the same value renders the HTML and, serialised, names the stored PDF: whatever the templates
can print is in it, and nothing else is.
"""

import base64
import io

from django.utils import translation
from django.utils.formats import date_format
from PIL import Image, UnidentifiedImageError

from agreements.documents.watermark import watermark_data_uri
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, flatten
from agreements.models import Agreement, AgreementStatus, SignedDocument, StatementTemplate
from organisations.formatting import format_rupiah
from organisations.models import PaperSize, Unit, UnitKind

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_MIME_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
# The states whose PDF is not the office's commitment yet, and the word printed across it. An
# approved PK prints clean: it is the document that is being signed.
WATERMARKS = {
    AgreementStatus.DRAFT: "DRAF",
    AgreementStatus.SUBMITTED: "DIAJUKAN",
    AgreementStatus.RETURNED: "DIKEMBALIKAN",
}
SUBUNIT_LABELS = {UnitKind.SUBBAGIAN: "Subbagian", UnitKind.BAGIAN: "Bagian"}


def document_context(
    agreement: Agreement, wording: dict | None = None, *, with_lampiran: bool = True
) -> dict:
    """Everything the statement and the lampiran print (7 queries plus the logo read); with
    `wording`, that statement wording rather than the PK's own (the admin's preview).
    Without `with_lampiran`, what the statement alone prints: its rows are not read, and the
    statement's content (and so its stored PDF) does not change with a lampiran edit."""
    unit = agreement.unit
    rows = flatten(agreement) if with_lampiran else []
    single = agreement.is_single_signatory
    with translation.override("id"):
        date = date_format(agreement.sign_date) if agreement.sign_date else ""
    title = "PERJANJIAN KINERJA PERUBAHAN" if agreement.is_amendment else "PERJANJIAN KINERJA"
    wording = wording or statement_wording(agreement)
    first = _party(
        agreement.pihak_pertama_name,
        agreement.pihak_pertama_position,
        agreement.pihak_pertama_nip,
    )
    second = _party(
        agreement.pihak_kedua_name,
        agreement.pihak_kedua_position,
        agreement.pihak_kedua_nip,
    )
    return {
        "year": agreement.year,
        "title": title,
        "paper": PaperSize.F4.value if unit.paper_size == PaperSize.F4 else PaperSize.A4.value,
        "watermark": WATERMARKS.get(agreement.status, ""),
        "watermark_image": watermark_data_uri(WATERMARKS.get(agreement.status, "")),
        "document_title": f"{title.title()} Tahun {agreement.year} {unit}",
        "author": unit.name,
        "letterhead": letterhead(unit),
        "single": single,
        "wording": wording,
        "lampiran_subtitle": unit.name.upper() if wording["lampiran_subtitle"] else "",
        "pihak_pertama": first,
        "pihak_kedua": None if single else second,
        "signatures": {
            "pihak_pertama": signature_block(
                "Pihak Pertama", first, agreement.pihak_pertama_signature_position, wording
            ),
            "pihak_kedua": None
            if single
            else signature_block(
                "Pihak Kedua", second, agreement.pihak_kedua_signature_position, wording
            ),
        },
        "place": agreement.place or unit.city,
        "date": date,
        "unit_lines": unit_lines(unit, agreement.year) if with_lampiran else [],
        "table": lampiran_table([r for r in rows if r.jenis == INDIKATOR]),
        "budget": budget_lines([r for r in rows if r.jenis == ANGGARAN]),
    }


def _party(name: str, position: str, nip: str) -> dict:
    return {"name": name.strip(), "position": position.strip(), "nip": nip.strip()}


# --- the statement's wording and signature blocks ---------------------------------------------
# The wording printed when no template covers the PK's year (a database without the data
# migration's templates): the 2026 wording.
FALLBACK_WORDING = {
    "template": "",
    "opening": (
        "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
        "serta berorientasi pada hasil, kami yang bertanda tangan dibawah ini:"
    ),
    "pihak_pertama_role": ["selanjutnya disebut Pihak Pertama."],
    "pihak_kedua_role": ["selaku atasan pihak pertama, selanjutnya disebut Pihak Kedua."],
    "commitment": [],
    "supervision": [],
    "closing": [],
    "signature_upper": False,
    "names_in_brackets": False,
    "lampiran_subtitle": False,
}


def sample_context(wording: dict, *, single: bool) -> dict:
    """A statement with sample parties, to preview a wording without a PK."""
    first = _party("Nama Pihak Pertama", "Jabatan Pihak Pertama", "")
    second = _party("Nama Pihak Kedua", "Jabatan Pihak Kedua", "")
    return {
        "year": 2026,
        "title": "PERJANJIAN KINERJA",
        "paper": PaperSize.A4.value,
        "watermark": "",
        "watermark_image": "",
        "document_title": "Pratinjau pernyataan",
        "author": "",
        "letterhead": {"body": "KOMISI PEMILIHAN UMUM", "office": "KOTA CONTOH", "contacts": []},
        "single": single,
        "wording": wording,
        "lampiran_subtitle": "",
        "pihak_pertama": first,
        "pihak_kedua": None if single else second,
        "signatures": {
            "pihak_pertama": signature_block("Pihak Pertama", first, "", wording),
            "pihak_kedua": None if single else signature_block("Pihak Kedua", second, "", wording),
        },
        "place": "Kota Contoh",
        "date": "15 Januari 2026",
        "unit_lines": [],
        "table": [],
        "budget": [],
    }


def statement_template(agreement: Agreement) -> StatementTemplate | None:
    """The wording of the PK: the version its signed document keeps, else the newest that
    covers its year and kind."""
    document = (
        SignedDocument.objects.filter(
            agreement=agreement, revision=agreement.revision, statement_template__isnull=False
        )
        .select_related("statement_template")
        .first()
    )
    if document is not None:
        return document.statement_template
    return StatementTemplate.objects.for_pk(agreement.year, agreement.is_single_signatory)


def statement_wording(agreement: Agreement) -> dict:
    template = statement_template(agreement)
    return template.wording() if template else FALLBACK_WORDING


def signature_block(role: str, party: dict, printed_position: str, wording: dict) -> dict:
    """The lines of one signature block as the office prints them: the role ("Pihak Pertama,"
    or "PIHAK PERTAMA"), the position lines (the block's own form of the position, else the
    statement's; a line break puts an institution line above it) ending with a comma, the
    name (in brackets where the wording says so) and the NIP."""
    lines = [line.strip() for line in (printed_position or party["position"]).splitlines()]
    lines = [line for line in lines if line]
    if lines and not lines[-1].endswith(","):
        lines[-1] += ","
    name = party["name"]
    if name and wording["names_in_brackets"]:
        name = f"({name})"
    return {
        "role": role.upper() if wording["signature_upper"] else f"{role},",
        "position_lines": lines,
        "name": name,
        "nip": party["nip"],
    }


# --- letterhead ------------------------------------------------------------------------------
def letterhead(unit: Unit) -> dict:
    """The kop surat of the office (satker) the unit belongs to.

    "KOMISI PEMILIHAN UMUM" (or "KOMISI INDEPENDEN PEMILIHAN" for the KIP bodies of Aceh), the
    office ("KOTA BONTANG": the satker's short name without "KPU "/"KIP "), then the address and
    contacts: the unit's own where it has them, else its office's.
    """
    satker = unit.satker or unit
    short = satker.short_name.strip()
    body = "KOMISI INDEPENDEN PEMILIHAN" if short.startswith("KIP") else "KOMISI PEMILIHAN UMUM"
    if satker.kind == UnitKind.KPU:
        office = "REPUBLIK INDONESIA"
    else:
        office = short.removeprefix("KPU ").removeprefix("KIP ").upper()

    def field(name):
        return (getattr(unit, name) or getattr(satker, name) or "").strip()

    contacts = []
    if field("telephone"):
        contacts.append(f"Telp. {field('telephone')}")
    if field("email"):
        contacts.append(f"Email: {field('email')}")
    if field("website"):
        contacts.append(f"Laman: {field('website')}")
    return {
        "body": body,
        "office": office,
        "address": field("address"),
        "contacts": contacts,
        "logo": logo_data_uri(unit),
    }


def logo_data_uri(unit: Unit) -> str:
    """The unit's (else its office's) logo as a data: URI, read through its storage.

    A missing, unreadable, oversized or non-image file prints no logo rather than failing
    the document.
    """

    for candidate in (unit, unit.satker):
        if candidate is None or not candidate.logo:
            continue
        try:
            with candidate.logo.storage.open(candidate.logo.name, "rb") as handle:
                data = handle.read(MAX_LOGO_BYTES + 1)
            if len(data) > MAX_LOGO_BYTES:
                continue
            with Image.open(io.BytesIO(data)) as image:
                mime = LOGO_MIME_TYPES.get(image.format or "")
        except (OSError, UnidentifiedImageError, ValueError):
            continue
        if mime:
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return ""


# --- lampiran header, table and budget -------------------------------------------------------
def unit_lines(unit: Unit, year: int) -> list[dict]:
    """ "Unit Organisasi : …" (and "Subbagian : …" for a Subbagian PK), then the budget year."""
    label = SUBUNIT_LABELS.get(unit.kind)
    if label and unit.parent_id:
        lines = [
            {"label": "Unit Organisasi", "value": unit.parent.short_name},
            {"label": label, "value": unit.short_name.removeprefix(f"{label} ")},
        ]
    else:
        lines = [{"label": "Unit Organisasi", "value": unit.name}]
    return [*lines, {"label": "Tahun Anggaran", "value": str(year)}]


def letter(n: int) -> str:
    """1 -> "A", 26 -> "Z", 27 -> "AA" (programmes, and sasaran under a kegiatan)."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def lampiran_table(rows: list[LampiranRow]) -> list[dict]:
    """The body of the target table, grouped as the seeds print it: a list of blocks.

    Programme headings are lettered (A., B.), kegiatan headings numbered (1., 2.) with their
    code where given, and each run of indicators under one sasaran is one "sasaran" block: its
    number and sasaran cells print on its first row and, when the block is split by a page
    break, again on the first row of the next page (see rendering.layout_repeating). Each
    indicator row carries its position `n` in the table, which names it in the HTML. Sasaran
    are lettered (a., b.) under a kegiatan, else numbered (1., 2.). An empty programme or
    kegiatan means that level does not exist in this PK: no heading.
    """
    table = []
    current_programme = current_kegiatan = current_sasaran = None
    programmes = kegiatan_count = sasaran_count = 0
    for indicator_number, row in enumerate(rows):
        programme = (row.program_kode, row.program)
        kegiatan = (row.kegiatan_kode, row.kegiatan)
        if programme != current_programme:
            current_programme, current_kegiatan, current_sasaran = programme, None, None
            kegiatan_count = sasaran_count = 0
            if row.program:
                programmes += 1
                table.append(_heading("programme", f"{letter(programmes)}.", *programme))
        if kegiatan != current_kegiatan:
            current_kegiatan, current_sasaran = kegiatan, None
            sasaran_count = 0
            if row.kegiatan:
                kegiatan_count += 1
                table.append(_heading("kegiatan", f"{kegiatan_count}.", *kegiatan))
        if row.sasaran != current_sasaran:
            current_sasaran = row.sasaran
            sasaran_count += 1
            number = letter(sasaran_count).lower() if row.kegiatan else str(sasaran_count)
            table.append(
                {"kind": "sasaran", "number": f"{number}.", "sasaran": row.sasaran, "rows": []}
            )
        table[-1]["rows"].append(
            {
                "n": indicator_number,
                "indikator": row.indikator,
                "target": row.target.printed if row.target else "",
            }
        )
    return table


def _heading(kind: str, number: str, code: str, name: str) -> dict:
    return {"kind": kind, "number": number, "code": code, "name": name}


def budget_lines(rows: list[LampiranRow]) -> list[dict]:
    """The budget list under the table: each line's kegiatan (else programme), code and amount."""
    return [
        {
            "number": f"{position}.",
            "code": row.kegiatan_kode if row.kegiatan else row.program_kode,
            "name": row.kegiatan or row.program,
            "amount": format_rupiah(row.anggaran),
        }
        for position, row in enumerate(rows, start=1)
    ]
