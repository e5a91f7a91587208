"""A glossary where gloss cannot write: a read-only mount, /proc, a folder without
permission. Commands that change it say so in one line (exit 3); commands that read it
work as anywhere, and never call a healthy glossary "not a gloss database". Commands
with no glossary to read create nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest


def one_error(done: subprocess.CompletedProcess) -> str:
    """The single line a failure prints on stderr, without click's `Error: `."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ")
    return lines[0].removeprefix("Error: ")


def reads(gloss_run, db: Path, notes: Path) -> list[tuple[int, str]]:
    """What the read-only commands print, with their exit statuses."""
    commands = [("conflicts",), ("show", "flank"), ("export", "-"), ("export", "-", "--format",
                "json"), ("reading", "側腹部"), ("apply", str(notes), "--check"),
                ("apply", str(notes), "--dry-run")]
    return [(done.returncode, done.stdout) for done in
            (gloss_run(*command, "--db", db) for command in commands)]


def test_a_glossary_on_a_read_only_mount_reads_and_refuses_to_change(
        tmp_path, two_notes, gloss_run, read_only_view):
    base = tmp_path / "base"
    db = base / "db" / "g.db"
    assert gloss_run("harvest", two_notes, "--db", db).returncode == 0
    expected = reads(gloss_run, db, two_notes)
    view = read_only_view(base, tmp_path / "view")
    seen = sorted(p.name for p in (view / "db").iterdir())
    on_view = view / "db" / "g.db"

    assert reads(gloss_run, on_view, two_notes) == expected
    for command in (["harvest", two_notes], ["apply", two_notes], ["prefer", "flank", "脇腹"],
                    ["resolve", "--pick", "newest"], ["reading", "側腹部", "そくふくぶ"]):
        done = gloss_run(*command, "--db", on_view)
        assert (done.returncode, one_error(done)) == (
            3, f"{on_view}: cannot write the glossary here (read-only file system)"), command
    assert sorted(p.name for p in (view / "db").iterdir()) == seen


def test_serve_reads_a_glossary_on_a_read_only_mount(tmp_path, two_notes, gloss_run,
                                                    read_only_view, gloss_command):
    base = tmp_path / "base"
    assert gloss_run("harvest", two_notes, "--db", base / "g.db").returncode == 0
    view = read_only_view(base, tmp_path / "view")
    process = subprocess.Popen([gloss_command, "serve", "--db", str(view / "g.db"), "--port", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.startswith("Serving the glossary at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(f"{url}glossary/terms/flank", timeout=60) as page:
            assert "側腹部" in page.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)


def _glossary_with_a_log(base: Path, notes: Path, gloss_run, *, index: bool) -> Path:
    """A glossary copied while a writer held a change in its write-ahead log (as a copy of
    a live glossary is): the -wal file, and the -shm file when `index`."""
    live = base / "live"
    assert gloss_run("harvest", notes, "--db", live / "g.db").returncode == 0
    writer = sqlite3.connect(live / "g.db")
    try:
        writer.execute("pragma wal_autocheckpoint = 0")
        writer.execute("update terms set japanese = '脇腹' where key = 'flank'")
        writer.commit()
        copy = base / "copy"
        copy.mkdir()
        for suffix in ("", "-wal", *(("-shm",) if index else ())):
            shutil.copyfile(live / f"g.db{suffix}", copy / f"g.db{suffix}")
    finally:
        writer.close()
    return copy


def test_a_copied_live_glossary_on_a_read_only_mount_is_read_with_its_log(
        tmp_path, two_notes, gloss_run, read_only_view):
    copy = _glossary_with_a_log(tmp_path, two_notes, gloss_run, index=True)
    view = read_only_view(copy, tmp_path / "view")
    done = gloss_run("export", "-", "--db", view / "g.db")
    assert done.returncode == 0, done.stderr
    assert "flank,脇腹" in done.stdout  # the change held only in the log


def test_a_log_without_its_index_on_a_read_only_mount_is_said(tmp_path, two_notes, gloss_run,
                                                              read_only_view):
    copy = _glossary_with_a_log(tmp_path, two_notes, gloss_run, index=False)
    view = read_only_view(copy, tmp_path / "view")
    db = view / "g.db"
    done = gloss_run("conflicts", "--db", db)
    assert (done.returncode, one_error(done)) == (3, (
        f"{db}: its write-ahead log g.db-wal cannot be read without g.db-shm here; copy the "
        "glossary with both files, or open it where it can be written"))


def test_a_glossary_in_proc_cannot_be_written(two_notes, gloss_run):
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this system")
    done = gloss_run("harvest", two_notes, "--db", "/proc/x.db")
    assert (done.returncode, one_error(done)) == (
        3, "/proc/x.db: cannot write the glossary here (the folder takes no new files)")


def test_a_folder_without_write_permission(shared_folder, two_notes, gloss_run):
    """Run as an unprivileged user: root is allowed to write anywhere."""
    notes = shutil.copytree(two_notes, shared_folder / "notes")
    db = shared_folder / "db" / "g.db"
    assert gloss_run("harvest", notes, "--db", db).returncode == 0
    for path in [notes, *notes.rglob("*"), db.parent, db]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    expected = gloss_run("conflicts", "--db", db).stdout
    (db.parent).chmod(0o555)
    files = sorted(db.parent.iterdir())

    read = gloss_run("conflicts", "--db", db, as_nobody=True)
    assert (read.returncode, read.stdout, read.stderr) == (0, expected, "")
    for command in (["harvest", notes], ["apply", notes], ["prefer", "flank", "脇腹"]):
        done = gloss_run(*command, "--db", db, as_nobody=True)
        assert (done.returncode, one_error(done)) == (
            3, f"{db}: cannot write the glossary here (permission denied)"), command
    assert sorted(db.parent.iterdir()) == files


def test_commands_that_read_create_nothing_where_there_is_no_glossary(tmp_path, gloss_run):
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in (["conflicts"], ["show", "flank"], ["export", "-"], ["serve"],
                    ["resolve"], ["prefer", "flank", "側腹部"], ["apply", "--check"],
                    ["apply"]):
        done = gloss_run(*command, cwd=empty)
        assert (done.returncode, one_error(done)) == (
            2, "db/glossary.db: no glossary here; run `gloss harvest` first"), command
    assert list(empty.iterdir()) == []


def test_a_harvest_that_fails_before_its_first_note_leaves_nothing(tmp_path, gloss_run):
    done = gloss_run("harvest", tmp_path / "nowhere", "--db", "new/deep/y.db", cwd=tmp_path)
    assert (done.returncode, one_error(done)) == (2, f"{tmp_path / 'nowhere'}: no such notes "
                                                     "folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert "No conflicts" not in gloss_run("conflicts", "--db", "new/deep/y.db",
                                           cwd=tmp_path).stdout


def test_a_gloss_waiting_on_a_lock_file_that_was_removed_locks_the_new_one(
        tmp_path, two_notes, gloss_command):
    """A harvest that created a glossary and failed removes its lock file, while another
    gloss may be waiting on it: that one must then lock the file now at that path, or a
    third would not see it running."""
    from glossary.db.lock import glossary_lock, lock_path

    db = tmp_path / "g.db"
    with glossary_lock(db):
        waiting = subprocess.Popen([gloss_command, "harvest", str(two_notes), "--db", str(db)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        assert "another gloss is running" in waiting.stderr.readline()
        lock_path(db).unlink()  # as the failed harvest does, still holding it
    out, err = waiting.communicate(timeout=120)
    assert (waiting.returncode, out, err) == (
        0, "2 notes · 2 terms · 1 conflict · 0 undefined\n", "")
    assert lock_path(db).exists()  # it locked the new lock file, not the removed one


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_harvest_stopped_by_a_signal_says_so_and_leaves_no_new_glossary(
        tmp_path, two_notes, gloss_command, gloss_run, paused_at, signum):
    old, new = tmp_path / "old.db", tmp_path / "new" / "g.db"
    assert gloss_run("harvest", two_notes, "--db", old).returncode == 0
    told = gloss_run("conflicts", "--db", old).stdout
    (two_notes / "c.md").write_text('[flank]: # "脇腹"\n', encoding="utf-8")
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    env = {**os.environ, "GLOSS_PAUSE_AT": "harvest-before-commit",
           "GLOSS_PAUSE_DIR": str(pauses)}
    for db in (old, new):
        proc = subprocess.Popen([gloss_command, "harvest", str(two_notes), "--db", str(db)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        paused_at(proc, pauses / f"harvest-before-commit.{proc.pid}")
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=120)
        name = signal.Signals(signum).name
        assert (proc.returncode, out, err) == (128 + signum, "", (
            f"harvest stopped by {name}; the glossary is whole: the previous one, or the new "
            "one if the stop came after its commit\n"))
    assert gloss_run("conflicts", "--db", old).stdout == told
    assert not new.parent.exists()


def test_a_failed_harvest_removes_no_glossary_another_made_while_it_waited(
        tmp_path, two_notes, gloss_command, harvested):
    from glossary.db.lock import glossary_lock

    db = tmp_path / "g.db"
    with glossary_lock(db):
        waiting = subprocess.Popen(
            [gloss_command, "harvest", str(tmp_path / "nowhere"), "--db", str(db)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        assert "another gloss is running" in waiting.stderr.readline()
        harvested(two_notes, db).conn.close()  # made by the holder of the lock
    _, err = waiting.communicate(timeout=120)
    assert (waiting.returncode, err) == (2, f"Error: {tmp_path / 'nowhere'}: no such notes "
                                            "folder\n")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from notes").fetchone() == (2,)


def test_a_glossary_whose_first_harvest_was_killed_is_not_read_as_empty(
        tmp_path, two_notes, gloss_command, gloss_run, paused_at):
    db = tmp_path / "g.db"
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    env = {**os.environ, "GLOSS_PAUSE_AT": "harvest-before-commit",
           "GLOSS_PAUSE_DIR": str(pauses)}
    proc = subprocess.Popen([gloss_command, "harvest", str(two_notes), "--db", str(db)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    paused_at(proc, pauses / f"harvest-before-commit.{proc.pid}")
    proc.kill()  # SIGKILL: nothing of gloss runs after it, so the empty file stays
    proc.communicate(timeout=120)
    assert db.exists()
    for command in (["conflicts"], ["show", "flank"], ["export", "-"]):
        done = gloss_run(*command, "--db", db)
        assert (done.returncode, one_error(done)) == (2, (
            f"{db}: no harvest has finished into this glossary yet; run `gloss harvest` first"))
    assert gloss_run("harvest", two_notes, "--db", db).returncode == 0
    assert gloss_run("conflicts", "--db", db).returncode == 0
