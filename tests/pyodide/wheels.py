"""Fetch the pure-Python wheels rak-xl needs in Pyodide into a folder, for the offline test.

``python tests/pyodide/wheels.py dist/rak_xl-X-py3-none-any.whl tests/pyodide/wheels``

Reads the wheel's ``Requires-Dist``, evaluates each marker as Pyodide would (``sys_platform
== "emscripten"``, the Python of the pinned Pyodide), and downloads every requirement that
applies there as a ``py3-none-any`` wheel (``pip download --only-binary=:all: --platform
any``), then their requirements in turn. A requirement that applies in Pyodide and has no
pure wheel on PyPI fails here, with its name: that is the check that no compiled
dependency lacks its ``sys_platform != "emscripten"`` marker. It also fetches micropip
and packaging at the versions the pinned Pyodide's lock file names (the npm package
carries neither; it would load them from a CDN, which the test must not need).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HERE = Path(__file__).resolve().parent
LOCK = HERE / "node_modules" / "pyodide" / "pyodide-lock.json"


def pyodide_environment(python: str) -> dict[str, str]:
    """Marker variables as Pyodide reports them (``python`` such as ``3.13.2``)."""
    env = dict(default_environment())
    env.update(
        sys_platform="emscripten",
        platform_system="Emscripten",
        platform_machine="wasm32",
        os_name="posix",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        python_version=".".join(python.split(".")[:2]),
        python_full_version=python,
    )
    return env


def requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(z.read(name).decode("utf-8"))
    return [Requirement(r) for r in meta.get_all("Requires-Dist") or []]


def active(reqs: list[Requirement], env: dict[str, str]) -> list[Requirement]:
    """The requirements that apply in Pyodide (no extras asked for)."""
    return [r for r in reqs if r.marker is None or r.marker.evaluate({**env, "extra": ""})]


def _download(spec: str, dest: Path, python: str) -> Path:
    before = set(dest.glob("*.whl"))
    cmd = [
        sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
        "--no-deps", "--only-binary=:all:", "--platform", "any",
        "--python-version", ".".join(python.split(".")[:2]), "--implementation", "py",
        "--abi", "none", "-d", str(dest), spec,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"No pure-Python wheel for {spec!r}: Pyodide cannot install it. Mark the "
            f'dependency `; sys_platform != "emscripten"` or drop it.\n{done.stderr}'
        )
    name = canonicalize_name(Requirement(spec).name)
    found = [w for w in dest.glob("*.whl") if canonicalize_name(w.name.split("-")[0]) == name]
    new = [w for w in found if w not in before] or found
    return new[0]


def fetch(wheel: Path, dest: Path) -> list[str]:
    """Fill ``dest``; return the names of the dependency wheels in install order."""
    lock = json.loads(LOCK.read_text("utf-8"))
    python = lock["info"]["python"]
    env = pyodide_environment(python)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, dest / wheel.name)
    for name in ("packaging", "micropip"):
        _download(f"{name}=={lock['packages'][name]['version']}", dest, python)
    order: list[str] = []
    seen: set[str] = {canonicalize_name(wheel.name.split("-")[0])}
    todo = active(requirements(wheel), env)
    while todo:
        req = todo.pop(0)
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        got = _download(f"{req.name}{req.specifier}", dest, python)
        order.append(got.name)
        todo.extend(active(requirements(got), env))
    (dest / "order.json").write_text(json.dumps({"python": python, "wheels": order}) + "\n")
    return order


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: wheels.py RAK_XL_WHEEL DEST_DIR")
    print("\n".join(fetch(Path(sys.argv[1]), Path(sys.argv[2]))))
