"""Check a rewritten note against the original before it is written.

Pure. The rewriter trusts its patches only after reading the new text again; the contract
is that the note reads the same to CommonMark apart from the text of its term definitions:
- only definition lines changed, line endings included, and every term definition is
  still there (same term, form and line);
- exactly the same lines are link reference definitions, of the same labels (none
  appears, none disappears, none changes label), so every link resolves to the same
  definition;
- the rendered document differs only in what definition text feeds: link titles, the
  text of Terminology items and, where CommonMark reads such an item as a link reference
  definition, its destination (the href of the links it serves);
- a second rewrite would change nothing.

The rendering is compared through the notes' structure fingerprints
(glossary.notes.structure); only when those differ are both texts parsed in full, to
accept what is provably the same and to say what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from markdown_it.token import Token

from glossary.notes import Note, markdown, parse_note, split_lines
from glossary.notes.structure import definition_part, rendered_tokens

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
    new_lines = split_lines(new_text)
    reasons = _check_lines(split_lines(old_text), new_lines, old_note)
    reasons += _check_definitions(old_note, new_note)
    if new_note.structure != old_note.structure:
        reasons += check_rendering(old_text, new_text, old_note)
    again = plan_note(new_note, canonical, [content for content, _ in new_lines])
    if again.patches:
        lines = ", ".join(str(p.line + 1) for p in again.patches)
        reasons.append(f"not idempotent: a second apply would change line(s) {lines}")
    return reasons


def check_rendering(old_text: str, new_text: str, old_note: Note) -> list[str]:
    """Parse both texts in full and compare what CommonMark reads (the fingerprints
    differed): the link reference definitions line by line, then everything rendered."""
    list_lines = {d.line - 1 for d in old_note.definitions if d.form == "list"}
    old_tokens, new_tokens = _MD.parse(old_text), _MD.parse(new_text)
    old_defs, new_defs = reference_lines(old_tokens), reference_lines(new_tokens)
    reasons = []
    for line in sorted(old_defs.keys() | new_defs.keys()):
        before, after = old_defs.get(line), new_defs.get(line)
        if before == after:
            continue
        if after is None:
            reasons.append(f"line {line + 1} would stop being a link reference definition "
                           f"(of [{before}]), so the links it serves would point elsewhere")
        elif before is None:
            reasons.append(f"line {line + 1} would become a link reference definition "
                           f"(of [{after}]), shadowing or adding a link target")
        else:
            reasons.append(f"line {line + 1} would define [{after}] instead of [{before}]")
    if not reasons and _signature(old_tokens, list_lines) != _signature(new_tokens, list_lines):
        reasons.append("the rendered note would change beyond definition text")
    return reasons


def reference_lines(tokens: list[Token]) -> dict[int, str]:
    """First line of every link reference definition → its label as written."""
    return {t.map[0]: t.meta["label"] for t in tokens if t.type == "definition" and t.map}


def _check_lines(old_lines: list[tuple[str, str]], new_lines: list[tuple[str, str]],
                 old_note: Note) -> list[str]:
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


def _signature(tokens: list[Token], list_lines: set[int]) -> list[tuple]:
    """What rendering depends on, minus what definition text feeds."""
    return [definition_part(token, on_list_line) if token.type == "definition"
            else ("item text", token.type, token.map and tuple(token.map)) if on_list_line
            else _token_signature(token)
            for token, on_list_line in rendered_tokens(tokens, list_lines)]


def _token_signature(token: Token) -> tuple:
    """A token as rendered: links keep the label they resolve by, not the href and title
    their definition gives them (the definitions are compared line by line)."""
    ignored = _LINK_ATTRS_IGNORED.get(token.type, set())
    attrs = tuple(sorted((k, str(v)) for k, v in (token.attrs or {}).items() if k not in ignored))
    children = tuple(_token_signature(c) for c in token.children or [])
    content = "" if token.type == "inline" else token.content
    return (token.type, token.tag, token.nesting, token.hidden, token.markup, token.info,
            content, attrs, (token.meta or {}).get("label"), children)
