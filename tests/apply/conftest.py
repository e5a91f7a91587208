"""What the apply tests share: an independent judge of the rendering contract.

`reads_the_same(old, new, item_lines)` reads two texts with markdown-it-py, written from
the contract (docs/apply.md) and not from gloss's own checks: the same lines are link
reference definitions of the same labels, every reference link outside Terminology items
resolves to a definition on the same line, and the HTML is equal once titles, hrefs and
the text of Terminology items are set aside.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

_DEFINE = MarkdownIt("commonmark", {"inline_definitions": True, "store_labels": True})
_RENDER = MarkdownIt("commonmark")
_ATTRS = re.compile(r'\s(?:title|href)="[^"]*"')
_ITEM = re.compile(r"^(\s*(?:[*+-]|\d+[.)])\s+)\S.*$")


def reads_the_same(old: str, new: str, item_lines: set[int]) -> list[str]:
    """What differs to CommonMark between two texts, beyond what definition text feeds
    (titles, Terminology items' text and the destination of those that are definitions)."""
    problems = []
    old_env, new_env = {}, {}
    old_tokens, new_tokens = _DEFINE.parse(old, old_env), _DEFINE.parse(new, new_env)
    if _definitions(old_tokens) != _definitions(new_tokens):
        problems.append(f"definitions {_definitions(old_tokens)} -> {_definitions(new_tokens)}")
    if _links(old_tokens, old_env, item_lines) != _links(new_tokens, new_env, item_lines):
        problems.append("a link resolves to another definition")
    if _visible(old, item_lines) != _visible(new, item_lines):
        problems.append("the rendered text changed")
    return problems


def _definitions(tokens) -> list[tuple[int, str]]:
    return [(t.map[0], " ".join(t.meta["label"].split()).casefold())
            for t in tokens if t.type == "definition"]


def _links(tokens, env, item_lines: set[int]) -> list[tuple[str, object]]:
    """Every reference link outside Terminology items, with the line of its definition."""
    found = []
    for token in tokens:
        if token.type != "inline" or (token.map and token.map[0] in item_lines):
            continue
        for child in token.children or []:
            if child.type in ("link_open", "image") and "label" in child.meta:
                label = child.meta["label"]
                found.append((label, tuple(env["references"][label]["map"])))
    return found


def _visible(text: str, item_lines: set[int]) -> str:
    lines = text.split("\n")
    for number in item_lines:
        match = _ITEM.match(lines[number])
        if match:
            lines[number] = match.group(1) + "ITEM"
    return _ATTRS.sub("", _RENDER.render("\n".join(lines)))




_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def terminology_item_lines(text: str) -> set[int]:
    """0-based lines of the list items under a heading named Terminology."""
    items, level = set(), None
    for number, line in enumerate(text.split("\n")):
        heading = _HEADING.match(line)
        if heading:
            if heading.group(2).strip().casefold() == "terminology":
                level = len(heading.group(1))
            elif level is not None and len(heading.group(1)) <= level:
                level = None
        elif level is not None and _ITEM.match(line):
            items.add(number)
    return items


@pytest.fixture(scope="session")
def commonmark_judge() -> Callable[[str, str], list[str]]:
    """judge(old, new) -> what reads differently to CommonMark (empty: the same)."""
    return lambda old, new: reads_the_same(old, new, terminology_item_lines(old))


def _pinned_and_applied(notes: Path, db_path: Path, canonical: Mapping[str, str]):
    """A new glossary at `db_path` with `canonical` pinned, the notes harvested and then
    applied: (the glossary, apply's report)."""
    from glossary.apply import apply
    from glossary.db import open_db
    from glossary.harvest import harvest

    db = open_db(db_path)
    for key, definition in canonical.items():
        db["pinned_definitions"].insert({"term_key": key, "definition": definition,
                                         "pinned_at": "now"})
    harvest([notes], db)
    return db, apply([notes], db)


@pytest.fixture(scope="session")
def pinned_and_applied() -> Callable:
    """pinned_and_applied(notes, db_path, canonical) -> (db, report): pins, harvest, apply
    (session-scoped, so hypothesis examples may share it)."""
    return _pinned_and_applied
