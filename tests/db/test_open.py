"""Opening a glossary: a file that is not one, and glossaries from older and newer gloss.

Each gets one clear line, never a traceback; pins survive a migration.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from glossary.db import SCHEMA_VERSION

GOOD = '# [Case][c]\n\nThe [flank] hurt.\n\n[c]: https://example.org/c\n[flank]: # "側腹部"\n'


@pytest.fixture
def notes(tmp_path: Path, write_notes) -> Path:
    return write_notes(tmp_path / "notes", {"good.md": GOOD})


def test_a_database_that_is_not_a_database(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    db.write_bytes(b"this is not sqlite" * 100)
    result = gloss("harvest", str(notes), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {db}: not a gloss database (file is not a database)"]
    assert db.read_bytes() == b"this is not sqlite" * 100


@pytest.mark.parametrize("command", [
    ["harvest", "NOTES"], ["reading", "胸", "むね"], ["prefer", "flank", "脇腹"],
    ["conflicts"], ["export", "-"], ["apply", "NOTES", "--check"]])
def test_another_programs_database_is_refused_and_left_as_it_was(notes, tmp_path, gloss,
                                                                 command):
    """No table of another program is ever taken for an older glossary's and dropped."""
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table notes (body text)")
        conn.execute("insert into notes values ('years of work')")
    before = db.read_bytes()
    args = [str(notes) if a == "NOTES" else a for a in command]
    result = gloss(*args, "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {db}: not a gloss database (it holds another program's tables: notes); "
        "gloss leaves it as it is"]
    assert db.read_bytes() == before


def test_an_empty_sqlite_file_becomes_a_glossary(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    db.touch()
    assert gloss("harvest", str(notes), "--db", str(db)).exit_code == 0
    assert gloss("show", "flank", "--db", str(db)).exit_code == 0


@pytest.mark.parametrize(("where", "said"), [
    ("", "--db names the glossary's file (such as db/glossary.db), not a folder"),
    ("a-note.md/g.db", "a-note.md/g.db: a-note.md is a file, not a folder")])
def test_a_db_path_that_cannot_be_a_file_is_one_line(notes, tmp_path, gloss, monkeypatch,
                                                    where, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-note.md").write_text(GOOD, encoding="utf-8")
    for command in (["harvest", str(notes)], ["reading", "胸", "むね"], ["conflicts"]):
        result = gloss(*command, "--db", where)
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines() == [f"Error: {said}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-note.md", "notes"]


def test_a_database_from_an_older_gloss_is_migrated_keeping_the_pins(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    with sqlite3.connect(db) as conn:  # schema 1: fewer columns, no readings
        conn.executescript("""
            create table gloss_meta (key text primary key, value text);
            insert into gloss_meta values ('schema_version', '1');
            create table notes (path text primary key, title text, sha256 text, size int,
                                mtime_ns int);
            create table definitions (id integer primary key, term_key text, note_path text,
                                      line int, japanese text);
            create table terms (key text primary key, term text, japanese text, status text);
            create table pinned_definitions (term_key text primary key, definition text);
            insert into pinned_definitions values ('flank', '脇腹');
            insert into notes values ('good.md', 'Case', 'x', 1, 1);
        """)
    result = gloss("harvest", str(notes), "--db", str(db))
    assert result.exit_code == 0, result.output + result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("select japanese, status from terms where key = 'flank'"
                            ).fetchone() == ("脇腹", "pinned")
        assert conn.execute("select value from gloss_meta where key = 'schema_version'"
                            ).fetchone() == (str(SCHEMA_VERSION),)


def test_a_database_from_a_newer_gloss_says_how_to_rebuild(notes, tmp_path, gloss):
    db = tmp_path / "g.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table gloss_meta (key text primary key, value text)")
        conn.execute("insert into gloss_meta values ('schema_version', '99')")
    result = gloss("harvest", str(notes), "--db", str(db))
    assert result.exit_code == 2
    assert "delete the file and run `gloss harvest`" in result.stderr


@pytest.mark.parametrize("command", [
    ["conflicts"], ["show", "flank"], ["export", "-"], ["prefer", "flank", "脇腹"],
    ["reading", "側腹部"], ["apply", "--check"]])
def test_only_a_harvest_brings_an_older_glossary_up_to_date(notes, tmp_path, gloss,
                                                             command) -> None:
    """A migration keeps the pins and drops what the notes give, so any other command would
    show an empty glossary ("No conflicts.", no such term): each says to harvest instead,
    and leaves the file as it was."""
    db = tmp_path / "g.db"
    assert gloss("harvest", str(notes), "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("update gloss_meta set value = ? where key = 'schema_version'",
                     [str(SCHEMA_VERSION - 1)])
    kept = "select count(*) from definitions"
    with sqlite3.connect(db) as conn:
        before = conn.execute(kept).fetchone()

    result = gloss(*command, "--db", str(db))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"Error: {db}: made by an older gloss (schema {SCHEMA_VERSION - 1}); run "
        "`gloss harvest` to bring it up to date (pins are kept)"]
    with sqlite3.connect(db) as conn:
        assert conn.execute(kept).fetchone() == before != (0,)

    assert gloss("harvest", str(notes), "--db", str(db)).exit_code == 0
    assert gloss(*command, "--db", str(db)).exit_code in (0, 1)
