"""Terminology lists: the items below a heading named Terminology, read as definitions.

An item defines a term in any of the forms `[term]: text`, `[term] text`, `term: text` or
`[term]` alone; its text is the rest of the line, which the rewriter may replace.
"""

from __future__ import annotations

from markdown_it.token import Token

from .columns import closing_bracket, content_start
from .model import Definition, Span
from .text import has_japanese, split_text


def terminology_items(tokens: list[Token]) -> list[Token]:
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


def list_definition(item: Token, lines: list[str], *, spread: bool = False
                    ) -> Definition | None:
    """The definition a Terminology item gives. `spread`: the item's text goes on over the
    next lines, so new text on its first line could change how those read; the rewriter
    then has no span to write at."""
    number = item.map[0]
    line = lines[number] if number < len(lines) else ""
    start = content_start(line)
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
        span=None if spread else Span(number, body_start, body_end, "",
                                      lead if not raw else ""),
    )


def parse_list_item(text: str) -> tuple[str, int, str] | None:
    """Read a Terminology item: `[term]: text`, `[term] text`, `term: text` or `[term]`.

    Returns the label, the offset where the definition text begins, and the separator
    that new text needs when the item has none yet; None when the item is not a definition.
    """
    if text.startswith("["):
        close = closing_bracket(text, 0)
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


