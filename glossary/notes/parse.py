"""Parse one note: its case, its term definitions and the links that use them.

`parse_note` is a pure function of the note's text. It reads the note as CommonMark with
markdown-it-py (never with regular expressions over the raw text) and records, for every
definition, where its text sits in the line so that the rewriter can patch just that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core.text_join import _join_text_tokens
from markdown_it.token import Token

from .labels import normalize_label
from .lines import LINE_BREAK
from .links import link_definition
from .model import Note
from .structure import structure_of
from .terminology import list_definition, terminology_items
from .uses import image_labels, occurrences

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s?#]+)")


def markdown() -> MarkdownIt:
    """The CommonMark parser every part of gloss shares."""
    return MarkdownIt("commonmark", {"inline_definitions": True, "store_labels": True})


def _fast_markdown() -> MarkdownIt:
    """The same parser for parse_note, minus work parse_note never looks at.

    Inline parsing is left to `_parse_inlines`, which does it only for headings and for
    paragraphs that can hold a link; URL normalization is cached (every term link's `#`).
    """
    md = markdown()
    md.disable("inline")
    md.normalizeLink = lru_cache(maxsize=4096)(md.normalizeLink)
    return md


_FAST = _fast_markdown()



def parse_note(text: str, *, uses: bool = True) -> Note:
    """Parse a note's text (already decoded, BOM removed) into its case, definitions and uses
    (`uses=False`: without the uses, which need every paragraph parsed)."""
    env: dict = {}
    tokens = _FAST.parse(text, env)
    lines = LINE_BREAK.split(text)
    note = Note()
    items = terminology_items(tokens)
    _parse_inlines(tokens, env, {t.map[0] for t in items}, uses)
    images = image_labels(tokens)
    _read_heading(tokens, note, env)

    list_lines = set()
    extents = {t.map[0]: t.map[1] - t.map[0] for t in tokens
               if t.type in ("paragraph_open", "definition") and t.map}
    for item in items:
        definition = list_definition(item, lines, spread=extents.get(item.map[0], 1) > 1)
        if definition is not None:
            note.definitions.append(definition)
            list_lines.add(item.map[0])
    not_terms = frozenset(images | {normalize_label(note.citation)})
    for token in tokens:
        if token.type != "definition" or token.map[0] in list_lines:
            continue
        definition = link_definition(token, lines, not_terms)
        if definition is not None:
            note.definitions.append(definition)
    note.definitions.sort(key=lambda d: d.line)
    note.structure = structure_of(tokens, env, list_lines)

    if not uses:
        return note
    keys = note.term_keys
    item_lines = {t.map[0] for t in items}
    for token in tokens:
        if token.type == "inline" and token.map and token.map[0] not in item_lines:
            note.occurrences.extend(occurrences(token, keys))
    return note


def _parse_inlines(tokens: list[Token], env: dict, item_lines: set[int], uses: bool) -> None:
    """Inline-parse what parse_note reads: headings, and text that can hold a link or image
    (Terminology items, and all text when the uses are not wanted, only for images); the
    rest keeps `children` None."""
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        content = token.content
        if i and tokens[i - 1].type == "heading_open":
            pass
        elif "[" not in content:
            continue
        elif (not uses or token.map and token.map[0] in item_lines) and "![" not in content:
            continue
        children: list[Token] = []
        _FAST.inline.parse(content, _FAST, env, children)
        for child in children:
            if child.children:
                child.children = _join_text_tokens(child.children)
        token.children = _join_text_tokens(children)


# --- the case -----------------------------------------------------------------------------


def _read_heading(tokens: list[Token], note: Note, env: dict) -> None:
    """The case: the H1's plain text is the title; a link in it gives the citation key,
    journal URL and DOI. A reference link whose label the note does not define still
    gives its link text as the title, and the note a problem."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            inline = tokens[i + 1]
            children = inline.children or []
            undefined, meant = _undefined_references(inline.content, env)
            note.title = _plain_text(meant or children).strip()
            if undefined:
                note.problems.append(
                    f"its heading links to [{'], ['.join(undefined)}], which the note does "
                    f"not define; the title reads \"{note.title}\"")
            for child in children:
                if child.type == "link_open" and "label" in child.meta:
                    note.url = str(child.attrs.get("href", ""))
                    ref = env.get("references", {}).get(child.meta["label"], {})
                    note.citation = _label_as_written(tokens, child.meta["label"]) or ref.get(
                        "label", "")
                    match = _DOI.search(unquote(note.url))
                    note.doi = match.group(1) if match else ""
                    break
            return


class _Meant(dict):
    """A note's references, and a blank one for each label in `written`: the links a line
    means, defined or not."""

    def __init__(self, defined: dict, written: set[str]) -> None:
        super().__init__(defined)
        self.written = written

    def get(self, label: str, default: object = None) -> object:
        found = super().get(label)
        if found is None and normalize_label(label) in self.written:
            return {"href": "", "title": ""}
        return found if found is not None else default


def _undefined_references(content: str, env: dict) -> tuple[list[str], list[Token]]:
    """The labels (as written) of reference links `[text][label]`, `[label][]` in `content`
    that the note does not define, and the content parsed as if it did ([] when none).
    Shortcut links (`[text]` alone) are left out: brackets in a title may be plain text."""
    if "][" not in content:  # every full or collapsed reference link has one
        return [], []
    defined = env.get("references", {})
    written = {normalize_label(label): label for label in _reference_labels(content)}
    meant: list[Token] = []
    _FAST.inline.parse(content, _FAST, {"references": _Meant(defined, set(written))}, meant)
    meant = _join_text_tokens(meant)  # entities (&lt;) are text, as in _parse_inlines
    undefined = []
    for child in meant:
        label = child.meta.get("label", "") if child.type == "link_open" else ""
        key = normalize_label(label)
        if label and label not in defined and key in written:
            undefined.append(written[key])
    return undefined, meant if undefined else []


def _reference_labels(content: str) -> Iterator[str]:
    """Every label a line writes as a full or collapsed reference: `[text][label]` gives
    label, `[label][]` gives label."""
    at = content.find("][")
    while at != -1:
        end = content.find("]", at + 2)
        if end == -1:
            return
        yield content[at + 2 : end] or content[content.rfind("[", 0, at) + 1 : at]
        at = content.find("][", end)


def _label_as_written(tokens: list[Token], normalized: str) -> str:
    for token in tokens:
        if token.type == "definition" and token.meta["id"] == normalized:
            return token.meta["label"]
    return ""



def _plain_text(children: list[Token]) -> str:
    return "".join(
        c.content if c.type in ("text", "code_inline") else " " if c.type == "softbreak" else ""
        for c in children
    )
