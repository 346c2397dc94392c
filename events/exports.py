"""Attendee lists as CSV for spreadsheets, in the portal and the admin alike."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> str:
    """The cell as text, behind a single quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(*, filename: str, header: list, rows: Iterable[list]) -> HttpResponse:
    """A CSV download (semicolons, as Danish Excel expects) with every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads the Danish letters right
    writer = csv.writer(response, delimiter=";")
    for row in (header, *rows):
        writer.writerow([neutralised(cell) for cell in row])
    return response
