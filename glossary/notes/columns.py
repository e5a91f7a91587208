"""Columns inside one line of a note: where a list item's content starts, where a label ends.

Pure scanning helpers for the two places that must find text in a line the parser
pointed at (Terminology items and link reference definitions).
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$)")


def content_start(line: str) -> int | None:
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



def closing_bracket(text: str, start: int) -> int | None:
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
