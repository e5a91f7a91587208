"""`gloss resolve`: conflicts decided one by one, each answer pinned at once; driven through
click's runner with scripted input and through a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
from pathlib import Path

import pytest


def note(flank: str, saline: str, sentence: str) -> str:
    return (f"# Case\n\n{sentence} [flank] and [saline].\n\n"
            f'[flank]: # "{flank}"\n[saline]: # "{saline}"\n')


@pytest.fixture
def db(tmp_path: Path, write_notes, gloss) -> Path:
    """flank: a majority (2 notes against 1); saline: a tie (2 against 2)."""
    notes = write_notes(tmp_path / "notes", {
        "2019-01-01_1M.md": note("側腹部", "生理食塩水", "First pain in the"),
        "2019-02-01_2M.md": note("側腹部", "生理食塩水", "Second pain in the"),
        "2019-03-01_3M.md": note("横腹", "塩水", "Third pain in the"),
        "2019-04-01_4M.md": "# D\n\nFine [saline].\n\n[saline]: # \"塩水\"\n",
    })
    assert gloss("harvest", str(notes), "--db", str(tmp_path / "g.db")).exit_code == 0
    return tmp_path / "g.db"


def pins(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select term_key, definition from pinned_definitions"))


def test_only_the_undecided_are_asked_with_variants_notes_and_sentences(db, gloss):
    result = gloss("resolve", "--db", str(db), input="q\n")
    out = result.output
    assert result.exit_code == 0
    assert "[1/1] saline  (a tie, undecided)" in out and "] flank" not in out
    assert "  2) 塩水  (2 notes, newest)" in out
    assert "2019-03-01_3M.md: Third pain in the flank and saline." in out
    assert "quit: what was pinned stays pinned" in out
    assert pins(db) == {}


def test_all_conflicts_each_answer_pinned_at_once(db, gloss):
    result = gloss("resolve", "--all", "--db", str(db), input="2\n")  # then end of input
    assert result.exit_code == 0
    assert "[1/2] flank  (settled by majority unless you decide)" in result.output
    assert "flank: pinned to 横腹" in result.output
    assert "1 pinned · 0 skipped · 1 not asked" in result.output
    assert pins(db) == {"flank": "横腹"}  # quitting at the second kept the first


def test_typing_your_own_and_skipping(db, gloss):
    result = gloss("resolve", "--all", "--db", str(db),
                   input="x\nt\n.\nt\n\nt\nq\nt\n食塩, 塩水 (table salt)\ns\n")
    assert "answer 1-2 pick" in result.output  # "x" is no answer: asked again
    # nothing Japanese typed (".", or a stray "q"), or an empty line: back to the choices
    assert "'.' has no Japanese; not pinned" in result.output
    assert "'q' has no Japanese; not pinned" in result.output
    assert "flank: pinned to 食塩, 塩水 (table salt: not kept; a pin is the Japanese alone)" \
        in result.output
    assert pins(db) == {"flank": "食塩, 塩水"}
    assert "1 pinned · 1 skipped · 0 not asked" in result.output


def test_named_terms_and_terms_not_in_conflict(db, gloss):
    assert gloss("resolve", "flank", "--db", str(db), input="1\n").exit_code == 0
    assert pins(db) == {"flank": "側腹部"}
    result = gloss("resolve", "flank", "--db", str(db))
    assert result.exit_code == 2 and "flank: not in conflict (pinned)" in result.output


@pytest.mark.parametrize(("pick", "expected", "said"), [
    ("newest", {"flank": "横腹", "saline": "塩水"}, "saline: pinned to 塩水 (the newest"),
    ("majority", {"flank": "側腹部"}, "saline: skipped: no variant is given by more notes"),
])
def test_pick_asks_nothing_and_says_what_it_did(db, gloss, pick, expected, said):
    result = gloss("resolve", "--all", "--pick", pick, "--db", str(db))
    assert result.exit_code == 0 and said in result.output
    assert pins(db) == expected


def test_nothing_to_resolve(tmp_path, write_notes, gloss):
    notes = write_notes(tmp_path / "notes", {"a.md": note("側腹部", "塩水", "x")})
    gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
    result = gloss("resolve", "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0 and result.output.startswith("No undecided ties")


def test_resolve_in_a_real_terminal(db, gloss_command):
    """Through a pseudo-terminal: the prompt waits for each answer, as a user sees it."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: gloss, its standard streams on the terminal
        os.execv(gloss_command, [gloss_command, "resolve", "--all", "--db", str(db)])
    seen = b""

    def until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, seen.decode(errors="replace")
            seen += os.read(fd, 4096)

    until(b"quit [s]: ")
    os.write(fd, b"1\r")
    until(b"flank: pinned to")
    until(b"quit [s]: ")
    os.write(fd, b"q\r")
    until(b"not asked")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert pins(db) == {"flank": "側腹部"}
    assert b"[2/2] saline" in seen


def test_a_long_sentence_is_shown_around_the_term(bundled_glossary, gloss):
    out = gloss("resolve", "syncope", "--db", str(bundled_glossary), input="q\n").output
    shown = [line for line in out.splitlines() if "2024-02-22_58F.md: " in line]
    assert shown and "syncope" in shown[0] and shown[0].split(": ", 1)[1].startswith("…")
