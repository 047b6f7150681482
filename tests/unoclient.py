"""Run UNO jobs against a running headless LibreOffice (run by Debian's /usr/bin/python3).

    /usr/bin/python3 tests/unoclient.py PIPE_NAME < jobs.json > results.json

stdin holds a JSON list of jobs ``{"kind": ..., "path": ..., ...}``; stdout gets a JSON
list with one result per job, in order. A job that raises gives ``{"error": "..."}`` so
one bad file does not hide the others. ``tests/lo.py`` starts soffice once per test
session and calls this script; the ``uno`` module only exists for the system Python,
never for the project's interpreter, hence the subprocess.

Adding a job: write a small ``job_<kind>(desktop, job) -> JSON-able`` function and
register it in ``JOBS``. Each helper keeps to its own functions.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe: str, timeout: float = 90.0) -> Any:
    """The Desktop of the soffice listening on ``pipe`` (retried while it starts)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def open_doc(desktop: Any, path: str) -> Any:
    """Load ``path`` hidden; macros are loaded (listed) but never executed."""
    url = uno.systemPathToFileUrl(path)
    props = (_prop("Hidden", True), _prop("MacroExecutionMode", 0))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, props)
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {path}")
    return doc


# -- jobs of helper A (template, VBA project) ----------------------------------------------


def job_vba_project(desktop: Any, job: dict[str, Any]) -> dict[str, Any]:
    """Basic/VBA libraries with their module names, each sheet's codeName, and the
    source LibreOffice imported for each module of ``job.get("library", "VBAProject")``."""
    doc = open_doc(desktop, job["path"])
    try:
        libs = doc.BasicLibraries
        libraries = {
            name: sorted(libs.getByName(name).getElementNames()) for name in libs.getElementNames()
        }
        codenames = {n: doc.Sheets.getByName(n).CodeName for n in doc.Sheets.getElementNames()}
        sources = {}
        library = job.get("library", "VBAProject")
        if libs.hasByName(library):
            lib = libs.getByName(library)
            sources = {m: lib.getByName(m) for m in lib.getElementNames()}
        return {
            "libraries": libraries,
            "codenames": codenames,
            "workbook_codename": doc.CodeName,
            "sources": sources,
        }
    finally:
        doc.close(True)


def job_form_buttons(desktop: Any, job: dict[str, Any]) -> dict[str, Any]:
    """Per sheet: each form button's label, bound macro(s) and rectangle (1/100 mm).

    ``job["cells"]`` maps sheet -> A1 address whose top edge is reported as ``cell_top``
    (to check the buttons stay clear of the table).
    """
    doc = open_doc(desktop, job["path"])
    try:
        out: dict[str, Any] = {}
        for sheet_name in doc.Sheets.getElementNames():
            sheet = doc.Sheets.getByName(sheet_name)
            page = sheet.DrawPage
            rects = {}
            for i in range(page.getCount()):
                shape = page.getByIndex(i)
                if shape.ShapeType == "com.sun.star.drawing.ControlShape":
                    pos, size = shape.Position, shape.Size
                    rects[shape.Control.Name] = [pos.X, pos.Y, size.Width, size.Height]
            buttons = []
            forms = page.Forms
            for fi in range(forms.getCount()):
                form = forms.getByIndex(fi)
                for ci in range(form.getCount()):
                    control = form.getByIndex(ci)
                    events = form.getScriptEvents(ci)
                    buttons.append(
                        {
                            "label": control.Label,
                            "macros": [
                                e.ScriptCode for e in events if e.EventMethod == "actionPerformed"
                            ],
                            "rect": rects.get(control.Name),
                        }
                    )
            entry: dict[str, Any] = {"buttons": buttons}
            cell = job.get("cells", {}).get(sheet_name)
            if cell:
                entry["cell_top"] = sheet.getCellRangeByName(cell).Position.Y
            out[sheet_name] = entry
        return out
    finally:
        doc.close(True)


# -- jobs of helper C (regenerate: recalculated values, PDF) ------------------------------


def _cell_info(cell: Any) -> dict[str, Any]:
    return {
        "value": cell.getValue(),
        "string": cell.getString(),
        "formula": cell.getFormula(),
        "error": cell.getError(),
    }


def job_recalc_values(desktop: Any, job: dict[str, Any]) -> dict[str, Any]:
    """Load hidden, recalculate everything (``calculateAll``), return cell results.

    ``job``: ``path``, ``sheet`` (default: the first), ``cells`` (A1 list) -> ``{"cells":
    {a1: {"value", "string", "formula", "error"}}}``; ``range`` ("A1:AD150") ->
    ``{"range": rows}`` as ``getDataArray`` (numbers or strings).
    """
    doc = open_doc(desktop, job["path"])
    try:
        if job.get("recalc", True):  # False: the values as loaded (the cached ones)
            doc.calculateAll()
        sheets = doc.Sheets
        sheet = sheets.getByName(job["sheet"]) if job.get("sheet") else sheets.getByIndex(0)
        out: dict[str, Any] = {}
        if job.get("cells"):
            out["cells"] = {a1: _cell_info(sheet.getCellRangeByName(a1)) for a1 in job["cells"]}
        if job.get("range"):
            out["range"] = [list(r) for r in sheet.getCellRangeByName(job["range"]).DataArray]
        return out
    finally:
        doc.close(True)


def job_pdf(desktop: Any, job: dict[str, Any]) -> dict[str, Any]:
    """Export ``path`` to PDF ``out`` with the file's own page setup (print area, title
    rows, fit to width, footer), as File > Export as PDF does."""
    doc = open_doc(desktop, job["path"])
    try:
        doc.calculateAll()
        doc.storeToURL(
            uno.systemPathToFileUrl(job["out"]), (_prop("FilterName", "calc_pdf_Export"),)
        )
        return {"out": job["out"]}
    finally:
        doc.close(True)


def job_terminate(desktop: Any, job: dict[str, Any]) -> bool:
    """Shut soffice down cleanly (its launcher does not pass SIGTERM on)."""
    # The bridge drops while LibreOffice exits: that is success, not an error.
    with contextlib.suppress(Exception):
        desktop.terminate()
    return True


JOBS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "terminate": job_terminate,
    "vba_project": job_vba_project,
    "form_buttons": job_form_buttons,
    "recalc_values": job_recalc_values,
    "pdf": job_pdf,
}


def main() -> int:
    desktop = connect(sys.argv[1])
    results = []
    for job in json.load(sys.stdin):
        try:
            results.append(JOBS[job["kind"]](desktop, job))
        except Exception as exc:
            results.append(
                {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
            )
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
