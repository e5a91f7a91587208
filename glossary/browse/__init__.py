"""Browse and export: the glossary in Datasette (serve, metadata) and as CSV, TSV, JSON or
TBX. Datasette is imported only when a Datasette is wanted."""

from __future__ import annotations

from typing import Any

from .export import FORMATS, export, format_of
from .rows import SORTS

__all__ = ["FORMATS", "SORTS", "export", "format_of", "load_metadata", "make_datasette"]

_SERVING = {"load_metadata", "make_datasette"}  # glossary.browse.serve.serve runs it


def __getattr__(name: str) -> Any:
    if name in _SERVING:
        from . import serve as serving

        return getattr(serving, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
