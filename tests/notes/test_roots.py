"""The paths of notes in several roots: the shortest trailing part of each root's path that
tells it apart, never one that another root's prefix begins with (two notes could then
share a path). Pure."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.notes.roots import NotesFolderError, NotesRoot, plan, prefixes


@pytest.mark.parametrize(("folders", "expected"), [
    (["/p/notes"], [""]),
    (["/p/notes", "/p/more"], ["notes/", "more/"]),
    (["/a/notes", "/b/notes"], ["a/notes/", "b/notes/"]),
    (["/x/notes", "/y/x/notes"], ["x/notes/", "y/x/notes/"]),
    (["/s/a/notes", "/t/a/notes", "/u/notes"], ["s/a/notes/", "t/a/notes/", "u/notes/"]),
    (["/q/a/notes/sub", "/z/a/notes"], ["sub/", "notes/"]),
])
def test_prefixes(folders, expected):
    got = prefixes([Path(f) for f in folders])
    assert got == expected
    assert not any(i != j and b.startswith(a) for i, a in enumerate(got)
                   for j, b in enumerate(got))


def test_a_plan_of_a_subfolder_walks_it_alone_and_keeps_the_roots():
    root = NotesRoot(Path("/p/notes"), "", ("drafts/",))
    chosen = plan([root], [Path("/p/notes/NEJM/IiCM"), Path("/p/notes/NEJM")])
    assert chosen.roots == (root,) and not chosen.changed and not chosen.whole
    assert chosen.scopes == ("NEJM/",)
    assert chosen.in_scope("NEJM/IiCM/x.md") and not chosen.in_scope("NEJMx/y.md")


def test_a_plan_never_changes_the_roots_of_apply():
    with pytest.raises(NotesFolderError, match="^/q: not among this glossary's notes"):
        plan([NotesRoot(Path("/p/notes"))], [Path("/q")], may_change=False)
