"""Reading and writing the lampiran spreadsheet (docs/import-format.md), .xlsx or .csv.

    template     the columns, the sheet's name, the notes and example rows, the file limits
    problems     what reading gives back: the rows, or every problem by sheet, row and column
    validation   one row → domain values (a Target, whole rupiah), whatever file it came from
    reading      parse_lampiran(content, filename): a file in the template's columns → rows
    writing      export_xlsx / export_csv: the lampiran in the template's columns

Every problem is reported as (sheet, row, column, message) before anything is saved; nothing
in a file can make the caller save half a lampiran. Exported cells are always values, never
formulas, so a cell beginning with "=" cannot run in the reader's spreadsheet program; on
import, a formula (an .xlsx formula cell, or a CSV cell a spreadsheet would calculate) is
refused. The file itself is read by agreements.tables (zip-bomb guard, row limit, encodings).
"""

from agreements.spreadsheet.problems import (
    ParsedLampiran,
    Problem,
    date_message,
    formula_message,
)
from agreements.spreadsheet.reading import parse_lampiran
from agreements.spreadsheet.template import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SHEET_NAME,
    TEMPLATE_EXAMPLE,
    TEMPLATE_NOTES,
)
from agreements.spreadsheet.validation import MAX_AMOUNT, LampiranRowForm, parse_amount
from agreements.spreadsheet.writing import (
    COLUMN_WIDTHS,
    TEMPLATE_BLANK_ROWS,
    export_csv,
    export_xlsx,
)

__all__ = [
    "COLUMNS",
    "COLUMN_WIDTHS",
    "MAX_AMOUNT",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "SHEET_NAME",
    "TEMPLATE_BLANK_ROWS",
    "TEMPLATE_EXAMPLE",
    "TEMPLATE_NOTES",
    "LampiranRowForm",
    "ParsedLampiran",
    "Problem",
    "date_message",
    "export_csv",
    "export_xlsx",
    "formula_message",
    "parse_amount",
    "parse_lampiran",
]
