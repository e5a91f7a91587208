"""Patches that make a note's definitions read their terms' canonical text.

Pure functions. A patch replaces the characters of one definition's text (the title of a
link reference definition, the body of a Terminology list item) and nothing else: the
label, destination, list marker, indentation and line endings are never touched, and the
note is never re-rendered. Titles are quoted so that CommonMark reads back exactly the
new text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll

from glossary.notes import (
    Definition,
    Note,
    is_term_definition,
    markdown,
    split_lines,
    split_text,
)
from glossary.notes.columns import closing_bracket, content_start

_CLOSERS = {'"': '"', "'": "'", "(": ")"}
_QUOTE_ORDER = ('"', "'", "(")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass(frozen=True)
class Patch:
    """Replace columns [start, end) of one line (0-based) with `text`."""

    line: int
    start: int
    end: int
    text: str
    key: str
    filled: bool  # the definition was empty before


@dataclass(frozen=True)
class Refusal:
    """A definition that should change but is left alone, and why."""

    line: int  # 1-based
    key: str
    reason: str


@dataclass(frozen=True)
class Plan:
    patches: tuple[Patch, ...] = ()
    refusals: tuple[Refusal, ...] = ()


def agrees(definition: Definition, canonical: str) -> bool:
    """A definition agrees with the glossary when it names the same alternatives."""
    return definition.meaning.variant == canonical


def plan_note(note: Note, canonical: Mapping[str, str],
              lines: Sequence[str] | None = None) -> Plan:
    """The patches for every definition of a parsed note whose text differs from canonical.

    `canonical` maps a term key to its definition text; terms not in it are left alone.
    `lines` (the note's lines, without endings) let a Terminology item keep what CommonMark
    reads it as (see _list_patch); without them items are patched as they are written.
    """
    patches: list[Patch] = []
    refusals: list[Refusal] = []
    for definition in note.definitions:
        text = canonical.get(definition.key)
        if not text or agrees(definition, text):
            continue
        if definition.span is None:
            refusals.append(Refusal(definition.line, definition.key,
                                    "its text could not be located safely in the line "
                                    "(e.g. spread over several lines); left as written"))
            continue
        if any(ch in text for ch in "\r\n"):
            refusals.append(Refusal(definition.line, definition.key,
                                    "the canonical text holds a line break"))
            continue
        if definition.form == "link" and not is_term_definition(
                definition.label, definition.destination, text):
            refusals.append(Refusal(definition.line, definition.key,
                                    f"left as written: its destination is no term's, so only "
                                    f"Japanese in its title makes it a term definition, and "
                                    f"\u201c{text}\u201d holds none"))
            continue
        if definition.span.quote == "" and lines is not None:
            planned = _list_patch(definition, text, lines[definition.span.line])
        else:
            planned = _patch(definition, text)
        (patches if isinstance(planned, Patch) else refusals).append(planned)
    patches = _drop_overlaps(patches, refusals)
    return Plan(tuple(patches), tuple(refusals))


def _patch(definition: Definition, text: str) -> Patch:
    span = definition.span
    assert span is not None
    filled = not definition.meaning.defined
    if span.quote == "":  # a Terminology list item: its text as written
        new = (span.lead if span.start == span.end else "") + text
        return Patch(span.line, span.start, span.end, new, definition.key, filled)
    opener, body = quote_title(text, span.quote or '"')
    closer = _CLOSERS[opener]
    if span.quote is None:  # no title yet
        return Patch(span.line, span.start, span.end, f"{span.lead}{opener}{body}{closer}",
                     definition.key, filled)
    if opener == span.quote:
        return Patch(span.line, span.start, span.end, body, definition.key, filled)
    return Patch(span.line, span.start - 1, span.end + 1, f"{opener}{body}{closer}",
                 definition.key, filled)


# --- Terminology items: what CommonMark reads them as ---------------------------------------


def _list_patch(definition: Definition, text: str, line: str) -> Patch | Refusal:
    """A Terminology item's patch that keeps what CommonMark reads the item as.

    `* [papular]: 丘疹` is a link reference definition to CommonMark (its destination is
    丘疹, and it shadows any later definition of [papular]); `* [papular]` and
    `* [enucleate]: 摘出 する` are plain text. The text as written is tried first; a plain
    item that it would turn into a definition is written `[term] text` instead (a form the
    harvest reads alike); a definition that it would turn into plain text is written with
    no space after its separators (`摘出する,眼球除去する` reads as the same alternatives),
    and when even that cannot be a destination, it is left as written, saying why.
    """
    span = definition.span
    assert span is not None
    begin = content_start(line) or 0
    was_definition = reads_as_definition(line[begin:])

    def keeps(patch: Patch) -> bool:
        new_line = line[: patch.start] + patch.text + line[patch.end :]
        return reads_as_definition(new_line[begin:]) == was_definition

    def destination_refusal(why: str) -> Refusal:
        return Refusal(definition.line, definition.key,
                       f"left as written: CommonMark reads this Terminology item as a link "
                       f"reference definition (its text is the destination), {why}; write "
                       f"the item as `[{definition.label}] {line[span.start : span.end]}` "
                       f"to let gloss rewrite it")

    if was_definition and not _reads_as_written(text):
        return destination_refusal(f"where \u201c{text}\u201d would not read as written (a "
                                   "backslash or an entity is decoded there)")
    natural = _patch(definition, text)
    if keeps(natural):
        return natural
    if was_definition:
        compact = _SPACE_AFTER_SEPARATOR.sub(r"\1", text)
        if compact != text and split_text(compact).variant == text:
            candidate = _patch(definition, compact)
            if keeps(candidate):
                return candidate
        return destination_refusal(f"and \u201c{text}\u201d would make it plain text, "
                                   f"changing where [{definition.label}] links point")
    close = closing_bracket(line, begin) if line[begin : begin + 1] == "[" else None
    if close is not None and close < span.start:
        candidate = Patch(span.line, close + 1, span.end, " " + text, definition.key,
                          natural.filled)
        if keeps(candidate):
            return candidate
    return Refusal(definition.line, definition.key,
                   f"left as written: \u201c{text}\u201d would turn this Terminology item "
                   f"into a link reference definition, changing where "
                   f"[{definition.label}] links point")


_SPACE_AFTER_SEPARATOR = re.compile(r"([,、，])[ \t]+")


def _reads_as_written(text: str) -> bool:
    """Whether a link destination of `text` means `text`: CommonMark decodes backslash
    escapes and entities in a destination, and `<…>` is a pointed destination."""
    return not ("\\" in text or "&" in text or text.startswith("<"))


def reads_as_definition(content: str) -> bool:
    """Whether CommonMark reads a line's content (past its list markers) as a link
    reference definition."""
    return any(token.type == "definition" for token in _block_parser().parse(content + "\n"))


@cache
def _block_parser() -> MarkdownIt:
    md = markdown()
    md.disable("inline")
    return md


def _drop_overlaps(patches: list[Patch], refusals: list[Refusal]) -> list[Patch]:
    kept: list[Patch] = []
    for patch in sorted(patches, key=lambda p: (p.line, p.start)):
        if kept and kept[-1].line == patch.line and patch.start < kept[-1].end:
            refusals.append(Refusal(patch.line + 1, patch.key, "overlaps another definition"))
            continue
        kept.append(patch)
    return kept


# --- titles -------------------------------------------------------------------------------


def _delimiters(opener: str) -> str:
    return "()" if opener == "(" else opener


def quote_title(text: str, preferred: str = '"') -> tuple[str, str]:
    """Choose a title delimiter and escape the text for it: (opener, body).

    Keeps the preferred delimiter when the text does not hold it, else switches to one the
    text does not hold, else backslash-escapes. `unescapeAll(body) == text` always holds.
    """
    order = [preferred] + [q for q in _QUOTE_ORDER if q != preferred]
    opener = next((q for q in order if not any(c in text for c in _delimiters(q))), preferred)
    return opener, escape_title(text, opener)


def escape_title(text: str, opener: str) -> str:
    """Escape `text` for a title opened by `opener` so that markdown-it reads it back."""
    delimiters = _delimiters(opener)
    out: list[str] = []
    for i, ch in enumerate(text):
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in delimiters:
            out.append("\\" + ch)
        elif ch == "\\" and (not after or after in _ASCII_PUNCT):
            out.append("\\\\")
        elif ch == "&" and _ENTITY.match(text, i):
            out.append("\\&")
        else:
            out.append(ch)
    body = "".join(out)
    if unescapeAll(body) != text:  # belt and braces: escape every punctuation mark
        body = "".join("\\" + c if c in _ASCII_PUNCT else c for c in text)
    return body


# --- applying -----------------------------------------------------------------------------


def apply_patches(text: str, patches: Iterable[Patch]) -> str:
    """The text with the patches applied; every line keeps its own line ending."""
    return _patched(split_lines(text), patches)


def _patched(lines: list[tuple[str, str]], patches: Iterable[Patch]) -> str:
    """The text of `lines` ((content, ending) pairs, changed in place) once patched."""
    by_line: dict[int, list[Patch]] = {}
    for patch in patches:
        by_line.setdefault(patch.line, []).append(patch)
    for number, line_patches in by_line.items():
        content, ending = lines[number]
        for patch in sorted(line_patches, key=lambda p: p.start, reverse=True):
            content = content[: patch.start] + patch.text + content[patch.end :]
        lines[number] = (content, ending)
    return "".join(content + ending for content, ending in lines)


def rewrite(text: str, note: Note, canonical: Mapping[str, str]) -> tuple[str, Plan]:
    """The new text of a note and the plan that produced it."""
    lines = split_lines(text)
    plan = plan_note(note, canonical, [content for content, _ in lines])
    return _patched(lines, plan.patches), plan
