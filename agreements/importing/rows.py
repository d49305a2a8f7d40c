"""A grid and its column mapping → the lampiran rows, with every problem by sheet/row/column.

What a PK table holds besides indicator rows, as the seed PKs print it:
- heading rows: "A. Program Penyelenggaraan Pemilihan Umum" (a programme), "1. Pengelolaan
  Keuangan" or "3355 Pengelolaan Keuangan dan BMN" (a kegiatan), merged across the table or in
  one column; a code (076.01.WA, 3355) in the text, in brackets or in a KODE column;
- a sasaran merged down over its indicators (the readers fill it in; an empty sasaran cell in a
  plain sheet takes the one above), lettered "a." in the Sorong Sekretariat layout;
- the numbering row (1) (2) (3) (4) and the header repeated on each page (skipped);
- the budget block under the table ("Kegiatan Anggaran", then "1. Program … Rp 21.057.000,-").
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agreements.importing.columns import (
    ANGGARAN,
    IGNORE,
    INDIKATOR,
    KEGIATAN,
    KODE,
    NO,
    PROGRAM,
    SASARAN,
    SATUAN,
    TARGET,
    Header,
    is_numbering,
    normalise_header,
)
from agreements.importing.sources import Grid, is_date, is_formula
from agreements.rows import ANGGARAN as JENIS_ANGGARAN
from agreements.rows import INDIKATOR as JENIS_INDIKATOR
from agreements.spreadsheet import (
    MAX_ROWS,
    LampiranRowForm,
    ParsedLampiran,
    Problem,
    date_message,
    formula_message,
)
from agreements.tables import cell_text

TEXT_ROLES = (PROGRAM, KEGIATAN, SASARAN, INDIKATOR, TARGET)
PROGRAMME_CODE = re.compile(r"\b\d{3}\.\d{2}\.[A-Z]{2}\b")
KEGIATAN_CODE = re.compile(r"^\d{4}$")
_LEADING_CODE = re.compile(r"^(?P<code>\d{3}\.\d{2}\.[A-Z]{2}|\d{4})\b[\s.:-]*")
_BRACKETED_CODE = re.compile(r"\s*\((?P<code>\d{3}\.\d{2}\.[A-Z]{2}|\d{4})\)\s*")
# "A.", "1.", "1.2.", "a.", "1)", "a)": the marker tells a programme (capital letter), a kegiatan
# (a number) or a lettered sasaran/output (small letter).
_MARKER = re.compile(
    r"^(?:(?P<nested>\d{1,2}(?:\.\d{1,2})+)\.?\s+|(?P<marker>[A-Z]|\d{1,2}|[a-z])[.)]\s*"
    r"|(?P<letter>[A-B])\s+(?=Program\b))"
)
_AMOUNT = re.compile(r"(?i)\brp\.?\s*(?P<amount>\d{1,3}(?:[.,]\d{3})+|\d+)(?:,-|,00|\.-|,\.-)?")
_PLAIN_AMOUNT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,-|,00)?$|^\d{5,}$")
_BUDGET_HEADING = re.compile(
    r"^((program|kegiatan|rincian|jumlah)( dan| /)? )?(anggaran|pagu)( \w+)?$|^kegiatan anggaran"
)
_TOTAL = re.compile(r"(?i)^(jumlah|total)\b")
_SIGNATURE = re.compile(r"(?i)^(pihak (pertama|kedua)|[A-Z][\w .'-]+,\s*\d{1,2}\s+\w+\s+\d{4})")

FIELD_ROLE = {
    "program_kode": KODE,
    "program": PROGRAM,
    "kegiatan_kode": KODE,
    "kegiatan": KEGIATAN,
    "sasaran": SASARAN,
    "indikator": INDIKATOR,
    "target": TARGET,
    "anggaran": ANGGARAN,
}


@dataclass
class _State:
    program_kode: str = ""
    program: str = ""
    kegiatan_kode: str = ""
    kegiatan: str = ""
    sasaran: str = ""
    in_budget: bool = False
    budget: list = field(default_factory=list)  # [sheet, number, fields]
    kegiatan_programme: dict = field(default_factory=dict)  # kegiatan name -> programme


def strip_marker(text: str) -> tuple[str, str]:
    match = _MARKER.match(text)
    if not match or len(text) == match.end():
        return "", text
    marker = match.group("nested") or match.group("marker") or match.group("letter")
    return marker, text[match.end() :].strip()


def split_code(text: str, code: str = "") -> tuple[str, str]:
    """("3355 Pengelolaan Keuangan", "") → ("3355", "Pengelolaan Keuangan"); also a code in
    brackets at the end: "Program Dukungan Manajemen (076.01.WA)"."""
    bracketed = _BRACKETED_CODE.search(text)
    if bracketed:
        code = code or bracketed.group("code")
        text = (text[: bracketed.start()] + " " + text[bracketed.end() :]).strip()
    leading = _LEADING_CODE.match(text)
    if leading and len(text) > leading.end():
        code = code or leading.group("code")
        text = text[leading.end() :]
    return code, re.sub(r"\s+", " ", text).strip(" =:-")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _amount_in(texts: list[str]) -> tuple[str, str]:
    """The amount written in a budget line and the line's text without it."""
    joined = " ".join(texts)
    match = _AMOUNT.search(joined)
    if match:
        rest = (joined[: match.start()] + " " + joined[match.end() :]).strip()
        return match.group("amount"), rest
    for index, text in enumerate(texts):
        if _PLAIN_AMOUNT.match(text.strip()):
            return text.strip(), " ".join(t for i, t in enumerate(texts) if i != index)
    return "", joined


def interpret(grids: list[Grid], header: Header, roles: list[str], fixes=None) -> ParsedLampiran:
    """The lampiran rows of the table under `header`, read with `roles` (one per column), and of
    the budget block after it. `fixes` ({(sheet, row, field): text}) are corrections the user
    typed in the preview for flagged cells. Never raises for bad input."""
    fixes = fixes or {}
    result = ParsedLampiran()
    state = _State()
    indicator_rows = []  # (sheet, number, fields)
    header_key = [normalise_header(c.header) for c in header.columns]
    width = len(roles)
    first = grids[header.grid_index]
    sequence = [(first, first.rows[header.row_position + 1 :])]
    for grid in grids[header.grid_index + 1 :]:
        sequence.append((grid, grid.rows))
    labels = {
        role: ", ".join(
            f"{c.letter} ({c.header})" if c.header else c.letter
            for c, r in zip(header.columns, roles, strict=False)
            if r == role
        )
        for role in set(roles)
    }
    for grid, rows in sequence:
        # A table of the same width continues the lampiran (split across pages); any other
        # table or the text of the document can only hold the budget list.
        is_lampiran = not grid.is_text and (
            grid is first or len(grid.rows[0].cells) == len(first.rows[0].cells)
        )
        for row in rows:
            cells = row.cells
            texts = [cell_text(c) for c in cells]
            if not is_lampiran:
                if state.in_budget or _AMOUNT.search(" ".join(texts)):
                    _budget_line(grid, row.number, texts, state, result)
                continue
            if [normalise_header(t) for t in texts[:width]] == header_key[: len(texts)]:
                continue  # the header repeated on the next page
            if all(is_numbering(t) for t in texts if t):
                continue
            problems = [
                (i, v) for i, v in enumerate(cells[:width]) if roles[i] != IGNORE and
                (is_formula(v) or is_date(v))
            ]  # fmt: skip
            if problems:
                for index, value in problems:
                    result.problems.append(
                        Problem(
                            grid.name, row.number, labels[roles[index]], _formula_or_date(value)
                        )
                    )
                continue
            values = {}
            for index, role in enumerate(roles):
                text = texts[index] if index < len(texts) else ""
                if role != IGNORE and text and text not in values.get(role, []):
                    values.setdefault(role, []).append(text)
            value = {role: _clean(" ".join(parts)) for role, parts in values.items()}
            joined = normalise_header(" ".join(dict.fromkeys(t for t in texts if t)))
            if _BUDGET_HEADING.match(joined):
                state.in_budget = True
                continue
            if not state.in_budget and _AMOUNT.search(value.get(TARGET, "")):
                state.in_budget = True  # "1. Program … = Rp 5.113.999.000,-" under the table
            if state.in_budget:
                if value.get(PROGRAM) or value.get(KEGIATAN):
                    _budget_columns(grid, row.number, value, texts, state)
                else:
                    _budget_line(grid, row.number, texts, state, result)
                continue
            distinct = {value[r] for r in TEXT_ROLES if value.get(r)}
            has_indicator = bool(value.get(INDIKATOR)) and value.get(INDIKATOR) != value.get(
                SASARAN
            )
            if not has_indicator and len(distinct) <= 1:
                if distinct:
                    _heading(distinct.pop(), value, state, grid, row.number, result)
                elif value.get(ANGGARAN) or value.get(KODE):
                    _heading("", value, state, grid, row.number, result)
                continue
            _indicator(value, state, grid.name, row.number, indicator_rows)
            if len(indicator_rows) > MAX_ROWS:
                break
    if len(indicator_rows) + len(state.budget) > MAX_ROWS:
        result.problems.append(
            Problem(
                first.name,
                None,
                "",
                _("Tabel berisi lebih dari %(max)d baris; satu PK tidak sebanyak itu.")
                % {"max": MAX_ROWS},
            )
        )
        return result
    for sheet, number, fields in indicator_rows + state.budget:
        if fields["jenis"] == JENIS_ANGGARAN and not fields["program"] and fields["kegiatan"]:
            fields["program"], fields["program_kode"] = _programme_of(fields["kegiatan"], state)
        for name in fields:
            if (sheet, number, name) in fixes:
                fields[name] = fixes[(sheet, number, name)]
        form = LampiranRowForm(fields)
        if form.is_valid():
            result.rows.append(form.to_row())
        else:
            for name, errors in form.errors.items():
                column = labels.get(FIELD_ROLE.get(name), "") or name
                for message in errors:
                    result.problems.append(Problem(sheet, number, column, message, field=name))
    if not result.problems and not indicator_rows:
        result.problems.append(
            Problem(first.name, None, "", _("Tidak ada baris indikator di bawah judul tabel."))
        )
    return result


def _formula_or_date(value) -> str:
    return formula_message() if is_formula(value) else date_message(value)


def _heading(text, value, state, grid, number, result):
    number_marker, _rest = strip_marker(value.get(NO, ""))
    marker, text = strip_marker(text)
    marker = marker or number_marker
    code, name = split_code(text, value.get(KODE, ""))
    is_programme = (
        bool(PROGRAMME_CODE.fullmatch(code))
        or name.lower().startswith("program ")
        or (len(marker) == 1 and marker.isupper())
    )
    if is_programme:
        state.program_kode, state.program = code, name
        state.kegiatan_kode = state.kegiatan = state.sasaran = ""
        level = (code, name, "", "")
    elif marker[:1].isdigit() or KEGIATAN_CODE.match(code):
        state.kegiatan_kode, state.kegiatan = code, name
        state.sasaran = ""
        state.kegiatan_programme[name.lower()] = (state.program, state.program_kode)
        level = (state.program_kode, state.program, code, name)
    else:
        state.sasaran = name  # a sasaran on its own row, its indicators below it
        return
    if value.get(ANGGARAN):
        state.budget.append([grid.name, number, _budget_fields(*level, amount=value[ANGGARAN])])


def _indicator(value, state, sheet, number, out):
    if value.get(PROGRAM):
        code, name = split_code(strip_marker(value[PROGRAM])[1], "")
        if name != state.program:
            state.kegiatan = state.kegiatan_kode = ""
        state.program_kode = code if PROGRAMME_CODE.fullmatch(code) else state.program_kode
        state.program = name
    if value.get(KEGIATAN):
        code, name = split_code(strip_marker(value[KEGIATAN])[1], "")
        state.kegiatan_kode, state.kegiatan = code, name
        state.kegiatan_programme[name.lower()] = (state.program, state.program_kode)
    if value.get(KODE) and not value.get(PROGRAM) and not value.get(KEGIATAN):
        pass  # an indicator's own code (IKU numbering): not part of the lampiran
    if value.get(SASARAN):
        state.sasaran = strip_marker(value[SASARAN])[1]
    target = value.get(TARGET, "")
    unit = value.get(SATUAN, "")
    if unit and target and unit.lower() not in target.lower():
        target = f"{target}{unit}" if unit == "%" else f"{target} {unit}"
    out.append(
        (
            sheet,
            number,
            {
                "jenis": JENIS_INDIKATOR,
                "program_kode": state.program_kode,
                "program": state.program,
                "kegiatan_kode": state.kegiatan_kode,
                "kegiatan": state.kegiatan,
                "sasaran": state.sasaran,
                "indikator": strip_marker(value.get(INDIKATOR, ""))[1],
                "target": target,
                "anggaran": value.get(ANGGARAN, "") if value.get(ANGGARAN) else "",
            },
        )
    )


def _budget_fields(program_kode, program, kegiatan_kode, kegiatan, amount):
    return {
        "jenis": JENIS_ANGGARAN,
        "program_kode": program_kode,
        "program": program,
        "kegiatan_kode": kegiatan_kode,
        "kegiatan": kegiatan,
        "sasaran": "",
        "indikator": "",
        "target": "",
        "anggaran": amount,
    }


def _budget_line(grid, number, texts, state, result):
    texts = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
    if not texts:
        return
    joined = " ".join(texts)
    if _SIGNATURE.match(joined):
        state.in_budget = False  # the place and date, the signatures: the budget has ended
        return
    if _BUDGET_HEADING.match(normalise_header(joined)):
        state.in_budget = True
        return
    if _TOTAL.match(joined):
        return
    amount, text = _amount_in(texts)
    state.in_budget = True
    _marker, text = strip_marker(_clean(text))
    if not amount:
        if state.budget and _BRACKETED_CODE.search(text):
            # The end of a name that wrapped: "… Konsolidasi = Rp …" / "Demokrasi (076.01.CQ)"
            fields = state.budget[-1][2]
            code, rest = split_code(text)
            name = _clean(f"{fields['program'] or fields['kegiatan']} {rest}")
            _set_budget_name(fields, code, name)
        return
    code, name = split_code(text)
    fields = _budget_fields("", "", "", "", amount)
    _set_budget_name(fields, code, name)
    state.budget.append([grid.name, number, fields])


def _budget_columns(grid, number, value, texts, state):
    """A budget line in a sheet with its own Program and Kegiatan columns."""
    amount, _rest = _amount_in([value.get(ANGGARAN, ""), value.get(TARGET, "")])
    if not amount:
        names = (value.get(PROGRAM), value.get(KEGIATAN))
        amount, _rest = _amount_in([t for t in texts if t and t not in names])
    if not amount:
        return
    program_kode, program = split_code(strip_marker(value.get(PROGRAM, ""))[1], "")
    kegiatan_kode, kegiatan = split_code(strip_marker(value.get(KEGIATAN, ""))[1], "")
    if value.get(KODE):
        code = value[KODE]
        if PROGRAMME_CODE.fullmatch(code) and not kegiatan:
            program_kode = program_kode or code
        else:
            kegiatan_kode = kegiatan_kode or code
    fields = _budget_fields(program_kode, program, kegiatan_kode, kegiatan, amount)
    state.budget.append([grid.name, number, fields])


def _set_budget_name(fields, code, name):
    if PROGRAMME_CODE.fullmatch(code or "") or name.lower().startswith("program"):
        fields["program_kode"], fields["program"] = code, name
        fields["kegiatan_kode"] = fields["kegiatan"] = ""
    else:
        fields["kegiatan_kode"], fields["kegiatan"] = code, name


def _programme_of(kegiatan: str, state) -> tuple[str, str]:
    """The programme a budget list's kegiatan stands under in the table; the list words a
    kegiatan a little differently at times ("Pilkada" for "Pemilihan"), hence the closest."""
    known = state.kegiatan_programme
    match = difflib.get_close_matches(kegiatan.lower(), list(known), n=1, cutoff=0.75)
    if not match:
        return "", ""
    return known[match[0]]
