"""Uses of terms in a note's text: every link to a term, with the sentence around it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from markdown_it.token import Token

from .labels import normalize_label
from .model import Occurrence
from .sentences import sentence_starts

_MAX_CONTEXT = 400


def image_labels(tokens: list[Token]) -> set[str]:
    labels = set()
    for token in tokens:
        for child in token.children or []:
            if child.type == "image" and "label" in child.meta:
                labels.add(normalize_label(child.meta["label"]))
    return labels


def occurrences(inline: Token, keys: set[str]) -> list[Occurrence]:
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
    if not found:
        return []
    text = "".join(pieces)
    starts = sentence_starts(text)
    return [
        Occurrence(key, at + 1, text[start:end], sentence_around(text, start, end, starts))
        for key, at, start, end in found
    ]


def sentence_around(text: str, start: int, end: int, starts: list[int] | None = None) -> str:
    """The sentence holding text[start:end] (all of them, should it span several), trimmed
    to a readable length; `starts`: the text's sentence_starts, when already known."""
    starts = sentence_starts(text) if starts is None else starts
    begin = starts[bisect_right(starts, start) - 1]
    after = bisect_left(starts, max(end, start + 1))
    stop = starts[after] if after < len(starts) else len(text)
    return window(text[begin:stop].strip(), (start + end) // 2 - begin, _MAX_CONTEXT)


def window(sentence: str, middle: int, width: int) -> str:
    """`sentence` cut to `width` characters centred on `middle` where it is longer, marked
    "…" where cut."""
    if len(sentence) <= width:
        return sentence
    left = min(max(0, middle - width // 2), len(sentence) - width)
    right = left + width
    return ("…" if left else "") + sentence[left:right].strip() + (
        "…" if right < len(sentence) else "")


def excerpt(sentence: str, word: str, width: int) -> str:
    """`sentence` cut to `width` characters around `word` (its first place, any case)."""
    at = sentence.casefold().find(word.casefold())
    return window(sentence, at + len(word) // 2 if at >= 0 else 0, width)


