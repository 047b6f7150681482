"""An ``.xls``/``.ods`` (still sent by agencies) as a values-only ``.xlsx`` package to edit.

Every worksheet's values and merges, written with XlsxWriter: text with
``write_string`` (a text starting with ``=`` stays text, never becomes a formula), dates
with a date format. The original file is never changed; the result is saved as a new
``.xlsx`` beside it (``safe_write.destination_for``).

A value the ``.xlsx`` format cannot hold (a text over 32,767 characters, a cell beyond
row 1,048,576 or column XFD) would be cut or left out by XlsxWriter without a word, and
the new file is what the user keeps working in. Conversion only happens for a writing
command (export and validate read the old file as it is, losing nothing), so such a
file is refused with the cells named, and nothing is written.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from pathlib import Path
from typing import Any

from rak_xl.cellref import a1
from rak_xl.errors import RakError
from rak_xl.opc.package import Package

__all__ = ["OLD_FORMATS", "converted"]

OLD_FORMATS = (".xls", ".ods")
_SHOWN = 3  # cells named in the refusal


def converted(path: Path) -> Package:
    import xlsxwriter

    from rak_xl.workbook import load_grids_whole

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    date = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    seen: set[str] = set()
    for grid, left_out in load_grids_whole(path):
        if left_out is not None:
            raise _refusal(path, grid.sheet, [], [], left_out)
        name = grid.sheet[:31]
        n = 2
        while name.casefold() in seen:  # two names equal once cut to 31 characters
            tail = f" {n}"
            name, n = grid.sheet[: 31 - len(tail)] + tail, n + 1
        seen.add(name.casefold())
        ws = book.add_worksheet(name)
        # XlsxWriter's status per cell: -1 beyond the sheet's edge, -2 a text cut.
        lost: dict[int, list[str]] = {-1: [], -2: []}
        # Merges first: merge_range writes its cells blank, the values come after.
        for r1, c1, r2, c2 in grid.merges:
            if (r1, c1) != (r2, c2) and ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None):
                lost[-1].append(f"{a1(r1, c1)}:{a1(r2, c2)}")
        for i, values in enumerate(grid.rows):
            r = grid.first_row + i - 1
            for j, v in enumerate(values):
                if v is not None and (status := _write(ws, r, grid.first_col + j - 1, v, date)):
                    lost[status].append(a1(r + 1, grid.first_col + j))
        if lost[-1] or lost[-2]:
            raise _refusal(path, grid.sheet, lost[-2], lost[-1], None)
    book.close()
    return Package.from_bytes(path.name, buf.getvalue())


def _write(ws: Any, r: int, c: int, v: object, date: Any) -> int:
    """XlsxWriter's status: 0 written, -1 beyond the sheet's edge, -2 text cut."""
    if isinstance(v, str):
        return int(ws.write_string(r, c, v))
    if isinstance(v, bool):
        return int(ws.write_boolean(r, c, v))
    if isinstance(v, int | float) and math.isfinite(v):
        return int(ws.write_number(r, c, v))
    if isinstance(v, _dt.datetime):
        return int(ws.write_datetime(r, c, v, date))
    return int(ws.write_string(r, c, str(v)))


def _refusal(
    path: Path, sheet: str, long: list[str], outside: list[str], far: str | None
) -> RakError:
    limits = "batas lembar .xlsx: baris 1.048.576, kolom XFD"
    if far is not None:
        where = f"lembar '{sheet}' punya isi di {far}, jauh dari tabel atau di luar {limits}"
    else:
        cells = long or outside
        more = f" dan {len(cells) - _SHOWN} sel lain" if len(cells) > _SHOWN else ""
        why = (
            "berisi teks lebih dari 32.767 karakter (batas satu sel .xlsx)"
            if long
            else f"terletak di luar {limits}"
        )
        where = f"sel {', '.join(cells[:_SHOWN])}{more} di lembar '{sheet}' {why}"
    return RakError(
        f"File {path.absolute()} tidak diubah ke .xlsx karena isinya akan hilang: {where}; "
        "pendekkan, pindahkan atau hapus isi itu lalu coba lagi."
    )
