"""Files people download: CSV that spreadsheets open safely."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """The value as text, with a leading quote mark if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> Response:
    """A UTF-8 CSV (with a byte-order mark, so spreadsheet programs read accents) to save."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
