"""Link reference definitions that define terms, with the columns of their titles.

The parser gives each definition's label, destination and title; the title's columns in
its line are found by scanning that one line and trusted only when the scan reads the same
title as the parser.
"""

from __future__ import annotations

from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

from .columns import closing_bracket, content_start
from .labels import is_term_definition
from .model import Definition, Span
from .text import split_text


def link_definition(token: Token, lines: list[str],
                     not_terms: frozenset[str]) -> Definition | None:
    meta = token.meta
    label, title = meta["label"], meta["title"]
    span, destination = locate_title(token, lines)
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


def locate_title(token: Token, lines: list[str]) -> tuple[Span | None, str | None]:
    """Find the columns of a one-line definition's title, checked against the parser's view.

    Returns (None, None) for what the rewriter should not touch (a definition spread over
    lines, or one whose text the scan reads differently from the parser).
    """
    first, last = token.map
    if last - first != 1:
        return None, None
    number = first
    line = lines[number]
    start = content_start(line)
    if start is None or line[start] != "[":
        return None, None
    close = closing_bracket(line, start)
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

