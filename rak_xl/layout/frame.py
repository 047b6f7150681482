"""The frame of the official sheet around its table: the title lines and the header rows
above it, the signature and the notes below it (``plan_sheet`` puts the table between)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

from rak_xl.forms import FORM_2020, FORMS, Form
from rak_xl.layout.builder import Builder
from rak_xl.layout.plan import Style
from rak_xl.layout.styles import (
    S_HEAD,
    S_HEAD_COMPUTED,
    S_NOTE,
    S_NUMBER_ROW,
    S_SIGN,
    S_SIGN_NAME,
    S_TITLE,
)
from rak_xl.model import Rak, StrayValue
from rak_xl.sheet_spec import (
    NO_COL,
    PLACEHOLDER_INSTANSI,
    PLACEHOLDER_KABUPATEN,
    PLACEHOLDER_TAHUN,
    QUARTER_LABELS,
    STRAY_HEADER,
    TARGET_GROUP_LABEL,
    TARGET_TEXT_LABEL,
    TITLE,
    caps_if_lossless,
    starts_like_total,
)

__all__ = ["LEFT_PAGE_END", "boxed", "header", "notes_below", "signature", "stray_header", "title"]

LEFT_PAGE_END = FORM_2020.pages[0][1]  # last column of the 2020 form's left page


@functools.lru_cache(maxsize=4)
def _key_at(tingkat: int) -> dict[int, str]:
    form = FORMS[tingkat]
    return {form.col[key]: key for _, key, _ in form.physical}


@functools.lru_cache(maxsize=256)
def boxed(style: Style, box: str) -> Style:
    """``style`` drawn as part of a box over rows ("top", "mid", "bottom", "all")."""
    return replace(style, box=box)  # cached: a few styles, on every row of a block


# --------------------------------------------------------------------------------------
# Above the table: title lines, notes, the four header rows
# --------------------------------------------------------------------------------------
def title(b: Builder, rak: Rak) -> int:
    kab = caps_if_lossless(rak.kabupaten or "")
    if not kab.lower().startswith(("kota", "provinsi")):
        kab = f"KABUPATEN {kab}".strip()
    # A missing value gets a line to fill in (which the reader takes for no value).
    title_lines = [
        TITLE,
        caps_if_lossless(rak.instansi) if rak.instansi else PLACEHOLDER_INSTANSI,
        kab if rak.kabupaten else PLACEHOLDER_KABUPATEN,
        f"TAHUN {rak.tahun}" if rak.tahun is not None else PLACEHOLDER_TAHUN,
    ]
    row = 1
    for text in title_lines:
        b.put(row, 1, text, S_TITLE)
        # Over the left page only: a title merged across both would be cut between them.
        b.merge(row, 1, row, b.form.pages[0][1], S_TITLE)
        row += 1
    row += 1  # blank row
    for values in rak.catatan_atas:
        for i, v in enumerate(values):
            b.put(row, 1 + i, v, S_NOTE)
        row += 1
    if rak.catatan_atas:
        row += 1
    return row


def header(b: Builder, row: int) -> tuple[int, int]:
    """Group row, label row, quarter row, numbering row from ``row``; returns the first
    and the numbering row."""
    g, lab, sub, num = row, row + 1, row + 2, row + 3
    form, col = b.form, b.col
    ket = col[f"{form.leaf}.ket"]
    first_computed = form.computed_cols["kas_tw.0"]

    def head(c: int) -> Style:
        return S_HEAD_COMPUTED if c >= first_computed else S_HEAD

    for c1, c2, text in form.groups:
        style = S_HEAD_COMPUTED if c1 >= first_computed else S_HEAD
        b.put(g, c1, text, style)
        if c1 == ket:
            b.merge(g, c1, sub, c2, style)  # KET spans the group, label and quarter rows
        else:
            b.merge(g, c1, g, c2, style)
    quarter_of = {key: q for q in range(4) for key in (f"{x}.tw.{q}" for x in form.levels)}
    key_at = _key_at(form.tingkat)
    for c, text in form.labels.items():
        if c == ket:
            continue
        key = key_at.get(c, "")
        style = head(c)
        if key in quarter_of:
            q = quarter_of[key]
            b.put(sub, c, QUARTER_LABELS[q], S_HEAD)
            if q == 0:
                b.put(lab, c, TARGET_GROUP_LABEL, S_HEAD)
                b.merge(lab, c, lab, c + 4, S_HEAD)  # the 4 quarters and the text column
        elif text == TARGET_TEXT_LABEL:
            b.put(sub, c, text, S_HEAD)
        else:  # one box over the label and quarter rows, without a merge
            b.put(lab, c, text, boxed(style, "top"))
            b.put(sub, c, None, boxed(style, "bottom"))
    # Numbering row: logical columns 1..23 (1..26), merged over their physical
    # sub-columns (not over the year total, which is no part of December).
    for n, (c1, c2) in form.span.items():
        if n == form.desember:
            c2 = c1
        b.put(num, c1, int(n), S_NUMBER_ROW)
        b.merge(num, c1, num, c2, S_NUMBER_ROW)
    b.put(num, col["setahun"], None, S_NUMBER_ROW)
    for key in form.computed_cols:
        if key != "setahun":
            b.put(num, form.computed_cols[key], None, S_HEAD_COMPUTED)
    # "No." over the group, label and quarter rows, like KET.
    b.put(g, NO_COL, b.cells[(lab, NO_COL)].value, S_HEAD)
    b.merge(g, NO_COL, sub, NO_COL, S_HEAD)
    b.put(num, NO_COL, None, S_NUMBER_ROW)
    return g, num


def stray_header(b: Builder, g: int, num: int) -> None:
    """The header over the stray-value columns actually used."""
    first = b.form.first_stray_col
    for c in range(first, b.last_col + 1):
        for r in range(g, num + 1):
            b.put(r, c, STRAY_HEADER if (c, r) == (first, g + 1) else None, S_HEAD)


# --------------------------------------------------------------------------------------
# Below the table: the signature, then the notes
# --------------------------------------------------------------------------------------
def signature(b: Builder, rak: Rak, row: int) -> int:
    """Signature block under the table's right page (months Sep..KET); returns the row
    after it."""
    t = rak.penandatangan
    fields = [t.tempat_tanggal, t.jabatan, None, None, None, t.nama, t.pangkat]
    if all(v is None for v in fields) and t.nip is None:
        return row
    # The reader anchors the block on its "NIP." line, so it is written even when empty.
    fields.append(f"NIP. {t.nip}" if t.nip is not None else "NIP.")
    c1, c2 = b.form.kas_cols[8], b.form.last_official_col
    for i, v in enumerate(fields):
        style = S_SIGN_NAME if i == 5 else S_SIGN
        b.put(row + i, c1, v, style)
        b.merge(row + i, c1, row + i, c2, style)
    return row + len(fields)


def notes_below(b: Builder, rak: Rak, row: int) -> None:
    """The notes below the table (``catatan``), after a blank row. They lie below the
    print area: a note under the signature is the agency's instruction for filling the
    form in ("Diisi oleh ..."), kept in the file but not part of the printed form."""
    if not rak.catatan:
        return
    row += 1
    for values in rak.catatan:
        for c, v in zip(_note_columns(b.form, values), values, strict=True):
            b.put(row, c, v, S_NOTE)
            b.last_col = max(b.last_col, c)
        row += 1


# Columns for the values of a note row below the table, chosen so that the reader takes
# the row neither for table data nor for a total row: column A, then the indikator
# columns below the sasaran's (logical 5 and 8 in 2020), then text in the volume/month
# columns (a number there would look like a kegiatan), and anything else right of the
# computed columns. A first text that starts like a total label ("Jumlah ...") goes to
# the month columns, where the reader does not look for total labels.
@functools.lru_cache(maxsize=4)
def _note_cols(tingkat: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    form = FORMS[tingkat]
    col, leaf = form.col, form.leaf
    any_value = (1, *(col[f"{x}.indikator"] for x in form.levels[1:]))
    return any_value, (col[f"{leaf}.volume"], col[f"{leaf}.satuan"], *form.kas_cols)


def _note_columns(form: Form, values: Sequence[StrayValue]) -> list[int]:
    any_cols, text_cols = _note_cols(form.tingkat)
    first_kas, first_stray = form.kas_cols[0], form.first_stray_col
    cols: list[int] = []
    last = 0
    seen_text = False
    for v in values:
        if isinstance(v, str):
            if not seen_text and starts_like_total(v):
                last = max(last, first_kas - 1)
            seen_text = True
            pool = [*any_cols, *text_cols]
        else:
            pool = list(any_cols)
        c = next((c for c in pool if c > last), max(last + 1, first_stray))
        cols.append(c)
        last = c
    return cols
