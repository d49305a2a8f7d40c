"""Importing what an office already has: its own spreadsheet (.xlsx/.csv in any PK table
layout) and last year's PK as a Word file (.docx).

    sources     the file → grids of cells (merged cells filled in) and, for .docx, its text
    columns     which row is the header, and what each column holds (a guess the user may change)
    rows        a grid + the column mapping → lampiran rows (headings, sasaran, budget block)
    statement   the parties, place and date of the statement page of a .docx
    changes     what a re-import changes: rows added, removed and changed

The domain validation is the template import's (LampiranRowForm, in
agreements.spreadsheet.validation), so a row is right or wrong here exactly as it would be in
the template.
"""
