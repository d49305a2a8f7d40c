"""Files in the layouts offices really have, made from the seed PKs, for the import tests.

`seed_docx(seed)` writes last year's PK as Word would hold it: the statement page, then the
lampiran table in that seed's real column structure (NO | SASARAN STRATEGIS | INDIKATOR
KINERJA | TARGET, a numbering row, programme/kegiatan heading rows merged across the table,
each sasaran merged down over its indicators), then the budget list and the signatures.
`SHAPES` are five spreadsheets that are not our template.
"""

import csv
import io

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook
from openpyxl.styles import Alignment

from agreements.seeds import NOT_IN_SOURCE, SEED_DIR, manifest
from organisations.formatting import format_rupiah

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]  # fmt: skip
LETTERS = "ABCDEFGH"


def seed_rows(file: str) -> list[dict]:
    """The seed's rows; a target the source does not show (left empty in the seed, NOTES.md)
    is written as the seed loader reads it (agreements.seeds.NOT_IN_SOURCE)."""
    with open(SEED_DIR / file, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["jenis"] == "INDIKATOR" and not row["target"].strip():
            row["target"] = NOT_IN_SOURCE
    return rows


def seed_csv(file: str) -> bytes:
    """The seed file as the rows above (our template format)."""
    rows = seed_rows(file)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def seed_by_file(file: str):
    return next(s for s in manifest() if s.file == file)


def grouped(rows):
    """[(programme row, [(kegiatan row, [(sasaran, [indicator rows])])])], in printed order."""
    programmes = []
    for row in (r for r in rows if r["jenis"] == "INDIKATOR"):
        p_key = (row["program_kode"], row["program"])
        if not programmes or programmes[-1][0] != p_key:
            programmes.append((p_key, []))
        kegiatan = programmes[-1][1]
        k_key = (row["kegiatan_kode"], row["kegiatan"])
        if not kegiatan or kegiatan[-1][0] != k_key:
            kegiatan.append((k_key, []))
        sasaran = kegiatan[-1][1]
        if not sasaran or sasaran[-1][0] != row["sasaran"]:
            sasaran.append((row["sasaran"], []))
        sasaran[-1][1].append(row)
    return programmes


def layout_of(file: str) -> str:
    if file == "sorong-2024-ketua.csv":
        return "sasaran"
    if file == "sorong-2024-sekretariat.csv":
        return "kegiatan-kode"
    return "program-kegiatan"


def date_text(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --- Word ------------------------------------------------------------------------------------
def _statement(document, seed, text_box=False):
    entry = seed.entry
    document.add_paragraph(f"PERJANJIAN KINERJA TAHUN {seed.year}")
    document.add_paragraph(
        "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
        "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:"
    )
    lines = []
    for party, closing in (
        (entry["pihak_pertama"], "selanjutnya disebut Pihak Pertama."),
        (entry.get("pihak_kedua"), "selaku atasan pihak pertama, selanjutnya disebut Pihak Kedua."),
    ):
        if not party:
            continue
        lines += [f"Nama : {party['name']}", f"Jabatan : {party['position']}"]
        if party.get("nip") and seed.file != "sorong-2024-sekretariat.csv":
            lines.append(f"NIP : {party['nip']}")
        if entry.get("pihak_kedua"):
            lines.append(closing)
    if text_box:
        add_text_box(document, lines)
    else:
        for line in lines:
            document.add_paragraph(line)
    document.add_paragraph(
        "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
        "perjanjian ini."
    )
    document.add_paragraph(f"{entry['place']}, {date_text(entry['date'])}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_text_box(document, lines):
    """A VML text box holding `lines`, as older Word versions save one."""
    inner = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    xml = (
        f'<w:p {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict>'
        '<v:shape style="width:400pt;height:120pt">'
        f"<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</w:r></w:p>"
    )
    document.element.body.append(parse_xml(xml))


def _merge_across(table, row_index, start=0):
    row = table.rows[row_index]
    merged = row.cells[start].merge(row.cells[len(row.cells) - 1])
    return merged


def _header(table, numbering="({})"):
    for index, text in enumerate(["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"]):
        table.rows[0].cells[index].text = text
    numbers = table.add_row()
    for index in range(4):
        numbers.cells[index].text = numbering.format(index + 1)


def _set(cell, text):
    cell.text = text
    return cell


def _sasaran_block(table, sasaran_text, indicators, number="", nested=None):
    first = len(table.rows)
    for position, row in enumerate(indicators):
        cells = table.add_row().cells
        if nested:
            _set(cells[0], f"{nested}.{position + 1}")
        _set(cells[2], (f"{'abcdefgh'[position]}) " if nested else "") + row["indikator"])
        _set(cells[3], row["target"])
    last = len(table.rows) - 1
    top = table.rows[first].cells[1]
    if last > first:
        top = top.merge(table.rows[last].cells[1])
        if number and not nested:
            table.rows[first].cells[0].merge(table.rows[last].cells[0])
    top.text = sasaran_text
    if number and not nested:
        table.rows[first].cells[0].text = number


def lampiran_table(document, rows, layout, *, split_after=0, repeat_header_every=0,
                   nested=False):  # fmt: skip
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    _header(table, "[{}]" if layout != "program-kegiatan" else "({})")
    written = 0

    def maybe_break():
        nonlocal table, written
        written += 1
        if split_after and written == split_after:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            table = document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            _header(table)
        elif repeat_header_every and written % repeat_header_every == 0:
            cells = table.add_row().cells
            for index, text in enumerate(
                ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"]
            ):
                cells[index].text = text

    sasaran_number = 0
    for p_index, ((_p_code, p_name), kegiatan) in enumerate(grouped(rows)):
        if layout == "program-kegiatan" and p_name:
            table.add_row()
            _merge_across(table, len(table.rows) - 1).text = f"{LETTERS[p_index]}. {p_name}"
        for k_index, ((k_code, k_name), sasaran_list) in enumerate(kegiatan, start=1):
            marker = f"{p_index + 1}.{k_index}" if nested else f"{k_index}."
            if layout == "kegiatan-kode":
                cells = table.add_row().cells
                cells[0].text = f"{k_index}."
                _merge_across(table, len(table.rows) - 1, start=1).text = f"{k_code} {k_name}"
            elif layout == "program-kegiatan" and k_name:
                table.add_row()
                _merge_across(table, len(table.rows) - 1).text = f"{marker} {k_name}"
            for s_index, (sasaran, indicators) in enumerate(sasaran_list):
                sasaran_number += 1
                if layout == "kegiatan-kode":
                    text = f"{'abcdefghijklmnopqrstuvwxyz'[s_index]}. {sasaran}"
                    _sasaran_block(table, text, indicators)
                elif layout == "sasaran":
                    _sasaran_block(table, sasaran, indicators, number=f"{sasaran_number}.")
                else:
                    _sasaran_block(
                        table, sasaran, indicators,
                        nested=f"{marker}.{s_index + 1}" if nested else None,
                    )  # fmt: skip
                maybe_break()
    return table


def _budget_name(row):
    name = row["kegiatan"] or row["program"]
    if row["kegiatan"] == "" and row["program_kode"]:
        return f"{name} ({row['program_kode']})"
    return name


def budget_list(document, rows, layout):
    budget = [r for r in rows if r["jenis"] == "ANGGARAN"]
    if layout == "program-kegiatan":
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "Kegiatan"
        table.rows[0].cells[1].text = "Anggaran"
        for index, row in enumerate(budget, start=1):
            cells = table.add_row().cells
            cells[0].text = f"{index}. {_budget_name(row)}"
            cells[1].text = format_rupiah(int(row["anggaran"]))
    else:
        document.add_paragraph("")
        for index, row in enumerate(budget, start=1):
            amount = format_rupiah(int(row["anggaran"])).replace("Rp ", "Rp. ")
            document.add_paragraph(f"{index}. {_budget_name(row)} = {amount}")


def signatures(document, seed):
    entry = seed.entry
    document.add_paragraph(f"{entry['place']}, {date_text(entry['date'])}")
    for label, party in (("PIHAK KEDUA", entry.get("pihak_kedua")),
                         ("PIHAK PERTAMA", entry["pihak_pertama"])):  # fmt: skip
        if not party:
            continue
        document.add_paragraph(label)
        document.add_paragraph(party["position"] + ",")
        document.add_paragraph(party["name"])
        if party.get("nip"):
            document.add_paragraph(f"NIP. {party['nip']}")


def seed_docx(file: str, rows=None, **odd) -> bytes:
    """Last year's PK of the seed `file` as a .docx. `odd`: split_after=N (the table split
    across pages after N sasaran), repeat_header_every=N, nested=True (nested numbering),
    text_box=True (the parties in a text box)."""
    seed = seed_by_file(file)
    rows = rows or seed_rows(file)
    layout = layout_of(file)
    document = docx.Document()
    _statement(document, seed, text_box=odd.pop("text_box", False))
    document.add_paragraph(f"PERJANJIAN KINERJA TAHUN {seed.year}")
    document.add_paragraph(f"Tahun Anggaran : {seed.year}")
    lampiran_table(document, rows, layout, **odd)
    budget_list(document, rows, layout)
    signatures(document, seed)
    return save_docx(document)


def save_docx(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- spreadsheets ----------------------------------------------------------------------------
def _xlsx(sheet_rows, merges=(), formats=None, title="PK") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in sheet_rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
        # A merged range keeps its value in the first cell only, as Excel saves it.
    for (row, col), number_format in (formats or {}).items():
        sheet.cell(row, col).number_format = number_format
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shape_merged_sasaran_xlsx(file="bontang-2026-sekretariat.csv", rows=None) -> bytes:
    """Title lines above the table, a numbering row, headings merged across, each sasaran
    merged down over its indicators, the budget block under the table."""
    rows = rows or seed_rows(file)
    out = [["PERJANJIAN KINERJA TAHUN 2026"], ["Unit Organisasi : Sekretariat KPU Kota Bontang"],
           [], ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"], [1, 2, 3, 4]]  # fmt: skip
    merges = []
    for p_index, ((_code, p_name), kegiatan) in enumerate(grouped(rows)):
        out.append([f"{LETTERS[p_index]}. {p_name}", None, None, None])
        merges.append(f"A{len(out)}:D{len(out)}")
        for k_index, ((_kc, k_name), sasaran_list) in enumerate(kegiatan, start=1):
            out.append([f"{k_index}. {k_name}"])
            merges.append(f"A{len(out)}:D{len(out)}")
            for sasaran, indicators in sasaran_list:
                start = len(out) + 1
                for position, row in enumerate(indicators):
                    out.append([None, sasaran if position == 0 else None, row["indikator"],
                                row["target"]])  # fmt: skip
                if len(indicators) > 1:
                    merges.append(f"B{start}:B{len(out)}")
    out += [[], ["Kegiatan Anggaran"]]
    for index, row in enumerate((r for r in rows if r["jenis"] == "ANGGARAN"), start=1):
        out.append([f"{index}.", _budget_name(row), None, format_rupiah(int(row["anggaran"]))])
    out += [[], ["Bontang, 15 Januari 2026"]]
    return _xlsx(out, merges)


def shape_flat_csv(file="bontang-2026-subbag-teknis-hukum.csv") -> bytes:
    """Semicolon CSV with programme and kegiatan columns, each written once and left empty
    below (as people fill a sheet), the target split into a number and a Satuan column."""
    rows = seed_rows(file)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Rencana kinerja 2026"])
    writer.writerow(["No", "Program", "Kegiatan", "Sasaran Strategis", "Indikator Kinerja",
                     "Target", "Satuan"])  # fmt: skip
    previous = {}
    for number, row in enumerate((r for r in rows if r["jenis"] == "INDIKATOR"), start=1):
        target = row["target"]
        value, _space, unit = target.partition(" ")
        if target.endswith("%"):
            value, unit = target[:-1], "%"
        cells = [number]
        for name in ("program", "kegiatan", "sasaran"):
            cells.append("" if previous.get(name) == row[name] else row[name])
            previous[name] = row[name]
        writer.writerow([*cells, row["indikator"], value, unit])
    writer.writerow([])
    writer.writerow(["", "Anggaran"])
    for row in (r for r in rows if r["jenis"] == "ANGGARAN"):
        writer.writerow(["", row["program"], row["kegiatan"], "", "", "",
                         format_rupiah(int(row["anggaran"]))])  # fmt: skip
    return buffer.getvalue().encode("utf-8-sig")


def shape_code_column_xlsx(file="sorong-2024-sekretariat.csv") -> bytes:
    """A KODE column: kegiatan heading rows carry their code there; sasaran lettered a., b.;
    the budget block at the bottom has the programme codes in the same column and the
    amounts as numbers in an Anggaran column."""
    rows = seed_rows(file)
    out = [["Kode", "Program/Kegiatan/Sasaran", "Indikator Kinerja", "Target", "Anggaran (Rp)"]]
    formats = {}
    for _p, kegiatan in grouped(rows):
        for (k_code, k_name), sasaran_list in kegiatan:
            out.append([k_code, k_name])
            for s_index, (sasaran, indicators) in enumerate(sasaran_list):
                for position, row in enumerate(indicators):
                    label = f"{'abcdefghijklmnop'[s_index]}. {sasaran}" if position == 0 else ""
                    out.append(["", label, row["indikator"], row["target"]])
    out += [[], ["", "Pagu Anggaran"]]
    for row in (r for r in rows if r["jenis"] == "ANGGARAN"):
        out.append([row["program_kode"], row["program"], None, None, int(row["anggaran"])])
        formats[(len(out), 5)] = '"Rp "#,##0'
    return _xlsx(out, formats=formats)


def shape_percent_cells_xlsx(file="bontang-2026-subbag-keuangan-umum-logistik.csv") -> bytes:
    """Explicit Program and Kegiatan columns merged down, percentage targets as Excel
    percentage cells (0.95 shown as 95%), a Keterangan column to ignore, and per-kegiatan
    budget lines under a "Rincian Anggaran" heading with amounts as numbers."""
    rows = seed_rows(file)
    out = [["No.", "Program", "Kegiatan", "Sasaran", "Indikator", "Target 2026", "Keterangan"]]
    formats, merges = {}, []
    for number, row in enumerate((r for r in rows if r["jenis"] == "INDIKATOR"), start=1):
        target = row["target"]
        value = target
        if target.endswith("%"):
            value = int(target[:-1]) / 100
        out.append([number, row["program"], row["kegiatan"], row["sasaran"], row["indikator"],
                    value, "sesuai Renstra"])  # fmt: skip
        if isinstance(value, float):
            formats[(len(out), 6)] = "0%"
    # merge each run of equal programme/kegiatan cells, as the office's sheet does
    for col, letter in ((2, "B"), (3, "C")):
        start = 2
        for index in range(3, len(out) + 2):
            if index > len(out) or out[index - 1][col - 1] != out[start - 1][col - 1]:
                if index - 1 > start:
                    merges.append(f"{letter}{start}:{letter}{index - 1}")
                    for blank in range(start + 1, index):
                        out[blank - 1][col - 1] = None
                start = index
    out += [[], [None, "Rincian Anggaran"]]
    for row in (r for r in rows if r["jenis"] == "ANGGARAN"):
        out.append([None, row["program"], row["kegiatan"], None, None, int(row["anggaran"])])
    return _xlsx(out, merges, formats)


def shape_sorong_ketua_xlsx(file="sorong-2024-ketua.csv") -> bytes:
    """NO and sasaran merged down over the indicators, [1]…[4] numbering, no programme or
    kegiatan level, the budget line wrapped over two rows with its code on the second."""
    rows = seed_rows(file)
    out = [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"], ["[1]", "[2]", "[3]", "[4]"]]
    merges = []
    for number, (sasaran, indicators) in enumerate(grouped(rows)[0][1][0][1], start=1):
        start = len(out) + 1
        for position, row in enumerate(indicators):
            out.append([f"{number}." if position == 0 else None,
                        sasaran if position == 0 else None, row["indikator"], row["target"]])  # fmt: skip
        if len(indicators) > 1:
            merges += [f"A{start}:A{len(out)}", f"B{start}:B{len(out)}"]
    budget = next(r for r in rows if r["jenis"] == "ANGGARAN")
    amount = format_rupiah(int(budget["anggaran"])).replace("Rp ", "Rp. ")
    out += [[], ["1.", "Program Penyelenggaraan Pemilu Dalam Proses Konsolidasi", "=", amount],
            [None, "Demokrasi (076.01.CQ)"]]  # fmt: skip
    return _xlsx(out, merges)


SHAPES = {
    "merged sasaran and a budget block (.xlsx)": (shape_merged_sasaran_xlsx,
                                                  "bontang-2026-sekretariat.csv", "x.xlsx"),
    "flat semicolon CSV with a Satuan column": (shape_flat_csv,
                                                "bontang-2026-subbag-teknis-hukum.csv", "x.csv"),
    "a KODE column and numeric amounts": (shape_code_column_xlsx,
                                          "sorong-2024-sekretariat.csv", "x.xlsx"),
    "percentage cells and merged programme columns": (
        shape_percent_cells_xlsx, "bontang-2026-subbag-keuangan-umum-logistik.csv", "x.xlsx"),
    "NO and sasaran merged, a wrapped budget line": (shape_sorong_ketua_xlsx,
                                                     "sorong-2024-ketua.csv", "x.xlsx"),
}  # fmt: skip


def enlarged_rows(file="bontang-2026-sekretariat.csv", indicators=250) -> list[dict]:
    """The seed's rows repeated (each copy's kegiatan and indicators numbered) up to
    `indicators` indicator rows, then its budget lines: a PK as large as the largest real one."""
    rows = seed_rows(file)
    base = [r for r in rows if r["jenis"] == "INDIKATOR"]
    out = []
    copy = 0
    while len(out) < indicators:
        copy += 1
        for row in base[: indicators - len(out)]:
            out.append({**row, "kegiatan": f"{row['kegiatan']} {copy}",
                        "indikator": f"{row['indikator']} ({copy})"})  # fmt: skip
    programmes = list(dict.fromkeys(r["program"] for r in base))
    out.sort(key=lambda r: programmes.index(r["program"]))  # stable: copies stay in order
    return out + [r for r in rows if r["jenis"] == "ANGGARAN"]
