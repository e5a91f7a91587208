"""Ctrl-C (SIGINT to the process group) and SIGTERM during `gloss apply`, at moments
chosen at random (seeded) among named pause points and batch numbers, over two thousand
generated notes: no temporary file remains, the output says how far it got, the next apply
reports no note as changed by someone else, and the notes end as an uninterrupted apply
leaves them.

The moment is reached on purpose, never by sleeping: gloss runs with GLOSS_PAUSE_AT and
stops at each arrival at the point until the test releases it (glossary/pause.py).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

RNG = random.Random(int(os.environ.get("GLOSS_INTERRUPT_SEED", "13")))
# Where an interruption can land, and at which arrival at most: a worker holding a batch's
# temporary files (32 notes a batch), the parent right after committing a batch (256
# notes), the final recount (all notes written: only the last run may stop there). With two
# workers at most 8 batches more are in flight when the signal lands, so each interrupted
# run leaves work for the next.
POINTS = {"apply-batch-staged": 6, "apply-batch-recorded": 1, "apply-before-commit": 1}
JOBS = ("--jobs", "2")
STUCK = 300  # seconds after which a wait can only mean a stuck gloss: a failure, not a clock


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


@pytest.fixture(scope="module")
def harvested_corpus(tmp_path_factory, generate_notes, gloss_command):
    """Two thousand harvested notes, and what an uninterrupted apply makes of them."""
    base = tmp_path_factory.mktemp("interrupt")
    generate_notes(base / "notes", 2000, seed=13)
    run = subprocess.run([gloss_command, "harvest", str(base / "notes"), "--db",
                          str(base / "g.db"), "--silent"], capture_output=True)
    assert run.returncode == 0, run.stderr
    reference = copy(base, base / "reference")
    run = subprocess.run([gloss_command, "apply", str(reference / "notes"), "--db",
                          str(reference / "g.db"), "--silent"], capture_output=True)
    assert run.returncode == 0, run.stderr
    final = files_of(reference / "notes")
    assert sum(final[p] != data for p, data in files_of(base / "notes").items()) > 1000
    return base, final


def copy(base: Path, to: Path) -> Path:
    shutil.copytree(base / "notes", to / "notes")
    with sqlite3.connect(base / "g.db") as src, sqlite3.connect(to / "g.db") as dst:
        src.backup(dst)
    return to


def interrupted_apply(gloss_command: str, work: Path, point: str, arrival: int,
                      signum: int, *args: str) -> tuple[int, str]:
    """Run apply in a session of its own, pausing at every arrival at `point`; at the
    `arrival`-th, send `signum` to its whole process group, then release every pause.
    Returns (exit status, stderr)."""
    pauses = work / "pauses"
    pauses.mkdir(exist_ok=True)
    env = {**os.environ, "GLOSS_PAUSE_AT": point, "GLOSS_PAUSE_DIR": str(pauses)}
    proc = subprocess.Popen([gloss_command, "apply", str(work / "notes"), "--db",
                             str(work / "g.db"), *args], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    arrivals, signalled = 0, False
    deadline = time.monotonic() + STUCK
    while proc.poll() is None:
        if time.monotonic() > deadline:  # only a stuck gloss gets here, whatever the speed
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"apply did not finish in {STUCK} s: {proc.communicate()[1]!r}")
        for marker in sorted(pauses.iterdir()):
            arrivals += 1
            if arrivals >= arrival and not signalled:
                os.killpg(proc.pid, signum)  # Ctrl-C: the terminal signals the group
                signalled = True
                delivered(proc.pid)
            marker.unlink()
        time.sleep(0.002)  # waiting for gloss to reach a point: it waits for us there
    _, err = proc.communicate()
    assert signalled, err
    return proc.returncode, err.decode()


def delivered(pid: int) -> None:
    """Wait until the kernel has delivered the signals sent to the process (none pending):
    its handler has then run, or runs before the paused code goes on."""
    status = Path(f"/proc/{pid}/status")
    deadline = time.monotonic() + STUCK
    while time.monotonic() < deadline:
        pending = {line.split(":")[0]: int(line.split()[1], 16)
                   for line in status.read_text().splitlines()
                   if line.startswith(("SigPnd", "ShdPnd"))}
        if not any(pending.values()):
            return
        time.sleep(0.001)
    pytest.fail(f"the signals sent to {pid} were not delivered in {STUCK} s")


def test_interrupted_applies_leave_nothing_to_clean_and_finish_as_one(harvested_corpus,
                                                                       gloss_command,
                                                                       tmp_path):
    base, final = harvested_corpus
    work = copy(base, tmp_path)
    before = files_of(work / "notes")
    stops = []
    for run in range(3):
        point = RNG.choice([p for p in sorted(POINTS) if run == 2 or p != "apply-before-commit"])
        arrival = RNG.randint(1, POINTS[point])
        signum = RNG.choice([signal.SIGINT, signal.SIGTERM])
        status, err = interrupted_apply(gloss_command, work, point, arrival, signum, *JOBS)
        stops.append((point, arrival, signum, status))
        assert status == 128 + signum, err
        assert "Traceback" not in err, err
        assert f"stopped by {signal.Signals(signum).name} after " in err
        assert "run `gloss apply` again to finish" in err
        assert not list((work / "notes").rglob("*.gloss-tmp-*")), stops
        now = files_of(work / "notes")
        assert all(now[p] in (before[p], final[p]) for p in before), stops
        with sqlite3.connect(work / "g.db") as conn:  # what was written is recorded
            recorded = dict(conn.execute("select path, sha256 from notes"))
        assert all(recorded[p] == hashlib.sha256(data).hexdigest() for p, data in now.items())
    run = subprocess.run([gloss_command, "apply", str(work / "notes"), "--db",
                          str(work / "g.db"), *JOBS], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "changed since the last harvest" not in run.stderr
    assert " 0 skipped · 0 refused" in run.stdout
    assert files_of(work / "notes") == final


def test_an_interrupt_in_one_process_stops_after_the_batch(tmp_path, write_notes,
                                                           gloss_command):
    """Fewer notes than workers pay for: apply rewrites them in its own process."""
    note = "# N\n\n[flank]: # \"{}\"\n"
    files = {f"n{i:03d}.md": note.format("側腹部") for i in range(100)}
    files |= {f"o{i:03d}.md": note.format("横腹") for i in range(80)}
    notes = write_notes(tmp_path / "notes", files)
    subprocess.run([gloss_command, "harvest", str(notes), "--db", str(tmp_path / "g.db")],
                   check=True, capture_output=True)
    status, err = interrupted_apply(gloss_command, tmp_path, "apply-batch-staged", 1,
                                    signal.SIGINT, "--jobs", "1")
    assert status == 130 and "Traceback" not in err
    assert "stopped by SIGINT after 32 of 80 notes to rewrite (32 written" in err
    assert not list(notes.rglob("*.gloss-tmp-*"))
