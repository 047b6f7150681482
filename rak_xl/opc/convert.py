"""An ``.xls``/``.ods`` (still sent by agencies) as a values-only ``.xlsx`` package to edit.

Every worksheet's values and merges, written with XlsxWriter: text with
``write_string`` (a text starting with ``=`` stays text, never becomes a formula), dates
with a date format. The original file is never changed; the result is saved as a new
``.xlsx`` beside it (``safe_write.destination_for``).
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from pathlib import Path

from rak_xl.opc.package import Package

__all__ = ["OLD_FORMATS", "converted"]

OLD_FORMATS = (".xls", ".ods")


def converted(path: Path) -> Package:
    import xlsxwriter

    from rak_xl.workbook import load_grids

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    date = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    seen: set[str] = set()
    for grid in load_grids(path):
        name = grid.sheet[:31]
        n = 2
        while name.casefold() in seen:  # two names equal once cut to 31 characters
            tail = f" {n}"
            name, n = grid.sheet[: 31 - len(tail)] + tail, n + 1
        seen.add(name.casefold())
        ws = book.add_worksheet(name)
        # Merges first: merge_range writes its cells blank, the values come after.
        for r1, c1, r2, c2 in grid.merges:
            if (r1, c1) != (r2, c2):
                ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None)
        for i, values in enumerate(grid.rows):
            r = grid.first_row + i - 1
            for j, v in enumerate(values):
                c = grid.first_col + j - 1
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, int | float) and math.isfinite(v):
                    ws.write_number(r, c, v)
                elif isinstance(v, _dt.datetime):
                    ws.write_datetime(r, c, v, date)
                else:
                    ws.write_string(r, c, str(v))
    book.close()
    return Package.from_bytes(path.name, buf.getvalue())
