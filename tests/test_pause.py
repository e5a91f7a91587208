"""Pause points let a test act at an exact moment of a real gloss process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from pathlib import Path


def test_a_harvest_paused_before_its_commit_and_killed_leaves_no_glossary_rows(
        tmp_path: Path, write_notes, gloss_command: str, paused_at) -> None:
    notes = write_notes(tmp_path / "notes", {"a.md": '[flank]: # "側腹部"\n'})
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    db = tmp_path / "g.db"
    env = {**os.environ, "GLOSS_PAUSE_AT": "harvest-before-commit",
           "GLOSS_PAUSE_DIR": str(pauses)}
    proc = subprocess.Popen([gloss_command, "harvest", str(notes), "--db", str(db)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    marker = paused_at(proc, pauses / f"harvest-before-commit.{proc.pid}")
    assert marker.exists()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from notes").fetchone() == (0,)


def test_a_released_pause_lets_the_harvest_finish(tmp_path: Path, write_notes,
                                                  gloss_command: str, paused_at) -> None:
    notes = write_notes(tmp_path / "notes", {"a.md": '[flank]: # "側腹部"\n'})
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    env = {**os.environ, "GLOSS_PAUSE_AT": "harvest-after-commit",
           "GLOSS_PAUSE_DIR": str(pauses)}
    proc = subprocess.Popen([gloss_command, "harvest", str(notes), "--db",
                             str(tmp_path / "g.db")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    marker = paused_at(proc, pauses / f"harvest-after-commit.{proc.pid}")
    assert marker.exists()
    marker.unlink()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.decode().startswith("1 note · 1 term")
