"""Faults: gloss killed at random moments, two glosses at once, notes edited under it.

Each test runs the real `gloss` command in subprocesses over generated notes (the
benchmark's generator, in the real note format) and kills it with SIGKILL.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glossary.db import glossary_lock

GLOSS = str(Path(sys.executable).parent / "gloss")
RNG = random.Random(int(os.environ.get("GLOSS_FAULT_SEED", "6")))


def gloss(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([GLOSS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, **kwargs)


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def killed_after(proc: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL the process after `seconds` unless it ended first; True when it was killed."""
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def check(db: Path) -> tuple[int, int]:
    """The glossary is readable and intact: (notes, definitions)."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
        return (conn.execute("select count(*) from notes").fetchone()[0],
                conn.execute("select count(*) from definitions").fetchone()[0])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, generate_notes) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "notes"
    generate_notes(folder, 2000, seed=6)
    return folder


def test_harvest_killed_at_random_moments_leaves_the_previous_glossary(corpus, tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(corpus, notes)
    files = sorted(notes.rglob("*.md"))
    # The previous glossary: the first half of the notes.
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for i, file in enumerate(files[1000:]):
        file.rename(hidden / f"{i}.md")
    db = tmp_path / "g.db"
    assert finish(gloss("harvest", str(notes), "--db", str(db), "--silent"))[0] == 0
    previous = check(db)
    assert previous[0] == 1000
    for i, file in enumerate(files[1000:]):
        (hidden / f"{i}.md").rename(file)

    kills = 0
    for _ in range(4):
        proc = gloss("harvest", str(notes), "--db", str(db), "--silent")
        if killed_after(proc, RNG.uniform(0.2, 2.0)):
            kills += 1
            assert check(db) == previous  # all of the previous harvest, none of this one
    assert kills >= 2

    # A reader polling during the next harvest sees the old glossary or the new, never a mix.
    proc = gloss("harvest", str(notes), "--db", str(db), "--silent")
    seen = set()
    with sqlite3.connect(db, timeout=30) as reader:
        while proc.poll() is None:
            seen.add(reader.execute("select count(*) from notes").fetchone()[0])
            time.sleep(0.01)
    assert proc.returncode == 0, proc.stderr.read()
    assert check(db)[0] == 2000
    assert seen <= {1000, 2000}


def test_two_harvests_at_once_one_waits_and_says_so(corpus, tmp_path):
    db = tmp_path / "g.db"
    first = gloss("harvest", str(corpus), "--db", str(db), "--silent")
    time.sleep(0.3)
    second = gloss("harvest", str(corpus), "--db", str(db))
    code1, _, err1 = finish(first)
    code2, out2, err2 = finish(second)
    assert (code1, code2) == (0, 0), err1 + err2
    assert err2.count("another gloss is running") == 1
    assert f"(pid {first.pid})" in err2
    assert "2000 notes" in out2
    assert check(db)[0] == 2000


def test_a_gloss_that_cannot_get_the_lock_gives_up_clearly(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text('[flank]: # "側腹部"\n', encoding="utf-8")
    db = tmp_path / "g.db"
    with glossary_lock(db):
        code, _, err = finish(gloss("harvest", str(notes), "--db", str(db),
                                    env={"GLOSS_LOCK_TIMEOUT": "0.5"}))
    assert code == 2
    assert f"another gloss is still running (pid {os.getpid()})" in err
    assert "Traceback" not in err
    assert not db.exists()
    assert finish(gloss("harvest", str(notes), "--db", str(db)))[0] == 0


@pytest.fixture(scope="module")
def applied(corpus, tmp_path_factory, generate_notes
            ) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes], float]:
    """Six hundred harvested notes with conflicts, what a full apply makes of them, and how
    many seconds that apply took on this machine."""
    base = tmp_path_factory.mktemp("apply")
    notes = base / "notes"
    generate_notes(notes, 600, seed=7)
    db = base / "g.db"
    assert finish(gloss("harvest", str(notes), "--db", str(db), "--silent"))[0] == 0
    old = {p.relative_to(notes).as_posix(): p.read_bytes() for p in notes.rglob("*.md")}
    trial = base / "trial"
    shutil.copytree(notes, trial / "notes")
    with sqlite3.connect(db) as src, sqlite3.connect(trial / "g.db") as dst:
        src.backup(dst)
    start = time.perf_counter()
    code, out, err = finish(gloss("apply", str(trial / "notes"), "--db", str(trial / "g.db")))
    seconds = time.perf_counter() - start
    assert code == 0, err
    new = {p.relative_to(trial / "notes").as_posix(): p.read_bytes()
           for p in (trial / "notes").rglob("*.md")}
    assert sum(old[k] != new[k] for k in old) > 100  # apply has real work to do
    return notes, db, old, new, seconds


def fresh_copy(applied, tmp_path: Path):
    """A private copy of the harvested notes and glossary, for a test to break."""
    source, source_db, old, new, _ = applied
    notes = tmp_path / "notes"
    shutil.copytree(source, notes)
    db = tmp_path / "g.db"
    with sqlite3.connect(source_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    return notes, db, old, new


def test_apply_killed_at_random_moments_leaves_each_note_whole(applied, tmp_path):
    notes, db, old, new = fresh_copy(applied, tmp_path)
    kills = 0
    for _ in range(3):
        proc = gloss("apply", str(notes), "--db", str(db), "--silent")
        # Anywhere from start-up to near the end of a whole apply, however fast this machine.
        if killed_after(proc, RNG.uniform(0.15, 0.85) * applied[-1]):
            kills += 1
        for path, data in old.items():
            now = (notes / path).read_bytes()
            assert now in (data, new[path]), f"{path} is neither old nor new"
        check(db)
    assert kills >= 1
    # Leave a stray temporary file like one a kill between create and rename would; the
    # kills' own and it are removed once a minute old (younger ones may be another gloss's).
    stray = notes / Path(next(iter(old))).parent / ".x.md.gloss-tmp-0123456789abcdef"
    stray.write_bytes(b"half a note")
    for temp in notes.rglob("*.gloss-tmp-*"):
        os.utime(temp, (time.time() - 61, time.time() - 61))
    code, out, err = finish(gloss("harvest", str(notes), "--db", str(db)))
    assert code == 0, err
    assert f"{stray}: removed" in err
    code, out, err = finish(gloss("apply", str(notes), "--db", str(db)))
    assert code == 0, err
    assert not list(notes.rglob("*.gloss-tmp-*"))
    for path in old:
        assert (notes / path).read_bytes() in (old[path], new[path])


def test_a_note_edited_after_the_harvest_is_not_overwritten(applied, tmp_path):
    notes, db, old, new = fresh_copy(applied, tmp_path)
    path = next(p for p in old if old[p] != new[p])
    edited = old[path] + b"\nAn edit made after the harvest.\n"
    (notes / path).write_bytes(edited)
    code, out, err = finish(gloss("apply", str(notes), "--db", str(db)))
    assert code == 1, err  # a note skipped: apply says so in its exit status too
    assert (notes / path).read_bytes() == edited
    assert path in err
