"""A disk that fills in the middle of a harvest or an apply, on a real small tmpfs: one line
saying so (exit 4), the previous glossary and every note intact, and the next run, once
there is space, finishing the job. Reading a glossary on a full disk still works.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

NO_SPACE_HARVEST = ("no space left on the device; the harvest stopped and changed nothing: "
                    "the previous glossary and every note are intact; free some space and "
                    "harvest again")
NO_SPACE_APPLY = ("no space left on the device; gloss apply stopped: every note is whole "
                  "(rewritten or as it was) and the glossary is intact; free some space, then "
                  "run `gloss harvest` and `gloss apply` again")


def one_error(done) -> str:
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0].removeprefix("Error: ")


def contents(db: Path) -> list:
    """Everything the glossary holds, table by table (a file's bytes may differ while its
    contents are the same: SQLite's header counts changes)."""
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        tables = [t for (t,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%' "
            "and name != 'gloss_meta' order by name")]
        return [(t, sorted(map(repr, conn.execute(f"select * from [{t}]")))) for t in tables]


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_harvest_that_fills_the_disk_leaves_the_previous_glossary(
        tmp_path, small_disk, fill_disk, generate_notes, gloss_run):
    every = tmp_path / "every"
    generate_notes(every, 300)
    disk = small_disk(16 * 1024)
    notes, db = disk / "notes", disk / "db" / "g.db"
    files = sorted(every.rglob("*.md"))
    for file in files[:20]:  # the glossary of the first 20 notes, then 280 more arrive
        (notes / file.relative_to(every)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, notes / file.relative_to(every))
    assert gloss_run("harvest", notes, "--db", db).returncode == 0
    before, told = contents(db), gloss_run("conflicts", "--db", db).stdout
    shutil.copytree(every, notes, dirs_exist_ok=True)
    written = hashes(notes)
    filler = fill_disk(disk, 2048)  # the 300 notes' glossary needs some 7 MB

    done = gloss_run("harvest", notes, "--db", db)
    assert (done.returncode, one_error(done)) == (4, f"{db}: {NO_SPACE_HARVEST}")
    assert contents(db) == before
    assert hashes(notes) == written
    last = fill_disk(disk / "notes", 0)  # not a byte left: reading still works
    conflicts = gloss_run("conflicts", "--db", db)
    assert (conflicts.returncode, conflicts.stdout) == (0, told)

    filler.unlink()
    last.unlink()
    again = gloss_run("harvest", notes, "--db", db)
    assert again.returncode == 0 and again.stdout.startswith("300 notes"), again.stderr


def test_a_first_harvest_that_fills_the_disk_leaves_no_glossary(
        tmp_path, small_disk, fill_disk, generate_notes, gloss_run):
    disk = small_disk(8 * 1024)
    notes = disk / "notes"
    generate_notes(notes, 200)
    fill_disk(disk, 1024)
    done = gloss_run("harvest", notes, "--db", disk / "db" / "g.db")
    assert (done.returncode, one_error(done)) == (4, (
        f"{disk / 'db' / 'g.db'}: no space left on the device; the harvest stopped: every "
        "note is intact and no glossary was left behind; free some space and harvest again"))
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "notes"]


def test_an_apply_that_fills_the_disk_leaves_every_note_whole(
        tmp_path, small_disk, fill_disk, write_notes, gloss_run):
    disk = small_disk(4 * 1024)
    small = '# [Case {n}][c]\n\nThe [flank].\n\n[c]: https://example.org/{n}\n[flank]: # "横腹"\n'
    notes = write_notes(disk / "notes", {f"n{n:02}.md": small.format(n=n) for n in range(40)})
    # Last in the walk, a note whose new copy cannot fit beside it.
    big = disk / "notes" / "z.md"
    big.write_text(small.format(n="z") + "\n" + "Padding text. " * 100_000, encoding="utf-8")
    db = tmp_path / "g.db"  # the glossary has room: the notes' disk fills
    assert gloss_run("harvest", notes, "--db", db).returncode == 0
    assert gloss_run("prefer", "flank", "側腹部", "--db", db).returncode == 0
    before = hashes(notes)
    filler = fill_disk(disk, 1024)

    done = gloss_run("apply", notes, "--db", db, "--jobs", "1")
    assert (done.returncode, one_error(done)) == (4, f"{big}: {NO_SPACE_APPLY}")
    after = hashes(notes)
    assert sorted(after) == sorted(before)  # no temporary file left, no note lost
    assert after["z.md"] == before["z.md"]
    rewritten = {name for name in before if after[name] != before[name]}
    for name in rewritten:
        assert '[flank]: # "側腹部"' in (notes / name).read_text(encoding="utf-8")
    assert 0 < len(rewritten) < 41  # it stopped mid-way

    filler.unlink()
    assert gloss_run("harvest", notes, "--db", db).returncode == 0
    finished = gloss_run("apply", notes, "--db", db)
    assert finished.returncode == 0, finished.stderr
    assert all('[flank]: # "側腹部"' in (notes / name).read_text(encoding="utf-8")
               for name in before)


def test_pinning_on_a_full_disk_says_so_and_changes_nothing(
        small_disk, fill_disk, write_notes, gloss_run):
    disk = small_disk(4 * 1024)
    notes = write_notes(disk / "notes", {"a.md": '[flank]: # "横腹"\n',
                                         "b.md": '[flank]: # "側腹部"\n'})
    db = disk / "db" / "g.db"
    assert gloss_run("harvest", notes, "--db", db).returncode == 0
    before = contents(db)
    last = fill_disk(disk, 0)
    for command in (["prefer", "flank", "側腹部"], ["resolve", "--pick", "newest"],
                    ["reading", "側腹部", "そくふくぶ"]):
        done = gloss_run(*command, "--db", db)
        assert (done.returncode, one_error(done)) == (
            4, f"{db}: no space left on the device; nothing was changed"), command
        assert contents(db) == before
    last.unlink()
    assert gloss_run("resolve", "--pick", "newest", "--db", db).returncode == 0
