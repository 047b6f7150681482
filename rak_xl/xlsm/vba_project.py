"""The template's VBA project: which modules it holds, and the generated UDF wrappers.

Module sources are text files in ``rak_xl/xlsm/vba/`` (``.bas`` procedural modules, ``.cls``
class and document modules, each exactly what the VBA editor stores: ``Attribute`` lines
first). ``xlwings.bas`` and ``Dictionary.cls`` are xlwings 0.37.8's runtime, copied
unchanged (the Dictionary class is what ``xlwings.bas`` uses on macOS).

The ``xlwings_udfs`` module is generated at build time by xlwings' own
``generate_vba_wrapper`` (what "Import Functions" would insert), so users never have to
allow "Trust access to the VBA project object model". ``xlwings.udfs`` imports pywin32
and the UDF decorators are identities off Windows; for the few milliseconds of
generation we put stub pywin32 modules in ``sys.modules`` and load a private copy of
``rak_xl.udfs`` under the real decorators, then restore everything.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from rak_xl.xlsm.ovba import Module, ModuleKind, build_vba_project

__all__ = [
    "BUTTON_MACROS",
    "DOCUMENT_MODULES",
    "UDF_MODULE",
    "project_modules",
    "udf_wrapper_source",
    "vba_project_bin",
]

UDF_MODULE = "rak_xl.udfs"
# Workbook codeName, then the codeName of each sheet in workbook order.
DOCUMENT_MODULES = (
    "ThisWorkbook",
    "Sheet1",
    "Sheet2",
    "Sheet3",
    "Sheet4",
    "Sheet5",
    "Sheet6",
)
# Button caption -> macro in RakButtons.bas.
BUTTON_MACROS = {
    "Validasi": "Validasi",
    "Hitung Ulang": "HitungUlang",
    "Susun Ulang": "SusunUlang",
    "Batalkan": "Batalkan",
}
_EXCEL_DOCUMENT_BASES = (
    "0{00020819-0000-0000-C000-000000000046}",  # Workbook
    "0{00020820-0000-0000-C000-000000000046}",  # Worksheet
)
_STUB_MODULES = ("pythoncom", "pywintypes", "win32com", "win32com.client")


def _source(file_name: str) -> str:
    data = resources.files("rak_xl.xlsm").joinpath("vba", file_name).read_bytes()
    return data.decode("cp1252")


def _kind(file_name: str, source: str) -> ModuleKind:
    if file_name.endswith(".bas"):
        return "procedural"
    if any(f'VB_Base = "{base}"' in source for base in _EXCEL_DOCUMENT_BASES):
        return "document"
    return "class"


@contextmanager
def _windows_udf_decorators() -> Iterator[Any]:
    """Yield ``xlwings.udfs`` importable off Windows, with ``xw.func/arg/ret`` real.

    Everything touched (``sys.modules`` entries, the three ``xlwings`` attributes) is
    restored on exit.
    """
    import xlwings as xw

    saved_modules = {n: sys.modules.get(n) for n in (*_STUB_MODULES, "xlwings.udfs")}
    saved_attrs = (xw.func, xw.arg, xw.ret)
    try:
        stubs = {n: types.ModuleType(n) for n in _STUB_MODULES}
        stubs["pythoncom"].CoInitialize = lambda *a: None  # type: ignore[attr-defined]
        stubs["pywintypes"].com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
        stubs["win32com.client"].Dispatch = lambda *a: None  # type: ignore[attr-defined]
        stubs["win32com"].client = stubs["win32com.client"]  # type: ignore[attr-defined]
        sys.modules.update(stubs)
        sys.modules.pop("xlwings.udfs", None)
        import xlwings.udfs as xw_udfs

        # The Windows decorators: same call signatures, typed differently in xlwings.
        xw.func = xw_udfs.xlfunc  # type: ignore[assignment]
        xw.arg, xw.ret = xw_udfs.xlarg, xw_udfs.xlret
        yield xw_udfs
    finally:
        xw.func, xw.arg, xw.ret = saved_attrs
        for name, mod in saved_modules.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod


def _description(doc: str) -> str:
    """First paragraph of a docstring as a one-line VBA attribute string (max 255)."""
    para = " ".join(doc.strip().split("\n\n")[0].split())
    return para.replace('"', "'")[:255]


def udf_wrapper_source(module_name: str = UDF_MODULE, workbook_name: str = "x.xlsm") -> str:
    """VBA of the ``xlwings_udfs`` module for the ``@xw.func`` functions of ``module_name``.

    Exactly what xlwings' "Import Functions" writes, plus a ``VB_Description`` attribute
    per function (what "Import Functions" sets through ``MacroOptions``), so Excel's
    function wizard shows the Indonesian docstring.
    """
    with _windows_udf_decorators() as xw_udfs:
        spec = importlib.util.find_spec(module_name)
        if spec is None or spec.loader is None:
            raise ModuleNotFoundError(module_name)
        module = importlib.util.module_from_spec(spec)  # private copy: sys.modules untouched
        spec.loader.exec_module(module)
        out = io.StringIO()
        xw_udfs.generate_vba_wrapper(
            module_name, module, out, types.SimpleNamespace(Name=workbook_name)
        )
        docs = {
            f.__xlfunc__["name"]: f.__xlfunc__["ret"]["doc"]
            for f in vars(module).values()
            if hasattr(f, "__xlfunc__")
        }
    lines = [
        'Attribute VB_Name = "xlwings_udfs"',
        "'Autogenerated code by xlwings - changes will be lost with next import!",
        '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel',
    ]
    for line in out.getvalue().splitlines():
        lines.append(line)
        for kind in ("Function ", "Sub "):
            if line.startswith(kind):
                name = line[len(kind) :].split("(")[0]
                if docs.get(name):
                    lines.append(f'Attribute {name}.VB_Description = "{_description(docs[name])}"')
    return "\r\n".join(lines) + "\r\n"


def project_modules(udf_module: str | None = UDF_MODULE) -> list[Module]:
    """All modules of the template's project, in a fixed order.

    Document modules first (ThisWorkbook, then the sheets), then the button macros, the
    UDF wrappers (when ``udf_module`` is given) and the xlwings runtime.
    """
    files = [f"{name}.cls" for name in DOCUMENT_MODULES]
    files += ["RakButtons.bas", "xlwings.bas", "Dictionary.cls"]
    modules = []
    for file_name in files:
        text = _source(file_name)
        modules.append(Module(file_name.rsplit(".", 1)[0], _kind(file_name, text), text))
    if udf_module is not None:
        udfs = Module("xlwings_udfs", "procedural", udf_wrapper_source(udf_module))
        modules.insert(len(DOCUMENT_MODULES) + 1, udfs)
    return modules


def vba_project_bin(udf_module: str | None = UDF_MODULE) -> bytes:
    """Bytes of ``vbaProject.bin`` for the template."""
    return build_vba_project(project_modules(udf_module))
