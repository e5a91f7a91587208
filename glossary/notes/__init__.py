"""One note: finding note files, reading their bytes and parsing them (bytes → Note).

Everything here but `file` and `walk` is pure: a note's text in, what it defines and uses out.
The parser (markdown-it-py) is imported on first use: a harvest that finds nothing changed
never needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .case import CaseFile, case_from_path
from .file import NoteError, NoteFile, read_note
from .labels import is_term_definition, normalize_label
from .lines import split_lines
from .model import Definition, Note, Occurrence, Span
from .text import Meaning, definition_text, has_japanese, split_text
from .walk import NotesFolderError, Source, find_notes

if TYPE_CHECKING:
    from .parse import markdown, parse_note

__all__ = [
    "CaseFile", "Definition", "Meaning", "Note", "NoteError", "NoteFile", "NotesFolderError",
    "Occurrence", "Source", "Span", "case_from_path", "definition_text", "find_notes",
    "has_japanese", "is_term_definition", "markdown", "normalize_label", "parse_note",
    "read_note", "split_lines", "split_text",
]


def __getattr__(name: str) -> Any:
    if name in ("markdown", "parse_note"):
        from . import parse

        return getattr(parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
