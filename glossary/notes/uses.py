"""Uses of terms in a note's text: every link to a term, with the sentence around it."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .labels import normalize_label
from .model import Occurrence

_SENTENCE_END = re.compile(r"[.!?。！？](?=[\s\"'”’)]|$)")
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


