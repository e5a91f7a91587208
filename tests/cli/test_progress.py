"""Progress that tracks the real work: the stages harvest and apply go through, counted as
the work is done, and how a terminal shows them (nothing for work under a second)."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from glossary.cli.progress import DELAY, StageBars
from glossary.progress import Progress, stepper


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def screen() -> tuple[StageBars, io.StringIO, Clock]:
    out, clock = io.StringIO(), Clock()
    return StageBars(out, clock=clock, redraw=False), out, clock


def test_a_stage_under_a_second_draws_nothing(screen) -> None:
    bars, out, clock = screen
    with bars:
        bars.stage("Reading notes", 10)
        bars.advance(10)
        clock.now += DELAY * 0.9
        bars.tick()
        bars.stage("Writing the glossary", 4)
    assert out.getvalue() == ""


def test_a_long_stage_draws_its_bar_and_leaves_it_when_the_next_begins(screen) -> None:
    bars, out, clock = screen
    with bars:
        bars.stage("Reading notes", 8)
        clock.now += 2
        bars.advance(2)
        bars.tick()
        assert out.getvalue() == ("\rReading notes  [######                  ]  2/8   25%  "
                                  "0:02, 0:06 left\x1b[K")
        bars.advance(6)
        bars.stage("Writing the glossary", 4)  # under a second: not drawn
    assert out.getvalue().split("\n")[0].endswith(
        "\rReading notes  [########################]  8/8  100%  0:02\x1b[K")
    assert out.getvalue().endswith("\n") and "Writing" not in out.getvalue()


def test_a_stage_of_unknown_size_counts_and_steps_say_what_is_under_way(screen) -> None:
    bars, out, clock = screen
    with bars:
        bars.stage("Finding notes")
        bars.advance(52340)
        clock.now += 1
        bars.tick()
        step = stepper(bars, "Writing the glossary", ["building indexes", "committing"])
        step()
        clock.now += 65
        bars.tick()
    lines = out.getvalue().split("\n")
    assert lines[0] == "\rFinding notes  52,340  0:01\x1b[K\rFinding notes  52,340  0:01\x1b[K"
    assert lines[1].endswith("1/2   50%  1:05  committing\x1b[K\rWriting the glossary  ["
                             "############            ]  1/2   50%  1:05\x1b[K")


class Recorder(Progress):
    """Every stage a job announced, with its total and the steps it then counted."""

    wanted = True

    def __init__(self) -> None:
        self.stages: list[list] = []

    def stage(self, label: str, total: int | None = None) -> None:
        self.stages.append([label, total, 0])

    def advance(self, count: int = 1) -> None:
        self.stages[-1][2] += count


def test_harvest_counts_notes_as_they_are_read_then_its_writing_steps(
        tmp_path: Path, generate_notes) -> None:
    from glossary.db import open_db
    from glossary.harvest import harvest

    notes = tmp_path / "notes"
    generate_notes(notes, 80)
    db = open_db(tmp_path / "g.db")
    first = Recorder()
    harvest([notes], db, progress=first, jobs=2)
    assert first.stages == [["Finding notes", None, 80], ["Reading notes", 80, 80],
                            ["Writing the glossary", 4, 4]]
    edited = sorted(notes.rglob("*.md"))[:3]
    for note in edited:
        note.write_text(note.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    again = Recorder()
    harvest([notes], db, progress=again, jobs=2)
    assert again.stages == [["Checking notes", None, 80], ["Reading notes", 3, 3],
                            ["Writing the glossary", 4, 4]]


def test_apply_counts_the_notes_it_rewrites_then_writing_then_the_harvest_after(
        tmp_path: Path, generate_notes, gloss) -> None:
    from glossary.apply import apply
    from glossary.db import open_db
    from glossary.db.notes import notes_needing_rewrite

    notes = tmp_path / "notes"
    generate_notes(notes, 80)
    db_path = tmp_path / "g.db"
    assert gloss("harvest", str(notes), "--db", str(db_path), "--silent").exit_code == 0
    db = open_db(db_path)
    needing = len(notes_needing_rewrite(db))
    assert needing > 10
    seen = Recorder()
    apply([notes], db, progress=seen, jobs=2)
    assert seen.stages[:2] == [["Rewriting notes", needing, needing],
                               ["Writing the glossary", 3, 3]]
    assert [label for label, _, _ in seen.stages[2:]] == [
        "Checking notes", "Reading notes", "Writing the glossary"]


def _read_until(fd: int, wanted: str, proc: subprocess.Popen) -> str:
    """What the terminal received up to `wanted` (or until the process ended; a minute
    without either fails the test rather than hang it)."""
    seen = b""
    deadline = time.monotonic() + 60
    while wanted.encode() not in seen:
        assert time.monotonic() < deadline, seen
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    return seen.decode("utf-8", "replace")


def test_a_terminal_sees_the_stage_under_way_and_a_pipe_sees_nothing(
        tmp_path: Path, write_notes, gloss_command: str) -> None:
    notes = write_notes(tmp_path / "notes", {"a.md": '[flank]: # "側腹部"\n'})
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    env = {**os.environ, "GLOSS_PAUSE_AT": "harvest-before-commit",
           "GLOSS_PAUSE_DIR": str(pauses)}
    main, terminal = pty.openpty()
    proc = subprocess.Popen([gloss_command, "harvest", str(notes), "--db",
                             str(tmp_path / "g.db")], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    try:
        # held before its commit, the harvest's writing stage outlasts a second: drawn
        shown = _read_until(main, "committing", proc)
        assert "\rWriting the glossary  [" in shown and "3/4   75%" in shown, shown
        for marker in pauses.iterdir():
            marker.unlink()
        out, _ = proc.communicate(timeout=120)
        rest = _read_until(main, "\n", proc)
    finally:
        os.close(main)
        proc.kill()
    assert proc.returncode == 0
    assert "100%" in rest and rest.endswith("\n")  # the line is finished, then left
    assert out.decode().startswith("1 note · 1 term")
    piped = subprocess.run([gloss_command, "harvest", str(notes), "--db",
                            str(tmp_path / "g2.db")], capture_output=True, env=os.environ)
    assert (piped.returncode, piped.stderr) == (0, b"")
