"""rak-xl: read, check and rebuild Indonesian Rencana Aksi Kinerja (RAK) workbooks."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
