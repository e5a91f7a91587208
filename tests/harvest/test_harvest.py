"""gloss harvest end to end: real files on disk, a real SQLite file, the real CLI."""

import os
import sqlite3
from pathlib import Path

import pytest

from glossary.db import open_db
from glossary.harvest import harvest

NOTE_A = """\
# [Images in Clinical Medicine: A][2024_A]

## Terminology

* [flank]: 側腹部, 脇腹

Pain in the [flank]. The skin was [tender].

[2024_A]: https://www.nejm.org/doi/full/10.1056/NEJMicm2400001
[flank]: # "側腹部, 脇腹"
[tender]: # ""
[calcinosis]: # "石灰沈着"
"""

NOTE_B = """\
# [Images in Clinical Medicine: B][2024_B]

Both [flank]s hurt; the belly was [tender].

[2024_B]: https://www.nejm.org/doi/full/10.1056/NEJMicm2400002
[flank]: # "横腹"
[tender]: # "圧痛"
[calcinosis]: # "石灰沈着"
[T-cell prolymphocytic leukemia]: # ""
"""

NOTE_C = """\
# C

[flank]: # "側腹部, 脇腹"
"""


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes" / "NEJM" / "IiCM"
    folder.mkdir(parents=True)
    (folder / "2024-01-11_62M.md").write_text(NOTE_A, encoding="utf-8")
    (folder / "2024-02-08_39wF.md").write_text(NOTE_B, encoding="utf-8")
    (folder / "2023-12-01_50M.md").write_text(NOTE_C, encoding="utf-8")
    return tmp_path / "notes"


def rows(db_path: Path, sql: str, *args):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, args).fetchall()


def test_harvest_builds_the_glossary(notes, tmp_path, gloss):
    db_path = tmp_path / "g.db"
    result = gloss("harvest", str(notes), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "3 notes · 4 terms · 1 conflict · 1 undefined" in result.output

    sql = "select key, japanese, status, notes_count from terms"
    terms = {r[0]: r[1:] for r in rows(db_path, sql)}
    assert terms["flank"] == ("側腹部, 脇腹", "conflict", 3)
    assert terms["tender"] == ("圧痛", "ok", 2)
    assert terms["calcinosis"] == ("石灰沈着", "ok", 2)
    assert terms["t-cell prolymphocytic leukemia"][1] == "undefined"

    (note,) = rows(db_path, "select title, citation, doi, date, age, sex, collection from notes "
                            "where path = 'NEJM/IiCM/2024-02-08_39wF.md'")
    assert note == ("Images in Clinical Medicine: B", "2024_B", "10.1056/NEJMicm2400002",
                    "2024-02-08", "39 weeks", "F", "NEJM/IiCM")
    forms = rows(db_path, "select form, line from definitions where term_key = 'flank' "
                          "and note_path like '%62M.md' order by line")
    assert forms == [("list", 5), ("link", 10)]
    uses = rows(db_path, "select text, context from occurrences where term_key = 'flank' "
                         "and note_path like '%39wF.md'")
    assert uses == [("flank", "Both flanks hurt; the belly was tender.")]


def test_readings_are_stored_for_every_translation(notes, tmp_path):
    db = open_db(tmp_path / "g.db")
    harvest([notes], db)
    reading, romaji = db.execute(
        "select reading, romaji from translations where japanese = '石灰沈着'").fetchone()
    assert reading == "せっかいちんちゃく"
    assert "sekkai" in romaji.split()


def test_a_tie_goes_to_the_most_recent_note(tmp_path):
    folder = tmp_path / "n"
    folder.mkdir()
    (folder / "2024-01-01_30M.md").write_text('[syncope]: # "失神"\n', encoding="utf-8")
    (folder / "2024-06-01_30M.md").write_text('[syncope]: # "気絶"\n', encoding="utf-8")
    db = open_db(tmp_path / "g.db")
    harvest([folder], db)
    assert db.execute("select japanese, status from terms").fetchone() == ("気絶", "conflict")


def test_harvest_again_replaces_what_the_notes_no_longer_say(notes, tmp_path):
    db = open_db(tmp_path / "g.db")
    harvest([notes], db)
    (notes / "NEJM/IiCM/2024-02-08_39wF.md").unlink()
    report = harvest([notes], db)
    assert report.removed == 1
    assert db.execute("select japanese, status from terms where key = 'tender'").fetchone() == (
        "", "undefined")
    assert db.execute("select count(*) from definitions where note_path like '%39wF%'"
                      ).fetchone() == (0,)
    assert db.execute("select status from terms where key = 'flank'").fetchone() == ("ok",)


def test_unchanged_notes_are_not_parsed_again(notes, tmp_path):
    db = open_db(tmp_path / "g.db")
    first = harvest([notes], db)
    assert first.parsed == 3
    again = harvest([notes], db)
    assert (again.parsed, again.unchanged) == (0, 3)
    note = notes / "NEJM/IiCM/2023-12-01_50M.md"
    os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 10**9))
    touched = harvest([notes], db)  # same bytes, new time: hashed, not parsed
    assert (touched.parsed, touched.unchanged) == (0, 3)
    note.write_text(NOTE_C.replace("側腹部, 脇腹", "横腹"), encoding="utf-8")
    changed = harvest([notes], db)
    assert changed.parsed == 1
    assert db.execute("select japanese from terms where key = 'flank'").fetchone() == ("横腹",)


def test_a_touched_note_is_hashed_but_not_parsed(notes, tmp_path, monkeypatch):
    import glossary.notes.parse as parsing

    db = open_db(tmp_path / "g.db")
    harvest([notes], db)
    for note in notes.rglob("*.md"):  # as `touch` or `git checkout` would
        os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 10**9))
    parsed = []
    real_parse = parsing.parse_note
    monkeypatch.setattr(parsing, "parse_note", lambda text: parsed.append(text) or
                        real_parse(text))
    touched = harvest([notes], db, jobs=1)
    assert (parsed, touched.parsed, touched.unchanged) == ([], 0, 3)
    assert harvest([notes], db, jobs=1).unchanged == 3  # the new times were recorded
    assert parsed == []


def test_bad_files_are_reported_and_the_rest_harvested(notes, tmp_path, gloss):
    (notes / "latin1.md").write_bytes('[café]: # "coffee"\n'.encode("latin-1"))
    (notes / "nul.md").write_bytes(b'[x]: # "\x00"\n')
    (notes / "folder.md").mkdir()  # a folder, not a bad note: nothing to report
    db_path = tmp_path / "g.db"
    result = gloss("harvest", str(notes), "--db", str(db_path))
    assert result.exit_code == 0
    assert "latin1.md: not UTF-8" in result.output
    assert "nul.md: holds NUL bytes" in result.output
    assert "folder.md" not in result.output
    assert "Traceback" not in result.output
    assert rows(db_path, "select count(*) from notes") == [(3,)]
    assert len(rows(db_path, "select * from problems")) == 2


def test_missing_notes_folder_is_a_clear_error(tmp_path, gloss):
    result = gloss("harvest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 2
    assert "no such notes folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_file_that_is_not_a_database_is_a_clear_error(notes, tmp_path, gloss):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = gloss("harvest", str(notes), "--db", str(bad))
    assert result.exit_code == 2
    assert "not a gloss database" in result.output


def test_pins_survive_harvests_and_show_in_terms(notes, tmp_path, gloss):
    db_path = str(tmp_path / "g.db")
    gloss("harvest", str(notes), "--db", db_path)
    assert gloss("prefer", "flank", "横腹, 脇腹", "--db", db_path).exit_code == 0
    gloss("harvest", str(notes), "--db", db_path)
    assert rows(db_path, "select japanese, status from terms where key = 'flank'") == [
        ("横腹, 脇腹", "pinned")]
    assert "flank" not in gloss("conflicts", "--db", db_path).output
    assert gloss("prefer", "--unpin", "flank", "--db", db_path).exit_code == 0
    assert rows(db_path, "select status from terms where key = 'flank'") == [("conflict",)]


def test_show_tells_the_story_of_a_term(notes, tmp_path, gloss):
    db_path = str(tmp_path / "g.db")
    gloss("harvest", str(notes), "--db", db_path)
    output = gloss("show", "Flank", "--db", db_path).output
    assert "側腹部, 脇腹" in output and "横腹" in output
    assert "NEJM/IiCM/2024-02-08_39wF.md" in output
    assert "Both flanks hurt" in output


def test_reading_pins_survive_a_harvest(notes, tmp_path, gloss):
    db_path = str(tmp_path / "g.db")
    gloss("harvest", str(notes), "--db", db_path)
    assert gloss("reading", "圧痛", "あっつう", "--db", db_path).exit_code == 0
    (notes / "NEJM/IiCM/2023-12-01_50M.md").write_text(NOTE_C + '[pain]: # "圧痛"\n',
                                                       encoding="utf-8")
    gloss("harvest", str(notes), "--db", db_path)
    assert set(rows(db_path, "select reading from translations where japanese = '圧痛'")) == {
        ("あっつう",)}
    assert "(pinned)" in gloss("reading", "圧痛", "--db", db_path).output


def test_unchanged_japanese_never_starts_the_reading_engine(notes, tmp_path):
    db = open_db(tmp_path / "g.db")
    harvest([notes], db)

    def no_engine():
        raise AssertionError("the reading engine was started")

    note = notes / "NEJM/IiCM/2023-12-01_50M.md"
    note.write_text(NOTE_C + "\nSome new prose about the [flank].\n", encoding="utf-8")
    report = harvest([notes], db, engine_factory=no_engine)
    assert report.parsed == 1
    note.write_text(NOTE_C + '[knee]: # "膝"\n', encoding="utf-8")
    started = []
    harvest([notes], db, engine_factory=lambda: started.append(1) or _engine())
    assert started == [1]
    assert db.execute("select reading from terms where key = 'knee'").fetchone() == ("ひざ",)


def _engine():
    from glossary.readings import ReadingEngine

    return ReadingEngine()


def test_a_note_named_as_the_notes_folder_says_so(notes, tmp_path, gloss):
    note = next(notes.rglob("*.md"))
    assert gloss("harvest", str(notes), "--db", str(tmp_path / "g.db")).exit_code == 0
    for command in ("harvest", "apply"):
        result = gloss(command, str(note), "--db", str(tmp_path / "g.db"))
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines() == [
            f"Error: {note}: is a file, not a notes folder; name the folder it is in"]


def test_a_folder_without_notes_is_said_to_have_none(tmp_path, gloss):
    empty = tmp_path / "texts"
    empty.mkdir()
    (empty / "a.txt").write_text("not a note", encoding="utf-8")
    result = gloss("harvest", str(empty), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        f"{empty.resolve()}: no notes found (no *.md file below, or .glossignore or "
        "--exclude leave them all out)"]
    assert result.stdout.startswith("0 notes")
