"""Helpers shared by the fixture tests: import the scripts of tests/fixtures, diff exports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_module(name: str) -> ModuleType:
    """Import a script of tests/fixtures (a folder of scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(FIXTURES))
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def json_diff(expected: Any, got: Any, path: str = "$") -> list[str]:
    """Every differing leaf as 'path: expected X, got Y' (ints and equal floats agree)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out: list[str] = []
        for key in list(expected) + [k for k in got if k not in expected]:
            if key not in got:
                out.append(f"{path}.{key}: missing (expected {expected[key]!r})")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected {got[key]!r}")
            else:
                out += json_diff(expected[key], got[key], f"{path}.{key}")
        return out
    if isinstance(expected, list) and isinstance(got, list):
        out = []
        for i in range(max(len(expected), len(got))):
            if i >= len(got):
                out.append(f"{path}[{i}]: missing (expected {_short(expected[i])})")
            elif i >= len(expected):
                out.append(f"{path}[{i}]: unexpected {_short(got[i])}")
            else:
                out += json_diff(expected[i], got[i], f"{path}[{i}]")
        return out
    if expected != got or type(expected) is bool is not type(got):
        return [f"{path}: expected {expected!r}, got {got!r}"]
    return []


def _short(v: Any) -> str:
    if isinstance(v, dict) and "uraian" in v:
        return f"<{v['uraian']!r}>"
    return repr(v)[:80]
