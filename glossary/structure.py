"""A fingerprint of everything a note's rendering depends on, except definition text.

Harvest stores it with every note; apply recomputes it for the rewritten text and refuses
to write when the two differ. It is taken over the block tokens (inline tokens keep their
source text) and the set of reference labels: with the same labels defined, the same inline
source parses to the same links, so comparing the source is as strict as comparing the
rendered inline tokens, at a fraction of the cost. Link titles and destinations of term
definitions, and the text of Terminology list items, are what a rewrite may change, so they
are left out; every other reference keeps its label and destination, in order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from markdown_it.token import Token

_DROPPED_ON_LIST_LINES = {"paragraph_open", "inline", "definition"}


def structure_of(tokens: list[Token], env: dict, list_lines: Collection[int]) -> str:
    """The fingerprint of a parsed note; `list_lines` are the 0-based lines of Terminology
    items that define terms (their text may change)."""
    parts: list[tuple] = [tuple(sorted(env.get("references", {})))]
    paragraphs: list[bool] = []  # for each open paragraph: is it dropped?
    for token in tokens:
        dropped = bool(token.map and token.map[0] in list_lines
                       and token.type in _DROPPED_ON_LIST_LINES)
        if token.type == "paragraph_open":
            paragraphs.append(dropped)
        elif token.type == "paragraph_close" and paragraphs:
            dropped = paragraphs.pop()
        if not dropped:
            parts.append(_token_part(token))
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _token_part(token: Token) -> tuple:
    if token.type == "definition":
        return ("definition", token.meta["label"], token.meta["url"])
    attrs = tuple(sorted((k, str(v)) for k, v in token.attrs.items())) if token.attrs else ()
    return (token.type, token.tag, token.nesting, token.hidden, token.markup, token.info,
            token.content, attrs, tuple(token.map or ()))
