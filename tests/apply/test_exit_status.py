"""`gloss apply --check` exits 1 whenever a note disagrees with the glossary, whatever the
way; `gloss apply` exits 1 when it could not bring a note in line; 2 for usage errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AGREE = "# A\n\n[flank]: # \"側腹部\"\n"
OTHER = "# B\n\n[flank]: # \"横腹\"\n"  # with two AGREE notes: the majority rewrites it


def harvest_and(gloss, notes: Path, db: Path) -> None:
    assert gloss("harvest", str(notes), "--db", str(db)).exit_code == 0


@pytest.fixture
def agreeing(tmp_path: Path, write_notes, gloss) -> tuple[Path, Path]:
    notes = write_notes(tmp_path / "notes", {"a.md": AGREE, "b.md": AGREE})
    harvest_and(gloss, notes, tmp_path / "g.db")
    return notes, tmp_path / "g.db"


def statuses(gloss, notes: Path, db: Path) -> tuple[int, int]:
    """(exit status of --check, then of apply)."""
    check = gloss("apply", str(notes), "--db", str(db), "--check").exit_code
    return check, gloss("apply", str(notes), "--db", str(db)).exit_code


def test_all_in_line_exits_0(agreeing, gloss):
    assert statuses(gloss, *agreeing) == (0, 0)


def test_a_note_that_would_change(agreeing, gloss, write_notes):
    notes, db = agreeing
    write_notes(notes, {"c.md": OTHER})
    harvest_and(gloss, notes, db)
    assert statuses(gloss, notes, db) == (1, 0)  # apply brought it in line
    assert gloss("apply", str(notes), "--db", str(db), "--check").exit_code == 0


def test_a_definition_left_as_written(agreeing, gloss, write_notes):
    # CommonMark reads the item as a link reference definition, and the majority's text
    # (with a space) cannot be a destination: it is left as written, and said so
    notes, db = agreeing
    write_notes(notes, {"a.md": AGREE.replace("側腹部", "側腹 部"),
                        "b.md": AGREE.replace("側腹部", "側腹 部"),
                        "c.md": "# C\n\n## Terminology\n\n* [flank]: 横腹\n\n" + OTHER[5:]})
    harvest_and(gloss, notes, db)
    result = gloss("apply", str(notes), "--db", str(db), "--check")
    assert result.exit_code == 1 and "1 definition left as written" in result.output
    assert statuses(gloss, notes, db) == (1, 1)


def test_a_note_skipped_because_it_changed_since_the_harvest(agreeing, gloss, write_notes):
    notes, db = agreeing
    write_notes(notes, {"c.md": OTHER})
    harvest_and(gloss, notes, db)
    (notes / "c.md").write_text(OTHER + "\nedited\n")
    assert statuses(gloss, notes, db) == (1, 1)


def test_a_note_refused(agreeing, gloss, write_notes, tmp_path):
    notes, db = agreeing
    write_notes(notes, {"c.md": OTHER})
    harvest_and(gloss, notes, db)
    os.link(notes / "c.md", tmp_path / "second-name.md")  # replacing it would split them
    result = gloss("apply", str(notes), "--db", str(db), "--check")
    assert result.exit_code == 1 and "c.md: refused: has 2 hard links" in result.stderr
    assert statuses(gloss, notes, db) == (1, 1)


def test_an_undecided_tie(tmp_path, write_notes, gloss):
    notes = write_notes(tmp_path / "notes", {"a.md": AGREE, "b.md": OTHER})
    harvest_and(gloss, notes, tmp_path / "g.db")
    result = gloss("apply", str(notes), "--db", str(tmp_path / "g.db"), "--check")
    assert result.exit_code == 1 and "undecided, left as written: flank" in result.output
    assert statuses(gloss, notes, tmp_path / "g.db") == (1, 0)


def test_usage_errors_exit_2(agreeing, gloss, tmp_path):
    notes, db = agreeing
    assert gloss("apply", str(notes), "--db", str(db), "--ties", "oldest").exit_code == 2
    assert gloss("apply", str(tmp_path / "nowhere"), "--db", str(db)).exit_code == 2
    assert gloss("apply", str(notes), "--db", str(tmp_path / "none.db")).exit_code == 2


def test_the_exit_statuses_are_documented(gloss):
    text = gloss("apply", "--help").output
    for status in ("0 ", "1 ", "2 ", "130"):
        assert f"  {status}" in text
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "apply --check" in readme and "130" in readme
