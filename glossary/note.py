"""Parse one note: its case, its term definitions and the links that use them.

`parse_note` is a pure function of the note's text. It reads the note as CommonMark with
markdown-it-py (never with regular expressions over the raw text) and records, for every
definition, where its text sits in the line so that the rewriter can patch just that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_core.text_join import _join_text_tokens
from markdown_it.token import Token

from .definitions import Meaning, has_japanese, is_term_definition, normalize_label, split_text
from .structure import structure_of

LINE_BREAK = re.compile(r"\r\n|\r|\n")  # CommonMark's line endings, not str.splitlines
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s?#]+)")
_SENTENCE_END = re.compile(r"[.!?。！？](?=[\s\"'”’)]|$)")
_MAX_CONTEXT = 400


def markdown() -> MarkdownIt:
    """The CommonMark parser every part of gloss shares."""
    return MarkdownIt("commonmark", {"inline_definitions": True, "store_labels": True})


_MD = markdown()


def _fast_markdown() -> MarkdownIt:
    """The same parser for parse_note, minus work parse_note never looks at.

    Inline parsing is left to `_parse_inlines`, which does it only for headings and for
    paragraphs that can hold a link; URL normalization is cached (every term link's `#`).
    """
    md = markdown()
    md.disable("inline")
    md.normalizeLink = lru_cache(maxsize=4096)(md.normalizeLink)
    return md


_FAST = _fast_markdown()


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

    @property
    def term_keys(self) -> set[str]:
        return {d.key for d in self.definitions}


def parse_note(text: str, *, uses: bool = True) -> Note:
    """Parse a note's text (already decoded, BOM removed) into its case, definitions and uses
    (`uses=False`: without the uses, which need every paragraph parsed)."""
    env: dict = {}
    tokens = _FAST.parse(text, env)
    lines = LINE_BREAK.split(text)
    note = Note()
    terminology_items = _terminology_items(tokens)
    _parse_inlines(tokens, env, {t.map[0] for t in terminology_items}, uses)
    image_labels = _image_labels(tokens)
    _read_heading(tokens, note, env)

    list_lines = set()
    for item in terminology_items:
        definition = _list_definition(item, lines)
        if definition is not None:
            note.definitions.append(definition)
            list_lines.add(item.map[0])
    not_terms = frozenset(image_labels | {normalize_label(note.citation)})
    for token in tokens:
        if token.type != "definition" or token.map[0] in list_lines:
            continue
        definition = _link_definition(token, lines, not_terms)
        if definition is not None:
            note.definitions.append(definition)
    note.definitions.sort(key=lambda d: d.line)
    note.structure = structure_of(tokens, env, list_lines)

    if not uses:
        return note
    keys = note.term_keys
    item_lines = {t.map[0] for t in terminology_items}
    for token in tokens:
        if token.type == "inline" and token.map and token.map[0] not in item_lines:
            note.occurrences.extend(_occurrences(token, keys))
    return note


def _parse_inlines(tokens: list[Token], env: dict, item_lines: set[int], uses: bool) -> None:
    """Inline-parse what parse_note reads: headings, and text that can hold a link or image
    (Terminology items, and all text when the uses are not wanted, only for images); the
    rest keeps `children` None."""
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        content = token.content
        if i and tokens[i - 1].type == "heading_open":
            pass
        elif "[" not in content:
            continue
        elif (not uses or token.map and token.map[0] in item_lines) and "![" not in content:
            continue
        children: list[Token] = []
        _FAST.inline.parse(content, _FAST, env, children)
        for child in children:
            if child.children:
                child.children = _join_text_tokens(child.children)
        token.children = _join_text_tokens(children)


# --- the case -----------------------------------------------------------------------------


def _read_heading(tokens: list[Token], note: Note, env: dict) -> None:
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            inline = tokens[i + 1]
            note.title = _plain_text(inline.children or []).strip()
            for child in inline.children or []:
                if child.type == "link_open" and "label" in child.meta:
                    note.url = str(child.attrs.get("href", ""))
                    ref = env.get("references", {}).get(child.meta["label"], {})
                    note.citation = _label_as_written(tokens, child.meta["label"]) or ref.get(
                        "label", ""
                    )
                    match = _DOI.search(unquote(note.url))
                    note.doi = match.group(1) if match else ""
                    break
            return


def _label_as_written(tokens: list[Token], normalized: str) -> str:
    for token in tokens:
        if token.type == "definition" and token.meta["id"] == normalized:
            return token.meta["label"]
    return ""


# --- Terminology lists --------------------------------------------------------------------


def _terminology_items(tokens: list[Token]) -> list[Token]:
    """The list items below a heading whose text is Terminology, at any depth."""
    items: list[Token] = []
    section_level: int | None = None
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = tokens[i + 1].content.strip().strip("#").strip().casefold()
            if text == "terminology":
                section_level = level
            elif section_level is not None and level <= section_level:
                section_level = None
        elif section_level is not None and token.type == "list_item_open" and token.map:
            items.append(token)
    return items


def _list_definition(item: Token, lines: list[str]) -> Definition | None:
    number = item.map[0]
    line = lines[number] if number < len(lines) else ""
    start = _content_start(line)
    if start is None:
        return None
    parsed = parse_list_item(line[start:].rstrip())
    if parsed is None:
        return None
    label, body_offset, lead = parsed
    body_start = start + body_offset
    body_end = max(body_start, len(line.rstrip()))
    raw = line[body_start:body_end]
    return Definition(
        label=label,
        line=number + 1,
        form="list",
        raw=raw,
        meaning=split_text(raw),
        span=Span(number, body_start, body_end, "", lead if not raw else ""),
    )


def parse_list_item(text: str) -> tuple[str, int, str] | None:
    """Read a Terminology item: `[term]: text`, `[term] text`, `term: text` or `[term]`.

    Returns the label, the offset where the definition text begins, and the separator
    that new text needs when the item has none yet; None when the item is not a definition.
    """
    if text.startswith("["):
        close = _closing_bracket(text, 0)
        if close is None or close == 1:
            return None
        label = text[1:close]
        rest = text[close + 1 :]
        if not rest:
            return label, close + 1, ": "
        if rest[0] == ":":
            offset = close + 2
            while offset < len(text) and text[offset] in " \t":
                offset += 1
            return label, offset, "" if text[offset - 1] in " \t" else " "
        if rest[0] in " \t":
            offset = close + 1
            while offset < len(text) and text[offset] in " \t":
                offset += 1
            return label, offset, ""
        return None
    colon = min((i for i in (text.find(":"), text.find("：")) if i > 0), default=-1)
    if colon <= 0:
        return None
    label = text[:colon].strip()
    if not label or "[" in label or has_japanese(label) or not any(c.isalpha() for c in label):
        return None
    offset = colon + 1
    while offset < len(text) and text[offset] in " \t":
        offset += 1
    return label, offset, "" if text[offset - 1] in " \t" else " "


def _closing_bracket(text: str, start: int) -> int | None:
    """Index of the `]` that closes the `[` at `start` (nesting and escapes respected)."""
    close = text.find("]", start)
    if close > 0 and "\\" not in text[start:close] and "[" not in text[start + 1 : close]:
        return close  # the common case: no escape, nothing nested
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


_MARKER = re.compile(r"(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$)")


def _content_start(line: str) -> int | None:
    """Column where a list item's or definition's content begins, past block quote markers,
    indentation and list markers."""
    i = 0
    while i < len(line):
        ch = line[i]
        if ch in " \t>":
            i += 1
            continue
        marker = _MARKER.match(line, i)
        if marker:
            i = marker.end()
            continue
        return i
    return None


# --- link reference definitions -----------------------------------------------------------


def _link_definition(token: Token, lines: list[str],
                     not_terms: frozenset[str]) -> Definition | None:
    meta = token.meta
    label, title = meta["label"], meta["title"]
    span, destination = _locate_title(token, lines)
    if destination is None:
        destination = unquote(meta["url"])
    if not is_term_definition(label, destination, title, image_labels=not_terms):
        return None
    return Definition(
        label=label,
        line=token.map[0] + 1,
        form="link",
        raw=title,
        meaning=split_text(title),
        destination=destination,
        span=span,
    )


def _locate_title(token: Token, lines: list[str]) -> tuple[Span | None, str | None]:
    """Find the columns of a one-line definition's title, checked against the parser's view.

    Returns (None, None) for what the rewriter should not touch (a definition spread over
    lines, or one whose text the scan reads differently from the parser).
    """
    first, last = token.map
    if last - first != 1:
        return None, None
    number = first
    line = lines[number]
    start = _content_start(line)
    if start is None or line[start] != "[":
        return None, None
    close = _closing_bracket(line, start)
    if close is None or line[start + 1 : close] != token.meta["label"]:
        return None, None
    i = close + 1
    if i >= len(line) or line[i] != ":":
        return None, None
    i += 1
    while i < len(line) and line[i] in " \t":
        i += 1
    dest_start = i
    if i < len(line) and line[i] == "<":
        end = line.find(">", i)
        if end < 0:
            return None, None
        i = end + 1
    else:
        depth = 0
        while i < len(line) and line[i] not in " \t":
            if line[i] == "\\":
                i += 1
            elif line[i] == "(":
                depth += 1
            elif line[i] == ")":
                depth -= 1
            i += 1
    destination = line[dest_start:i].strip("<>")
    dest_end = i
    while i < len(line) and line[i] in " \t":
        i += 1
    if i >= len(line):
        if token.meta["title"]:
            return None, destination
        return Span(number, dest_end, dest_end, None, " "), destination
    opener = line[i]
    closer = {'"': '"', "'": "'", "(": ")"}.get(opener)
    if closer is None:
        return None, destination
    j = i + 1
    while j < len(line) and line[j] != closer:
        j += 2 if line[j] == "\\" else 1
    if j >= len(line) or line[j + 1 :].strip():
        return None, destination
    if unescapeAll(line[i + 1 : j]) != token.meta["title"]:
        return None, destination
    return Span(number, i + 1, j, opener), destination


# --- uses in the text ---------------------------------------------------------------------


def _image_labels(tokens: list[Token]) -> set[str]:
    labels = set()
    for token in tokens:
        for child in token.children or []:
            if child.type == "image" and "label" in child.meta:
                labels.add(normalize_label(child.meta["label"]))
    return labels


def _occurrences(inline: Token, keys: set[str]) -> list[Occurrence]:
    """Every link in one paragraph to a term of this note, with its sentence."""
    pieces: list[str] = []
    found: list[tuple[str, int, int, int]] = []  # key, line, start, end in the plain text
    line = inline.map[0]
    open_link: tuple[str, int, int] | None = None
    for child in inline.children or []:
        if child.type == "link_open":
            key = normalize_label(child.meta.get("label", ""))
            if child.meta.get("label") and key in keys:
                open_link = (key, line, sum(map(len, pieces)))
        elif child.type == "link_close" and open_link is not None:
            key, at, start = open_link
            found.append((key, at, start, sum(map(len, pieces))))
            open_link = None
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
            line += 1
        elif child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type == "image":
            pieces.append(child.content)
    text = "".join(pieces)
    return [
        Occurrence(key, at + 1, text[start:end], sentence_around(text, start, end))
        for key, at, start, end in found
    ]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], trimmed to a readable length."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.end() if after else len(text)
    sentence = text[begin:stop].strip()
    if len(sentence) > _MAX_CONTEXT:
        middle = (start + end) // 2 - begin
        half = _MAX_CONTEXT // 2
        left = max(0, middle - half)
        sentence = "…" + sentence[left : left + _MAX_CONTEXT].strip() + "…"
    return sentence


def _plain_text(children: list[Token]) -> str:
    return "".join(
        c.content if c.type in ("text", "code_inline") else " " if c.type == "softbreak" else ""
        for c in children
    )
