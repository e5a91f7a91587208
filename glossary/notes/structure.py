"""A fingerprint of everything a note's rendering depends on, except definition text.

Harvest stores it with every note; apply recomputes it for the rewritten text and, when the
two differ, compares the full renderings (glossary.apply.verify). It is taken over the
block tokens (inline tokens keep their source text) and every link reference definition's
lines and label: with the same lines defining the same labels, the same inline source
parses to the same links resolving to the same definitions, so comparing the source is as
strict as comparing the rendered inline tokens, at a fraction of the cost. What a rewrite
may change is left out: titles (never part of it), and on the lines of Terminology items
that define terms (`list_lines`) the item's text and, when CommonMark reads the item as a
link reference definition, its destination. Whether such a line is a definition, and of
which label, stays in: a rewrite must never make a line start or stop being one.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Collection, Iterator
from operator import attrgetter

from markdown_it.token import Token

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
    for token, on_list_line in rendered_tokens(tokens, list_lines):
        if token.type == "definition":
            parts.append(definition_part(token, on_list_line))
        elif on_list_line:
            parts.append(("item text", token.type, token.map and tuple(token.map)))
        else:
            parts.append(_FIELDS(token))
    return hashlib.sha1(marshal.dumps(parts, _MARSHAL_VERSION)).hexdigest()


def definition_part(token: Token, on_list_line: bool) -> tuple:
    """What a link reference definition contributes: its lines and label, and its
    destination unless a Terminology item's text (which a rewrite may change) is it."""
    lines = tuple(token.map) if token.map else ()
    return ("definition", lines, token.meta["id"],
            None if on_list_line else token.meta["url"])


def rendered_tokens(tokens: list[Token], list_lines: Collection[int]
                    ) -> Iterator[tuple[Token, bool]]:
    """Every token with whether it is the text of a Terminology item on `list_lines`: the
    paragraph opening there (its inline text and its end are left out) or a definition
    starting there."""
    paragraphs: list[bool] = []  # for each open paragraph: is it an item's text?
    for token in tokens:
        kind = token.type
        on_list_line = bool(token.map) and token.map[0] in list_lines
        if kind == "paragraph_open":
            paragraphs.append(on_list_line)
            yield token, on_list_line
        elif kind == "paragraph_close":
            if not (paragraphs and paragraphs.pop()):
                yield token, False
        elif kind == "inline" and on_list_line:
            continue
        else:
            yield token, on_list_line and kind == "definition"
