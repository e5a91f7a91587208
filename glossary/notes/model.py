"""What a parsed note holds: its case, its term definitions and where their text sits."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .labels import normalize_label
from .text import Meaning


@dataclass(frozen=True)
class Span:
    """Where a definition's text sits: columns of one line, and how to write new text there.

    `quote` is the title's opening delimiter (`"`, `'`, `(`), `""` for a Terminology list
    item's plain text, or None for a link definition that has no title yet. `lead` is what
    must precede new text when the span is empty (`" "`, `": "`).
    """

    line: int
    start: int
    end: int
    quote: str | None
    lead: str = ""


@dataclass(frozen=True)
class Definition:
    label: str
    line: int  # 1-based
    form: str  # "link" or "list"
    raw: str
    meaning: Meaning
    destination: str = ""
    span: Span | None = None

    @cached_property
    def key(self) -> str:
        return normalize_label(self.label)


@dataclass(frozen=True)
class Occurrence:
    key: str
    line: int  # 1-based
    text: str
    context: str


@dataclass
class Note:
    title: str = ""
    citation: str = ""
    url: str = ""
    doi: str = ""
    definitions: list[Definition] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    structure: str = ""  # see glossary.structure
    problems: list[str] = field(default_factory=list)  # what was read, but not as written

    @property
    def term_keys(self) -> set[str]:
        return {d.key for d in self.definitions}

