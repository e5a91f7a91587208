"""The user's decisions: pinning refuses a term the glossary does not know unless --new says
it is new; unpinning what is not pinned is a no-op said plainly, for both kinds of pin."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from glossary.db import open_db
from glossary.terms import UnknownTerm, pin_definition, unpin_definition, unpin_reading


@pytest.fixture
def db_path(small_glossary: Path, tmp_path: Path) -> str:
    """A copy of the small glossary (calcinosis, flank, syncope, plus, aganglionosis)."""
    return str(shutil.copy(small_glossary, tmp_path / "glossary.db"))


def pins(db_path: str) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select term_key, definition from pinned_definitions").fetchall()


def test_a_typo_is_refused_with_the_closest_terms(db_path: str, gloss) -> None:
    result = gloss("prefer", "flnak", "側腹部", "--db", db_path)
    assert result.exit_code == 2
    assert result.output == ("Error: flnak: no such term in the glossary; did you mean flank? "
                             "(--new pins it as a new term)\n")
    assert pins(db_path) == []


def test_a_word_like_no_term_is_refused_without_a_guess(db_path: str, gloss) -> None:
    result = gloss("prefer", "xyzzy", "何か", "--db", db_path)
    assert result.exit_code == 2
    assert result.output == ("Error: xyzzy: no such term in the glossary "
                             "(--new pins it as a new term)\n")


def test_new_pins_a_term_no_note_defines_and_it_is_known_from_then_on(db_path: str,
                                                                      gloss) -> None:
    result = gloss("prefer", "flnak", "側腹部", "--new", "--db", db_path)
    assert result.exit_code == 0
    assert result.output == "flnak: pinned to 側腹部; no note defines it yet\n"
    assert pins(db_path) == [("flnak", "側腹部")]
    again = gloss("prefer", "flnak", "脇腹", "--db", db_path)  # pinned: known now
    assert again.exit_code == 0 and pins(db_path) == [("flnak", "脇腹")]


def test_a_known_term_needs_no_new(db_path: str, gloss) -> None:
    result = gloss("prefer", "Flank", "脇腹", "--db", db_path)
    assert result.exit_code == 0
    assert result.output == "flank: pinned to 脇腹\n"


def test_the_library_refuses_the_same_way(db_path: str) -> None:
    db = open_db(Path(db_path), create=False)
    with pytest.raises(UnknownTerm, match="did you mean syncope"):
        pin_definition(db, "syncopee", "失神")
    assert pin_definition(db, "syncopee", "失神", new=True) == "syncopee"


def test_unpinning_a_definition_that_is_not_pinned_is_a_said_no_op(db_path: str,
                                                                    gloss) -> None:
    result = gloss("prefer", "--unpin", "flank", "--db", db_path)
    assert (result.exit_code, result.output) == (
        0, "flank: no definition was pinned; nothing changed\n")
    gloss("prefer", "flank", "脇腹", "--db", db_path)
    result = gloss("prefer", "--unpin", "flank", "--db", db_path)
    assert (result.exit_code, result.output) == (
        0, "flank: definition unpinned; the notes decide again\n")
    assert pins(db_path) == []


def test_unpinning_a_reading_that_is_not_pinned_is_the_same_no_op(db_path: str,
                                                                  gloss) -> None:
    result = gloss("reading", "--unpin", "側腹部", "--db", db_path)
    assert (result.exit_code, result.output) == (
        0, "側腹部: no reading was pinned; nothing changed\n")
    assert gloss("reading", "側腹部", "そくふくぶ", "--db", db_path).exit_code == 0
    result = gloss("reading", "--unpin", "側腹部", "--db", db_path)
    assert (result.exit_code, result.output) == (
        0, "側腹部: reading unpinned; the notes and the reading engine decide again\n")


def test_the_library_says_whether_there_was_a_pin(db_path: str) -> None:
    db = open_db(Path(db_path), create=False)
    assert unpin_definition(db, "flank") is False
    assert unpin_reading(db, "側腹部") is False


def test_the_rules_are_in_the_help(gloss) -> None:
    for command in ("prefer", "reading"):
        text = " ".join(gloss(command, "--help").output.split())
        assert "Unpinning what is not pinned changes nothing, says so and exits 0." in text
    assert "--new" in gloss("prefer", "--help").output


@pytest.mark.parametrize("command", [["reading", "側腹部", "そくふくぶ"],
                                     ["reading", "--unpin", "側腹部"],
                                     ["prefer", "flank", "脇腹"]])
def test_a_pin_with_no_glossary_creates_none(tmp_path: Path, gloss, monkeypatch,
                                             command: list[str]) -> None:
    """Run in the wrong folder, a pin must not start a stray glossary there."""
    monkeypatch.chdir(tmp_path)
    result = gloss(*command)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: db/glossary.db: no glossary here; run `gloss harvest` first"]
    assert list(tmp_path.iterdir()) == []


def test_a_pin_says_what_of_the_definition_it_does_not_keep(db_path: str, gloss) -> None:
    result = gloss("prefer", "flank", "側腹 side (of the body)", "--db", db_path)
    assert result.output == ("flank: pinned to 側腹 (side (of the body): not kept; a pin is "
                             "the Japanese alone)\n")
    assert pins(db_path) == [("flank", "側腹")]
    assert gloss("prefer", "flank", "側腹, 脇腹", "--db", db_path).output == (
        "flank: pinned to 側腹, 脇腹\n")


def test_a_new_terms_pin_is_shown_until_a_note_defines_it(db_path: str, gloss) -> None:
    assert gloss("prefer", "neologism", "新語", "--new", "--db", db_path).output == (
        "neologism: pinned to 新語; no note defines it yet\n")
    result = gloss("show", "Neologism", "--db", db_path)
    assert (result.exit_code, result.output) == (
        0, "Neologism  [pinned, in no note yet]  新語\n")
