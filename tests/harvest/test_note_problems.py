"""A note harvested in spite of a problem: in the glossary, and in `problems` (harvested = 1)
and harvest's stderr with the reason, for as long as the problem is in the note."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BROKEN = '# [Tumoral Calcinosis][2019_DoeJ]\n\nThe [flank] hurt.\n\n[flank]: # "側腹部"\n'
FIXED = BROKEN + "\n[2019_DoeJ]: https://www.nejm.org/doi/full/10.1056/NEJMicm1\n"
REASON = ('its heading links to [2019_DoeJ], which the note does not define; '
          'the title reads "Tumoral Calcinosis"')


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_note_with_a_problem_is_harvested_and_listed_until_fixed(tmp_path: Path, write_notes,
                                                                   gloss) -> None:
    notes = write_notes(tmp_path / "notes", {"a.md": BROKEN, "b.md": b"\xff not UTF-8"})
    db = tmp_path / "g.db"
    for _ in range(2):  # the second harvest reads nothing again and still lists it
        result = gloss("harvest", str(notes), "--db", str(db))
        assert result.exit_code == 0
        assert result.stdout == "1 note · 1 term · 0 conflicts · 0 undefined · " \
                                "1 unreadable · 1 with problems\n"
        assert result.stderr.splitlines() == [
            f"a.md: {REASON}", "b.md: not UTF-8 (invalid byte at offset 0); convert it to "
                               "UTF-8 first"]
        assert rows(db, "select path, harvested from problems order by path") == [
            ("a.md", 1), ("b.md", 0)]
        assert rows(db, "select title, citation from notes") == [("Tumoral Calcinosis", "")]
    (notes / "a.md").write_text(FIXED, encoding="utf-8")
    result = gloss("harvest", str(notes), "--db", str(db))
    assert "with problems" not in result.stdout and "a.md" not in result.stderr
    assert rows(db, "select path from problems") == [("b.md",)]
    assert rows(db, "select title, citation from notes") == [("Tumoral Calcinosis", "2019_DoeJ")]


def test_an_unreadable_note_that_becomes_readable_with_a_problem_moves_over(
        tmp_path: Path, write_notes, harvested) -> None:
    notes = write_notes(tmp_path / "notes", {"a.md": b"\xff not UTF-8"})
    db_path = tmp_path / "g.db"
    harvested(notes, db_path)
    assert rows(db_path, "select path, harvested from problems") == [("a.md", 0)]
    (notes / "a.md").write_text(BROKEN, encoding="utf-8")
    harvested(notes, db_path)
    assert rows(db_path, "select path, reason, harvested from problems") == [
        ("a.md", REASON, 1)]
    (notes / "a.md").unlink()
    harvested(notes, db_path)
    assert rows(db_path, "select * from problems") == []
