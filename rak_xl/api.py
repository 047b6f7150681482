"""Library entry points: one call from a file to the model."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:  # the model loads while calamine parses (see ``load``)
    from rak_xl.model import Rak

__all__ = ["keep_until_exit", "load", "paused_gc"]

# Set by the console script (``rak_xl.cli.entry``), which ends the process at once after
# its output is flushed; ``keep_until_exit`` holds objects here only then.
ending_at_once = False
_kept: list[object] = []


def keep_until_exit(*objects: object) -> None:
    """Hold ``objects`` (a command's model, its report) until the process ends, when the
    console script ends it at once: freeing a large model object by object (3,000
    kegiatan, each with its lists and dicts) costs about 5 % of a ``validate`` and
    serves nothing then. In a library caller (or a test) this keeps nothing."""
    if ending_at_once:
        _kept.extend(objects)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a one-shot read/check (CLI commands).

    Reading a large sheet allocates a few hundred thousand objects that all stay alive
    (grid rows, the model, source addresses); each full collection walks all of them and
    frees nothing, a tenth of ``validate`` at 3,000 kegiatan. Reference counting still
    frees everything else at once. On exit what is still alive (the model, the report)
    is frozen (``gc.freeze``): the collector resumes (as it was) without walking them
    again, once more at the first collection after the pause and at interpreter exit
    (another 5 % of a large ``validate``). They are freed as usual when let go.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load(path: str | Path, sheet: str | None = None, *, prefetch: Sequence[str] = ()) -> Rak:
    """Read the RAK of a workbook file (``.xlsx .xlsm .xls .ods``).

    ``prefetch``: modules the caller needs next (``rak_xl.workbook.locate``).
    """
    from rak_xl.workbook import locate

    grid, header = locate(Path(path), sheet, prefetch=("rak_xl.read", *prefetch))
    from rak_xl.read import read_rak

    return read_rak(grid, header)
