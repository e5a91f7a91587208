"""Lines as CommonMark counts them: ended by \\r\\n, \\r or \\n (not by \\f or \\u2028, where
str.splitlines also breaks), so line numbers agree with the parser's."""

from __future__ import annotations

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")
_KEEPING_BREAKS = re.compile(r"(\r\n|\r|\n)")


def split_lines(text: str) -> list[tuple[str, str]]:
    """(content, line ending) for every line."""
    parts = _KEEPING_BREAKS.split(text)  # content, ending, content, ending, ..., last content
    lines = list(zip(parts[0::2], parts[1::2], strict=False))
    if parts[-1]:
        lines.append((parts[-1], ""))
    return lines
