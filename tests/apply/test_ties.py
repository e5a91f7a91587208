"""Ties are the user's: a conflict no variant wins by notes is undecided, apply leaves it
as written and says so; a majority settles, and apply says which terms it settled."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.apply import apply
from glossary.terms import Tally, Vote


def tally(*votes: tuple[str, str, str]) -> Tally:
    """votes: (note path, date, text), one definition per note."""
    counted = Tally()
    for path, date, text in votes:
        counted.add_note([Vote(path, date, "flank", text, "", 1)])
    return counted


def test_one_note_against_one_is_a_tie_the_newest_shown_but_undecided():
    choice = tally(("a.md", "2019-01-01", "横腹"), ("b.md", "2019-02-01", "側腹部")).choose()
    assert (choice.status, choice.tie, choice.variant) == ("conflict", True, "側腹部")


def test_a_majority_decides_and_is_no_tie():
    counted = tally(("a.md", "2019-01-01", "側腹部"), ("b.md", "2019-01-02", "側腹部"),
                    ("c.md", "2020-01-01", "横腹"))
    assert counted.majority() == "側腹部" and counted.newest() == "横腹"
    choice = counted.choose()
    assert (choice.status, choice.tie, choice.variant) == ("conflict", False, "側腹部")


def test_a_tie_at_the_top_is_a_tie_whatever_comes_below():
    counted = tally(("a.md", "", "甲"), ("b.md", "", "甲"), ("c.md", "", "乙"), ("d.md", "", "乙"),
                    ("e.md", "", "丙"))
    assert counted.majority() is None and counted.choose().tie


def test_a_tie_shows_the_most_recent_notes_variant_even_one_fewer_notes_give():
    counted = tally(("a.md", "2019-01-01", "甲"), ("b.md", "2019-01-02", "甲"),
                    ("c.md", "2019-01-03", "乙"), ("d.md", "2019-01-04", "乙"),
                    ("e.md", "2019-06-01", "丙"))
    choice = counted.choose()
    assert choice.tie and choice.variant == counted.newest() == "丙"


def test_a_pin_decides_a_tie_and_agreement_is_no_tie():
    tied = tally(("a.md", "", "甲"), ("b.md", "", "乙"))
    assert tied.choose(pinned="乙").tie is False
    assert tally(("a.md", "", "甲"), ("b.md", "", "甲")).choose().tie is False


def note(flank: str, saline: str = "") -> str:
    text = f"# Case\n\n## Terminology\n\n* [flank] {flank}\n\nThe [flank].\n\n"
    text += f'[flank]: # "{flank}"\n'
    if saline:
        text += f'[saline]: # "{saline}"\n'
    return text


@pytest.fixture
def written(tmp_path: Path, write_notes, harvested):
    notes = write_notes(tmp_path / "notes", {
        "2019-01-01_1M.md": note("側腹部, 脇腹", "生理食塩水"),
        "2019-02-01_2M.md": note("側腹部, 脇腹"),
        "2019-03-01_3M.md": note("側腹部, 脇腹"),
        "2019-04-01_4M.md": note("横腹, 脇腹", "塩水"),
    })
    db = harvested(notes, tmp_path / "g.db")
    return notes, db, {p: p.read_bytes() for p in notes.iterdir()}


def test_apply_settles_the_majority_names_it_and_leaves_the_tie(written):
    notes, db, before = written
    report = apply([notes], db)
    assert report.decisions() == [
        "settled by majority: flank: 側腹部, 脇腹 (3 notes) over 横腹, 脇腹 (1)",
        "undecided, left as written: saline: 生理食塩水 (2019-01-01_1M.md) or 塩水 "
        "(2019-04-01_4M.md); decide with `gloss resolve saline`",
    ]
    assert "1 undecided tie left as written" in report.summary()
    assert [o.path for o in report.having("changed")] == ["2019-04-01_4M.md"]
    after = (notes / "2019-04-01_4M.md").read_text()
    assert '[flank]: # "側腹部, 脇腹"' in after and '[saline]: # "塩水"' in after
    assert (notes / "2019-01-01_1M.md").read_bytes() == before[notes / "2019-01-01_1M.md"]
    assert report.exit_status() == 0  # apply did what it may; the tie is the user's


def test_a_conflict_whose_note_was_skipped_is_not_said_to_be_settled(written):
    notes, db, _ = written
    minority = notes / "2019-04-01_4M.md"
    minority.write_text(minority.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    assert "would settle by majority: flank" in apply([notes], db, check=True).decisions()[0]
    report = apply([notes], db)
    assert [o.path for o in report.having("skipped")] == ["2019-04-01_4M.md"]
    assert not any("flank" in line for line in report.decisions())
    assert report.exit_status() == 1


def test_ties_newest_writes_the_most_recent_notes_and_says_so(written):
    notes, db, _ = written
    report = apply([notes], db, ties="newest")
    assert "settled by the most recent note (--ties newest): saline: 塩水 (1 note) over " \
           "生理食塩水 (1)" in report.decisions()
    assert '[saline]: # "塩水"' in (notes / "2019-01-01_1M.md").read_text()
    assert not report.undecided


def test_gloss_conflicts_marks_ties_as_ties(written, gloss, tmp_path):
    result = gloss("conflicts", "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "flank  (most notes: 側腹部, 脇腹, 3 against 1)" in lines
    assert "saline  (tie, undecided: decide with `gloss resolve saline`)" in lines
    assert "  塩水  (1 note)" in lines and lines[-1] == "2 conflicts (1 tied, undecided)"
    assert "most notes: 塩水" not in result.output


def test_a_tie_is_recorded_in_the_terms_table(written):
    _, db, _ = written
    rows = dict(db.execute("select key, tie from terms").fetchall())
    assert rows == {"flank": 0, "saline": 1}


def test_gloss_conflicts_marks_a_note_that_disagrees_with_itself(tmp_path, write_notes, gloss):
    notes = write_notes(tmp_path / "notes", {
        "a.md": "# A\n\n## Terminology\n\n* [flank]: 脇腹\n\nThe [flank].\n\n"
                '[flank]: #terminology "側腹部"\n',
        "b.md": '# B\n\nThe [flank].\n\n[flank]: # "側腹部"\n'})
    db = str(tmp_path / "g.db")
    assert gloss("harvest", str(notes), "--db", db).exit_code == 0
    lines = gloss("conflicts", "--db", db).output.splitlines()
    assert lines.count("      a.md  (defines it more than one way)") == 2
    assert "      b.md" in lines
