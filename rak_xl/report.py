"""Renderers of a ``Report``: text for the terminal and JSON (DESIGN.md contract).

Both are views of the same frozen findings; workbook marks are a third view
(``rak_xl.marks``).
"""

from __future__ import annotations

import json

from rak_xl.rules.findings import SEVERITIES, Finding, Report

__all__ = ["SEVERITY_LABEL", "group_of", "named_code", "render_json", "render_text"]

SEVERITY_LABEL = {"error": "kesalahan", "warning": "peringatan", "info": "info"}
_SEP = " > "


def named_code(code: str) -> str:
    """The rule's short Indonesian title, then its code: ``Target tidak ada
    (target.missing)``; the code alone when it is not in the catalogue."""
    from rak_xl.rules import CATALOGUE

    label = next((r.label for r in CATALOGUE if r.code == code), None)
    return f"{label} ({code})" if label else code


def group_of(f: Finding) -> str:
    """The program a finding belongs to ("Sasaran > Program"), or its sasaran/"Penandatangan"."""
    return _SEP.join(f.path.split(_SEP)[:2]) or "(umum)"


def _counts(findings: list[Finding]) -> str:
    parts = []
    for sev in SEVERITIES:
        n = sum(1 for f in findings if f.severity == sev)
        if n:
            parts.append(f"{n} {SEVERITY_LABEL[sev]}")
    return ", ".join(parts)


def render_text(report: Report, file: str | None = None) -> str:
    """Findings grouped by program, each line "cell  severity  code  message"."""
    lines: list[str] = []
    where = f"sheet '{report.sheet}'" + (f" di {file}" if file else "")
    if not report.findings:
        return f"Tidak ada temuan pada {where}.\n"
    lines.append(f"Temuan pada {where}:")
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(group_of(f), []).append(f)
    for name, found in groups.items():
        lines.append("")
        lines.append(f"{name}  [{_counts(found)}]")
        for f in found:
            item = f.path.split(_SEP)[2:]
            lines.append(
                f"  {f.cell or '-':>6}  {SEVERITY_LABEL[f.severity]:<10}  {named_code(f.code)}"
            )
            if item:
                lines.append(f"          Kegiatan: {item[0]}")
            if len(item) > 1:  # the 4-level form's path goes on to the sub kegiatan
                lines.append(f"          Sub kegiatan: {item[1]}")
            lines.append(f"          {f.message}")
    s = report.summary
    lines.append("")
    lines.append(f"Ringkasan: {s['error']} kesalahan, {s['warning']} peringatan, {s['info']} info.")
    return "\n".join(lines) + "\n"


def render_json(report: Report, file: str | None = None) -> str:
    """``{"file","sheet","findings":[...],"summary":{...}}``, UTF-8 text kept readable."""
    return json.dumps(report.to_json(file), ensure_ascii=False, indent=2) + "\n"
