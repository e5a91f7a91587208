"""Browse and export: the glossary in Datasette (serve, metadata), as CSV, TSV, JSON or
TBX, and as an Anki deck. Datasette and genanki are imported only when wanted."""

from __future__ import annotations

from typing import Any

from .export import FORMATS, export, format_of
from .rows import SORTS

__all__ = ["DEFAULT_DECK", "FORMATS", "SORTS", "Filters", "export", "format_of",
           "load_metadata", "make_datasette", "write_deck"]

_SERVING = {"load_metadata", "make_datasette"}  # glossary.browse.serve.serve runs it
_ANKI = {"DEFAULT_DECK", "Filters", "write_deck"}


def __getattr__(name: str) -> Any:
    if name in _SERVING:
        from . import serve as serving

        return getattr(serving, name)
    if name in _ANKI:
        from . import anki

        return getattr(anki, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
