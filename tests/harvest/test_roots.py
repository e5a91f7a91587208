"""A glossary knows its notes: the folders it was built from, and note paths relative to
them whatever folder is named.

A subfolder harvest updates that subfolder and keeps the rest; a folder outside the
glossary's notes is refused in one line unless it is added (named with them) or the
glossary starts over from it (pins kept); two folders with the same name get distinct
paths; apply works on the same roots and paths.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest


def note(title: str, flank: str = "側腹部") -> str:
    url = "https://example.org/" + title.replace(" ", "-")
    return (f"# [{title}][c]\n\nThe [flank] hurt; [syncope] followed.\n\n"
            f"[c]: {url}\n[flank]: # \"{flank}\"\n[syncope]: # \"失神\"\n")


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def paths(db: Path) -> list[str]:
    return [p for (p,) in rows(db, "select path from notes order by path")]


@pytest.fixture
def notes(tmp_path: Path, write_notes) -> Path:
    return write_notes(tmp_path / "notes", {
        "NEJM/IiCM/2024-01-11_62M.md": note("a"),
        "NEJM/IiCM/2024-02-22_58F.md": note("b"),
        "GP/QB/ch05.md": note("c"),
        "GP/QB/ch11.md": note("d", "脇腹"),
    })


def harvest_ok(gloss, *args: str) -> str:
    result = gloss("harvest", *args)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr == "", result.stderr
    return result.stdout.strip()


def test_a_subfolder_harvest_updates_it_and_keeps_the_rest_with_the_same_paths(
        notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    whole = harvest_ok(gloss, str(notes), "--db", str(db))
    before = paths(db)
    assert before == ["GP/QB/ch05.md", "GP/QB/ch11.md", "NEJM/IiCM/2024-01-11_62M.md",
                      "NEJM/IiCM/2024-02-22_58F.md"]
    assert whole == "4 notes · 2 terms · 1 conflict · 0 undefined"

    (notes / "NEJM/IiCM/2024-02-22_58F.md").write_text(note("b", "横腹"), encoding="utf-8")
    (notes / "NEJM/IiCM/2024-01-11_62M.md").unlink()
    (notes / "GP/QB/ch05.md").unlink()  # outside the subfolder: not looked at
    summary = harvest_ok(gloss, str(notes / "NEJM"), "--db", str(db))

    assert summary == "3 notes · 2 terms · 1 conflict · 0 undefined"  # the whole glossary
    assert paths(db) == ["GP/QB/ch05.md", "GP/QB/ch11.md", "NEJM/IiCM/2024-02-22_58F.md"]
    assert rows(db, "select note_path, japanese from definitions where term_key = 'flank' "
                    "order by note_path") == [
        ("GP/QB/ch05.md", "側腹部"), ("GP/QB/ch11.md", "脇腹"),
        ("NEJM/IiCM/2024-02-22_58F.md", "横腹")]
    # a harvest of the whole folder then sees what the subfolder harvest did not
    assert harvest_ok(gloss, "--db", str(db)) == "2 notes · 2 terms · 1 conflict · 0 undefined"
    assert paths(db) == ["GP/QB/ch11.md", "NEJM/IiCM/2024-02-22_58F.md"]


def test_without_a_folder_a_glossary_harvests_the_folders_it_was_built_from(
        notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))
    (notes / "GP/QB/ch12.md").write_text(note("e"), encoding="utf-8")
    assert harvest_ok(gloss, "--db", str(db)).startswith("5 notes · ")
    assert rows(db, "select folder, relative, prefix, excludes from roots") == [
        (str(notes.resolve()), "notes", "", "")]


def test_a_folder_outside_the_glossarys_notes_is_refused_in_one_line(notes, tmp_path, gloss,
                                                                     write_notes):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))
    other = write_notes(tmp_path / "other", {"x.md": note("x")})
    before = paths(db)

    result = gloss("harvest", str(other), "--db", str(db))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {other}: not among this glossary's notes (it was harvested from {notes}); "
        f"to add it, name it with them (gloss harvest {notes} {other}); to start the "
        "glossary over from it, add --start-over (pins are kept)"]
    assert paths(db) == before
    result = gloss("apply", str(other), "--db", str(db), "--check")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {other}: not among this glossary's notes (it was harvested from {notes})"]


def test_start_over_takes_the_new_folders_notes_and_keeps_the_pins(notes, tmp_path, gloss,
                                                                    write_notes):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))
    assert gloss("prefer", "flank", "脇腹", "--db", str(db)).exit_code == 0
    assert gloss("reading", "失神", "しっしん", "--db", str(db)).exit_code == 0
    other = write_notes(tmp_path / "other", {"x.md": note("x"), "y.md": note("y")})

    summary = harvest_ok(gloss, str(other), "--start-over", "--db", str(db))

    assert summary == "2 notes · 2 terms · 0 conflicts · 0 undefined"
    assert paths(db) == ["x.md", "y.md"]
    assert rows(db, "select japanese, status from terms where key = 'flank'") == [
        ("脇腹", "pinned")]
    assert rows(db, "select reading from translations where japanese = '失神'") == [
        ("しっしん",)]
    assert rows(db, "select folder from roots") == [(str(other.resolve()),)]
    assert gloss("harvest", str(notes), "--db", str(db)).exit_code == 2  # now the outsider
    result = gloss("harvest", "--start-over", "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: --start-over needs the notes folder to start over from"]


def test_a_folder_holding_the_notes_folder_needs_start_over(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes / "NEJM"), "--db", str(db))
    result = gloss("harvest", str(notes), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {notes}: holds this glossary's notes folder {notes / 'NEJM'}; to harvest it "
        "instead, add --start-over (pins are kept)"]
    assert harvest_ok(gloss, str(notes), "--start-over", "--db", str(db)).startswith("4 notes")
    assert "GP/QB/ch05.md" in paths(db)


def test_two_folders_with_the_same_name_get_distinct_paths(tmp_path, gloss, write_notes):
    a = write_notes(tmp_path / "a" / "notes", {"x.md": note("a"), "NEJM/y.md": note("b")})
    b = write_notes(tmp_path / "b" / "notes", {"x.md": note("c", "脇腹")})
    db = tmp_path / "g.db"

    assert harvest_ok(gloss, str(a), str(b), "--db", str(db)).startswith("3 notes · ")

    assert paths(db) == ["a/notes/NEJM/y.md", "a/notes/x.md", "b/notes/x.md"]
    (a / "NEJM/y.md").unlink()
    assert harvest_ok(gloss, str(a / "NEJM"), "--db", str(db)).startswith("2 notes · ")
    assert paths(db) == ["a/notes/x.md", "b/notes/x.md"]
    assert harvest_ok(gloss, "--db", str(db)).startswith("2 notes · ")
    assert rows(db, "select prefix from roots order by prefix") == [("a/notes/",),
                                                                    ("b/notes/",)]


def test_a_folder_is_added_when_named_with_the_glossarys_folders(notes, tmp_path, gloss,
                                                                 write_notes):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))
    assert gloss("prefer", "syncope", "気絶", "--db", str(db)).exit_code == 0
    more = write_notes(tmp_path / "more", {"z.md": note("z")})

    assert harvest_ok(gloss, str(notes), str(more), "--db", str(db)).startswith("5 notes · ")

    assert paths(db) == ["more/z.md", "notes/GP/QB/ch05.md", "notes/GP/QB/ch11.md",
                         "notes/NEJM/IiCM/2024-01-11_62M.md", "notes/NEJM/IiCM/2024-02-22_58F.md"]
    assert rows(db, "select status from terms where key = 'syncope'") == [("pinned",)]
    assert harvest_ok(gloss, str(more), "--db", str(db)).startswith("5 notes · ")


def test_a_folder_that_is_gone_is_named(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))
    shutil.rmtree(notes)
    result = gloss("harvest", "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {notes.resolve()}: this glossary's notes folder is gone; name the folder to "
        "harvest and add --start-over (pins are kept)"]


def test_apply_of_a_subfolder_rewrites_only_its_notes(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {
        "A/1.md": note("1"), "A/2.md": note("2", "脇腹"),
        "B/3.md": note("3"), "B/4.md": note("4", "脇腹"), "B/5.md": note("5"),
    })
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))

    result = gloss("apply", str(notes / "A"), "--db", str(db))

    assert result.exit_code == 0, result.output + result.stderr
    assert (notes / "A/2.md").read_text(encoding="utf-8") == note("2")
    assert (notes / "B/4.md").read_text(encoding="utf-8") == note("4", "脇腹")
    assert result.output.splitlines()[-1] == (
        "glossary: 5 notes · 2 terms · 1 conflict · 0 undefined")
    result = gloss("apply", "--db", str(db))
    assert result.exit_code == 0, result.output + result.stderr
    assert (notes / "B/4.md").read_text(encoding="utf-8") == note("4")
    assert result.output.splitlines()[-1] == (
        "glossary: 5 notes · 2 terms · 0 conflicts · 0 undefined")


def test_apply_needs_a_harvest_first(tmp_path, gloss, write_notes):
    notes = write_notes(tmp_path / "notes", {"x.md": note("x")})
    db = tmp_path / "g.db"
    sqlite3.connect(db).close()
    result = gloss("apply", str(notes), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {db}: no notes harvested into this glossary yet; run `gloss harvest` first"]


def test_a_project_moved_as_a_whole_still_finds_its_notes(tmp_path, gloss, write_notes):
    project = tmp_path / "project"
    notes = write_notes(project / "notes", {"a.md": note("a"), "b.md": note("b")})
    harvest_ok(gloss, str(notes), "--db", str(project / "db" / "glossary.db"))
    moved = tmp_path / "moved"
    project.rename(moved)
    (moved / "notes" / "c.md").write_text(note("c"), encoding="utf-8")

    db = moved / "db" / "glossary.db"
    assert harvest_ok(gloss, "--db", str(db)).startswith("3 notes · ")
    assert rows(db, "select folder, relative from roots") == [
        (str((moved / "notes").resolve()), "../notes")]
    # a glossary copied on its own still finds the notes where they are
    alone = tmp_path / "elsewhere" / "copy.db"
    alone.parent.mkdir()
    with sqlite3.connect(db) as source, sqlite3.connect(alone) as copy:
        source.backup(copy)  # the file alone may miss what its write-ahead log holds
    (moved / "notes" / "d.md").write_text(note("d"), encoding="utf-8")
    assert harvest_ok(gloss, "--db", str(alone)).startswith("4 notes · ")


def test_a_glossary_from_before_roots_is_migrated_keeping_pins(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    harvest_ok(gloss, str(notes), "--db", str(db))
    assert gloss("prefer", "flank", "脇腹", "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:  # as schema 6 left it: no roots
        conn.execute("drop table roots")
        conn.execute("update gloss_meta set value = '6' where key = 'schema_version'")

    assert harvest_ok(gloss, str(notes), "--db", str(db)).startswith("4 notes · 2 terms")
    assert rows(db, "select japanese, status from terms where key = 'flank'") == [
        ("脇腹", "pinned")]
    assert rows(db, "select prefix from roots") == [("",)]
