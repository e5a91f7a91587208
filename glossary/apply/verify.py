"""Check a rewritten note against the original before it is written.

Pure. The rewriter trusts its patches only after reading the new text again: only
definition lines changed, every definition is still there, the link reference definitions
outside Terminology lists keep their labels and destinations (duplicates included, in
order), the rendered document is the same apart from link titles and targets and the
Terminology list text, and a second rewrite would change nothing.

The rendering is compared through the notes' structure fingerprints (glossary.structure);
only when those differ are both texts rendered in full to say what changed, so a rewrite
is never accepted on the fingerprint alone unless it is provably the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from markdown_it.token import Token

from glossary.notes import Note, markdown, parse_note, split_lines
from glossary.notes.structure import rendered_tokens

from .patch import plan_note

_MD = markdown()
_LINK_ATTRS_IGNORED = {"link_open": {"href", "title"}, "image": {"title"}}


def verify(old_text: str, new_text: str, canonical: Mapping[str, str],
           old_note: Note | None = None, new_note: Note | None = None) -> list[str]:
    """Reasons why `new_text` is not a safe rewrite of `old_text` (empty: it is safe).

    `old_note` is old_text's parse, or its definitions and structure as the glossary holds
    them (apply passes those, so the old text is not parsed again); `new_note` is
    new_text's parse when the caller has it.
    """
    old_note = old_note or parse_note(old_text)
    new_note = new_note or parse_note(new_text)
    reasons = _check_lines(old_text, new_text, old_note)
    reasons += _check_definitions(old_note, new_note)
    if new_note.structure != old_note.structure:
        reasons += _check_rendering(old_text, new_text, old_note)
    again = plan_note(new_note, canonical)
    if again.patches:
        lines = ", ".join(str(p.line + 1) for p in again.patches)
        reasons.append(f"not idempotent: a second apply would change line(s) {lines}")
    return reasons


def _check_rendering(old_text: str, new_text: str, old_note: Note) -> list[str]:
    """Render both texts in full and compare them (the fingerprints differed)."""
    list_lines = {d.line - 1 for d in old_note.definitions if d.form == "list"}
    old_tokens, new_tokens = _MD.parse(old_text), _MD.parse(new_text)
    reasons = []
    if _references(old_tokens, list_lines) != _references(new_tokens, list_lines):
        reasons.append("the link reference definitions outside Terminology lists changed "
                       "(labels, destinations or order)")
    if _signature(old_tokens, list_lines) != _signature(new_tokens, list_lines):
        reasons.append("the rendered note would change beyond definition text")
    return reasons


def _check_lines(old_text: str, new_text: str, old_note: Note) -> list[str]:
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
    if len(old_lines) != len(new_lines):
        return [f"the number of lines changed ({len(old_lines)} → {len(new_lines)})"]
    allowed = {d.line - 1 for d in old_note.definitions}
    reasons = []
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
        if old[1] != new[1]:
            reasons.append(f"line {number + 1}: its line ending changed")
        elif old[0] != new[0] and number not in allowed:
            reasons.append(f"line {number + 1} changed but holds no definition")
    return reasons


def _check_definitions(old_note: Note, new_note: Note) -> list[str]:
    old = Counter((d.key, d.form, d.line) for d in old_note.definitions)
    new = Counter((d.key, d.form, d.line) for d in new_note.definitions)
    reasons = [f"the {form} definition of {key!r} on line {line} would be lost"
               for key, form, line in sorted(old - new)]
    reasons += [f"a {form} definition of {key!r} would appear on line {line}"
                for key, form, line in sorted(new - old)]
    return reasons


def _references(tokens: list[Token], list_lines: set[int]) -> list[tuple[str, str]]:
    return [
        (t.meta["label"], t.meta["url"])
        for t in tokens
        if t.type == "definition" and not (t.map and t.map[0] in list_lines)
    ]


def _signature(tokens: list[Token], list_lines: set[int]) -> list[tuple]:
    """What rendering depends on, minus link titles/targets and Terminology item text."""
    return [_token_signature(token) for token in rendered_tokens(tokens, list_lines)]


def _token_signature(token: Token) -> tuple:
    ignored = _LINK_ATTRS_IGNORED.get(token.type, set())
    attrs = tuple(sorted((k, str(v)) for k, v in (token.attrs or {}).items() if k not in ignored))
    if token.type == "definition":
        return ("definition", token.meta["label"], token.meta["url"])
    children = tuple(_token_signature(c) for c in token.children or [])
    content = "" if token.type == "inline" else token.content
    return (token.type, token.tag, token.nesting, token.hidden, token.markup, token.info,
            content, attrs, children)
