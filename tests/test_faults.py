"""Faults: gloss killed at named moments, a reader during a harvest, two glosses at once,
notes edited under it.

Each test runs the real `gloss` command in subprocesses over small generated notes (the
benchmark's generator, in the real note format). The moments are reached on purpose, never
by sleeping: gloss runs with GLOSS_PAUSE_AT and waits at the named point (glossary/pause.py)
while the test reads the glossary, starts a second gloss, or kills the whole gloss (SIGKILL
to its process group, workers too). What is asserted holds however fast the machine is:
after a kill the glossary is wholly the previous one or wholly the new one, and every note
wholly old or wholly new. PATIENCE only bounds how long a broken gloss is waited for.
"""

from __future__ import annotations

import os
import select
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
PATIENCE = 120  # seconds; reached only when gloss is stuck or never gets to its point
EDIT = '\n[faults edit]: # "編集"\n'  # appended to a note: a definition the new glossary has


_STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_gloss_left_waiting():
    """A test that fails while gloss waits at a pause point kills it as it ends."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            kill(proc)


def gloss(*args: str, pauses: Path | None = None, at: str = "",
          env: dict | None = None) -> subprocess.Popen:
    """Start gloss in a process group of its own; with `pauses`, it waits at the points `at`
    (comma-separated) until the test releases or kills it."""
    extra = {"GLOSS_PAUSE_AT": at, "GLOSS_PAUSE_DIR": str(pauses)} if pauses else {}
    proc = subprocess.Popen([GLOSS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **extra, **(env or {})},
                            start_new_session=True)
    _STARTED.append(proc)
    return proc


def finish(proc: subprocess.Popen, timeout: float = PATIENCE) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def paused(proc: subprocess.Popen, pauses: Path, point: str) -> Path:
    """Wait until gloss (or one of its workers) waits at `point`; its pause file."""
    deadline = time.monotonic() + PATIENCE
    while not (found := sorted(pauses.glob(f"{point}.*"))):
        if proc.poll() is not None:
            code, out, err = finish(proc)
            pytest.fail(f"gloss ended ({code}) before reaching {point}:\n{out}{err}")
        if time.monotonic() > deadline:
            kill(proc)
            pytest.fail(f"gloss did not reach {point} in {PATIENCE} s")
        time.sleep(0.005)  # gloss waits for us once there: nothing races
    return found[0]


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL gloss and its workers, as a power cut would."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # it had already ended (and was waited for)
        pass
    proc.communicate()


def stderr_until(proc: subprocess.Popen, text: str) -> str:
    """Read the stderr of a running gloss until `text` appears in it; what was read."""
    read = b""
    deadline = time.monotonic() + PATIENCE
    while text.encode() not in read:
        ready, _, _ = select.select([proc.stderr], [], [], max(0, deadline - time.monotonic()))
        chunk = os.read(proc.stderr.fileno(), 4096) if ready else b""
        if not chunk:
            kill(proc)
            pytest.fail(f"no {text!r} from gloss (exit {proc.returncode}): {read.decode()}")
        read += chunk
    return read.decode()


def check(db: Path) -> tuple[int, int]:
    """The glossary is readable and intact: (notes, definitions)."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
        return (conn.execute("select count(*) from notes").fetchone()[0],
                conn.execute("select count(*) from definitions").fetchone()[0])


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without row ids (the same glossary may number its
    rows differently)."""
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")]
        found = {}
        for table in tables:
            columns = [c[1] for c in conn.execute(f"pragma table_info([{table}])")
                       if c[1] != "id"]
            found[table] = sorted(conn.execute(
                f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]"), key=repr)
        return found


def copy_db(source: Path, to: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


# -- harvest ---------------------------------------------------------------------------

def beside(previous: Path, tmp_path: Path) -> Path:
    """A private copy of the previous glossary, in its folder: the notes folder it records
    is then the same relative path as in the glossaries it is compared with."""
    return copy_db(previous, previous.with_name(f"{tmp_path.name}.db"))


@pytest.fixture(scope="module")
def two_harvests(tmp_path_factory, generate_notes) -> tuple[Path, Path, Path]:
    """Notes as they are now, the glossary of the notes as they were (160 of them: since
    then 10 were removed, 10 edited and 80 added) and the glossary harvest makes of it now:
    (notes, previous glossary, new glossary)."""
    base = tmp_path_factory.mktemp("harvests")
    notes = base / "notes"
    generate_notes(notes, 240, seed=6)
    files = sorted(notes.rglob("*.md"))
    later = base / "later"
    later.mkdir()
    for i, file in enumerate(files[160:]):  # not written yet
        file.rename(later / f"{i}.md")
    previous = base / "previous.db"
    code, _, err = finish(gloss("harvest", str(notes), "--db", str(previous), "--silent"))
    assert code == 0, err
    for i, file in enumerate(files[160:]):
        (later / f"{i}.md").rename(file)
    for file in files[:10]:
        file.unlink()
    for file in files[10:20]:
        with file.open("a", encoding="utf-8") as note:
            note.write(EDIT)
    new = copy_db(previous, base / "new.db")
    code, _, err = finish(gloss("harvest", str(notes), "--db", str(new), "--silent"))
    assert code == 0, err
    assert check(previous)[0] == 160 and check(new)[0] == 230
    return notes, previous, new


@pytest.mark.parametrize("point, survives", [
    ("harvest-mid-batch", "previous"),
    ("harvest-before-commit", "previous"),
    ("harvest-after-commit", "new"),
])
def test_a_harvest_killed_leaves_the_previous_glossary_or_the_new(two_harvests, tmp_path,
                                                                   point, survives):
    notes, previous, new = two_harvests
    db = beside(previous, tmp_path)
    expected = contents(previous if survives == "previous" else new)
    assert expected != contents(new if survives == "previous" else previous)
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    proc = gloss("harvest", str(notes), "--db", str(db), "--silent", pauses=pauses, at=point)
    if point == "harvest-mid-batch":
        for _ in range(40):  # rows of forty of the ninety changed notes written
            paused(proc, pauses, point).unlink()
    paused(proc, pauses, point)
    kill(proc)
    check(db)
    assert contents(db) == expected  # all of one glossary, nothing of the other
    code, out, err = finish(gloss("harvest", str(notes), "--db", str(db)))
    assert code == 0, err
    assert out.startswith("230 notes · ")
    assert contents(db) == contents(new)


def test_a_reader_sees_the_previous_glossary_until_the_commit_then_the_new(two_harvests,
                                                                           tmp_path):
    notes, previous, new = two_harvests
    db = beside(previous, tmp_path)
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    proc = gloss("harvest", str(notes), "--db", str(db), "--silent", pauses=pauses,
                 at="harvest-before-commit,harvest-after-commit")
    before = paused(proc, pauses, "harvest-before-commit")  # every row written, uncommitted
    assert contents(db) == contents(previous)
    before.unlink()
    after = paused(proc, pauses, "harvest-after-commit")
    assert contents(db) == contents(new)
    after.unlink()
    assert finish(proc)[0] == 0
    assert contents(db) == contents(new)


def test_two_harvests_at_once_one_waits_and_says_so(tmp_path, generate_notes):
    notes = tmp_path / "notes"
    generate_notes(notes, 100, seed=6)
    db = tmp_path / "g.db"
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    first = gloss("harvest", str(notes), "--db", str(db), "--silent", pauses=pauses,
                  at="lock-held")
    holding = paused(first, pauses, "lock-held")
    second = gloss("harvest", str(notes), "--db", str(db))
    told = stderr_until(second, "; waiting for it")
    assert f"(pid {first.pid})" in told
    assert second.poll() is None  # waiting for the first, which holds the lock
    holding.unlink()
    code1, _, err1 = finish(first)
    code2, out2, err2 = finish(second)
    assert (code1, code2) == (0, 0), err1 + told + err2
    assert (told + err2).count("another gloss is running") == 1
    assert out2.startswith("100 notes · ")
    assert check(db)[0] == 100


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


def test_a_pin_waits_for_a_running_harvest_and_lands_after_it(tmp_path, generate_notes):
    notes = tmp_path / "notes"
    generate_notes(notes, 50, seed=8)
    db = tmp_path / "g.db"
    assert finish(gloss("harvest", str(notes), "--db", str(db)))[0] == 0
    with sqlite3.connect(db) as conn:
        term, japanese = conn.execute(
            "select term, japanese from terms where japanese != '' order by key").fetchone()
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    harvesting = gloss("harvest", str(notes), "--db", str(db), "--silent", pauses=pauses,
                       at="lock-held")
    holding = paused(harvesting, pauses, "lock-held")
    pin = gloss("prefer", term, "新しい訳語", "--db", str(db))
    told = stderr_until(pin, "; waiting for it")
    assert f"(pid {harvesting.pid})" in told
    assert pin.poll() is None  # not written into the middle of the harvest
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from pinned_definitions").fetchone() == (0,)
    holding.unlink()
    assert finish(harvesting)[0] == 0
    code, out, err = finish(pin)
    assert code == 0, told + err
    assert out.strip() == f"{term}: pinned to 新しい訳語"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select japanese, status from terms where term = ?",
                            (term,)).fetchone() == ("新しい訳語", "pinned")


@pytest.mark.parametrize("command", [("prefer", "flank", "訳語"),
                                     ("reading", "訳語", "べつのよみ"),
                                     ("reading", "訳語", "--unpin")])
def test_a_pin_that_cannot_get_the_lock_gives_up_clearly_and_writes_nothing(
        tmp_path, command):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text('[flank]: # "側腹部"\n', encoding="utf-8")
    db = tmp_path / "g.db"
    assert finish(gloss("harvest", str(notes), "--db", str(db)))[0] == 0
    assert finish(gloss("reading", "訳語", "やくご", "--db", str(db)))[0] == 0
    with glossary_lock(db):
        code, out, err = finish(gloss(*command, "--db", str(db),
                                      env={"GLOSS_LOCK_TIMEOUT": "0.5"}))
    assert code == 2
    assert f"another gloss is still running (pid {os.getpid()})" in err
    assert "Traceback" not in err and out == ""
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from pinned_definitions").fetchone() == (0,)
        assert conn.execute("select japanese, reading from pinned_readings").fetchall() == [
            ("訳語", "やくご")]


# -- apply -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def applied(tmp_path_factory, generate_notes
            ) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """Harvested notes with conflicts, their bytes, and the bytes a full apply makes of
    them: (notes, glossary, old, new)."""
    base = tmp_path_factory.mktemp("apply")
    notes = base / "notes"
    generate_notes(notes, 400, seed=7)
    db = base / "g.db"
    assert finish(gloss("harvest", str(notes), "--db", str(db), "--silent"))[0] == 0
    old = files_of(notes)
    trial = base / "trial"
    shutil.copytree(notes, trial / "notes")
    copy_db(db, trial / "g.db")
    code, out, err = finish(gloss("apply", str(trial / "notes"), "--db", str(trial / "g.db")))
    assert code == 0, err
    new = files_of(trial / "notes")
    assert sum(old[k] != new[k] for k in old) > 256  # more than one batch to record
    return notes, db, old, new


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


def fresh_copy(applied, tmp_path: Path):
    """A private copy of the harvested notes and glossary, for a test to break."""
    source, source_db, old, new = applied
    notes = tmp_path / "notes"
    shutil.copytree(source, notes)
    return notes, copy_db(source_db, tmp_path / "g.db"), old, new


@pytest.mark.parametrize("point", ["apply-batch-staged", "apply-note-written",
                                   "apply-batch-recorded", "apply-before-commit",
                                   "apply-after-commit"])
def test_an_apply_killed_leaves_each_note_whole_and_the_next_one_finishes(applied, tmp_path,
                                                                          point):
    notes, db, old, new = fresh_copy(applied, tmp_path)
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    proc = gloss("apply", str(notes), "--db", str(db), "--silent", pauses=pauses, at=point)
    paused(proc, pauses, point)
    kill(proc)
    now = files_of(notes)
    assert now.keys() == old.keys()
    for path, data in now.items():
        assert data in (old[path], new[path]), f"{path} is neither old nor new"
    if point.endswith("-commit"):  # every note was written before the final recount
        assert now == new
    check(db)
    # Leave a stray temporary file like one a kill between create and rename would; the
    # kill's own and it are removed once a minute old (younger ones may be another gloss's).
    # Once the apply committed, the glossary knows none of its files is left: none is.
    stray = notes / Path(next(iter(old))).parent / ".x.md.gloss-tmp-0123456789abcdef"
    if point != "apply-after-commit":
        stray.write_bytes(b"half a note")
    for temp in notes.rglob("*.gloss-tmp-*"):
        os.utime(temp, (time.time() - 61, time.time() - 61))
    code, out, err = finish(gloss("harvest", str(notes), "--db", str(db)))
    assert code == 0, err
    assert (f"{stray}: removed" in err) == (point != "apply-after-commit")
    code, out, err = finish(gloss("apply", str(notes), "--db", str(db)))
    assert code == 0, err
    assert not list(notes.rglob("*.gloss-tmp-*"))
    assert files_of(notes) == new
    check(db)


def test_a_note_edited_after_the_harvest_is_not_overwritten(applied, tmp_path):
    notes, db, old, new = fresh_copy(applied, tmp_path)
    path = next(p for p in old if old[p] != new[p])
    edited = old[path] + b"\nAn edit made after the harvest.\n"
    (notes / path).write_bytes(edited)
    code, out, err = finish(gloss("apply", str(notes), "--db", str(db)))
    assert code == 1, err  # a note skipped: apply says so in its exit status too
    assert (notes / path).read_bytes() == edited
    assert path in err
