"""Leaving files out: `.glossignore` files (gitignore syntax, in the notes folder and any
folder below, with git's rules) and `--exclude` patterns recorded with the glossary.

Files left out are neither harvested nor rewritten; a note that becomes left out leaves the
glossary at the next harvest; hidden folders stay skipped.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def note(title: str, flank: str = "側腹部") -> str:
    url = "https://example.org/" + title.replace(" ", "-")
    return f"# [{title}][c]\n\nThe [flank] hurt.\n\n[c]: {url}\n[flank]: # \"{flank}\"\n"


def paths(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [p for (p,) in conn.execute("select path from notes order by path")]


def harvest_ok(gloss, *args: str) -> str:
    result = gloss("harvest", *args)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr == "", result.stderr
    return result.stdout.strip()


def test_glossignore_files_leave_notes_out_with_gits_rules(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {
        ".glossignore": "# repository files\nREADME.md\nLICENSE*.md\n/templates/\n*.tmp.md\n",
        "README.md": note("readme"), "LICENSE.md": note("licence"),
        "templates/note.md": note("template"),
        "cases/README.md": note("a readme below"),  # no slash: matches at any depth
        "cases/x.md": note("x"), "cases/x.tmp.md": note("x draft"),
        "cases/keep/.glossignore": "!kept.tmp.md\nlocal.md\n",
        "cases/keep/kept.tmp.md": note("taken back"), "cases/keep/local.md": note("local"),
        "local.md": note("not below keep/"),
        ".hidden/y.md": note("hidden"),
    })
    db = tmp_path / "g.db"

    assert harvest_ok(gloss, str(notes), "--db", str(db)).startswith("3 notes · ")

    assert paths(db) == ["cases/keep/kept.tmp.md", "cases/x.md", "local.md"]


def test_a_note_that_becomes_left_out_leaves_the_glossary(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {"a.md": note("a"), "b.md": note("b", "脇腹")})
    db = tmp_path / "g.db"
    assert harvest_ok(gloss, str(notes), "--db", str(db)).startswith("2 notes · 1 term · 1 ")
    (notes / ".glossignore").write_text("b.md\n", encoding="utf-8")

    assert harvest_ok(gloss, "--db", str(db)) == (
        "1 note · 1 term · 0 conflicts · 0 undefined")
    assert paths(db) == ["a.md"]


def test_a_subfolder_harvest_reads_the_glossignore_files_above_it(tmp_path, gloss,
                                                                   write_notes):
    notes = write_notes(tmp_path / "notes", {
        ".glossignore": "sub/README.md\ndrafts/\n", "top.md": note("top"),
        "sub/README.md": note("readme"), "sub/x.md": note("x"), "sub/drafts/d.md": note("d"),
    })
    db = tmp_path / "g.db"
    assert harvest_ok(gloss, str(notes), "--db", str(db)).startswith("2 notes · ")
    (notes / "sub/y.md").write_text(note("y"), encoding="utf-8")

    assert harvest_ok(gloss, str(notes / "sub"), "--db", str(db)).startswith("3 notes · ")
    assert paths(db) == ["sub/x.md", "sub/y.md", "top.md"]
    # a folder left out gives nothing, even when named, and says so
    result = gloss("harvest", str(notes / "sub/drafts"), "--db", str(db))
    assert result.exit_code == 0 and result.stdout.startswith("3 notes")
    assert result.stderr == (f"{(notes / 'sub/drafts').resolve()}: no notes found (no *.md "
                             "file below, or .glossignore or --exclude leave them all out)\n")


def test_exclude_patterns_are_recorded_until_given_again(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {
        "a.md": note("a"), "old/b.md": note("b"), "old/c.md": note("c"), "t/note.md": note("t"),
    })
    db = tmp_path / "g.db"

    summary = harvest_ok(gloss, str(notes), "--exclude", "old/", "--exclude", "t/note.md",
                         "--db", str(db))

    assert summary.startswith("1 note · ")
    assert harvest_ok(gloss, "--db", str(db)).startswith("1 note · ")  # still left out
    assert harvest_ok(gloss, "--exclude", "t/", "--db", str(db)).startswith("3 notes · ")
    assert paths(db) == ["a.md", "old/b.md", "old/c.md"]
    assert harvest_ok(gloss, "--exclude", "", "--db", str(db)).startswith("4 notes · ")


def test_apply_never_rewrites_a_file_left_out(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {
        "a.md": note("a"), "b.md": note("b"), "c.md": note("c", "脇腹"),
        "d.md": note("d", "脇腹"), "template.md": note("template", "脇腹"),
    })
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--exclude", "d.md", "--db", str(db))
    (notes / ".glossignore").write_text("template.md\n", encoding="utf-8")
    assert harvest_ok(gloss, "--db", str(db)).startswith("3 notes · 1 term · 1 conflict")

    result = gloss("apply", "--db", str(db))

    assert result.exit_code == 0, result.output + result.stderr
    assert (notes / "c.md").read_text(encoding="utf-8") == note("c")
    assert (notes / "d.md").read_text(encoding="utf-8") == note("d", "脇腹")
    assert (notes / "template.md").read_text(encoding="utf-8") == note("template", "脇腹")
    assert result.output.splitlines()[-1] == (
        "glossary: 3 notes · 1 term · 0 conflicts · 0 undefined")


def test_a_pattern_gloss_cannot_use_is_one_line(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {"a.md": note("a"), "sub/.glossignore": "ok\n!\n"})
    db = tmp_path / "g.db"
    result = gloss("harvest", str(notes), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {notes.resolve() / 'sub/.glossignore'}: not a gitignore pattern: '!' "
        "(Invalid git pattern: '!')"]
    (notes / "sub/.glossignore").write_bytes(b"caf\xe9.md\n")
    result = gloss("harvest", str(notes), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {notes.resolve() / 'sub/.glossignore'}: cannot be read (not UTF-8)"]
    (notes / "sub/.glossignore").unlink()
    result = gloss("harvest", str(notes), "--exclude", "!", "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: --exclude: not a gitignore pattern: '!' (Invalid git pattern: '!')"]
