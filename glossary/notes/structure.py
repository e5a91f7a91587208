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
import marshal
from collections.abc import Collection, Iterator
from operator import attrgetter

from markdown_it.token import Token

_DROPPED_ON_LIST_LINES = {"paragraph_open", "inline", "definition"}
_FIELDS = attrgetter("type", "tag", "nesting", "hidden", "markup", "info", "content", "map",
                     "attrs")
_MARSHAL_VERSION = 2  # the last without back-references: the same values, the same bytes


def structure_of(tokens: list[Token], env: dict, list_lines: Collection[int]) -> str:
    """The fingerprint of a parsed note; `list_lines` are the 0-based lines of Terminology
    items that define terms (their text may change).

    A different Python may serialize differently; a fingerprint that then fails to match
    only makes verify compare the full renderings, never accept a change.
    """
    parts: list = [tuple(sorted(env.get("references", {})))]
    for token in rendered_tokens(tokens, list_lines):
        if token.type == "definition":
            parts.append(("definition", token.meta["label"], token.meta["url"]))
        else:
            parts.append(_FIELDS(token))
    return hashlib.sha1(marshal.dumps(parts, _MARSHAL_VERSION)).hexdigest()


def rendered_tokens(tokens: list[Token], list_lines: Collection[int]) -> Iterator[Token]:
    """The tokens whose rendering a rewrite must keep: all but the paragraphs, text and
    definitions of the Terminology items on `list_lines` (with those paragraphs' ends)."""
    paragraphs: list[bool] = []  # for each open paragraph: is it dropped?
    for token in tokens:
        kind = token.type
        if token.map and token.map[0] in list_lines and kind in _DROPPED_ON_LIST_LINES:
            if kind == "paragraph_open":
                paragraphs.append(True)
            continue
        if kind == "paragraph_open":
            paragraphs.append(False)
        elif kind == "paragraph_close" and paragraphs and paragraphs.pop():
            continue
        yield token
