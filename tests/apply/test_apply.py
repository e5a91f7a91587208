"""`gloss apply` on real files: safety rules, CLI, and the real corpus (when present)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from glossary.apply import apply
from glossary.apply import write as writer
from glossary.db import open_db
from glossary.harvest import harvest
from glossary.notes import parse_note
from glossary.temp_files import expect_temp_files

A = "# A\n\n## Terminology\n\n* [flank]: 側腹部, 脇腹\n\n[flank]: # \"側腹部, 脇腹\"\n"
B = "# B\n\n## Terminology\n\n* [flank]: 側腹部, 脇腹\n\n[flank]: # \"側腹部, 脇腹\"\n"
C = "# C\n\nThe [flank].\n\n[flank]: #terminology \"横腹\"\n[tender]: # \"\"\n"
D = "# D\n\n[tender]: # \"圧痛\"\n"


@pytest.fixture
def notes(tmp_path: Path, write_notes) -> Path:
    return write_notes(tmp_path / "notes", {"a.md": A, "b.md": B, "sub/c.md": C, "d.md": D})


def test_apply_rewrites_and_fills_then_changes_nothing(notes, tmp_path, harvested):
    db = harvested(notes, tmp_path / "glossary.db")
    report = apply([notes], db)
    assert [(o.path, o.changed, o.filled) for o in report.having("changed")] == [("sub/c.md", 2, 1)]
    assert (notes / "sub/c.md").read_text() == (
        "# C\n\nThe [flank].\n\n[flank]: #terminology \"側腹部, 脇腹\"\n[tender]: # \"圧痛\"\n")
    assert "1 note changed (2 definitions, 1 filled)" in report.summary()
    assert report.harvest is not None and report.harvest.conflicts == 0
    before = {p: p.read_bytes() for p in notes.rglob("*.md")}
    again = apply([notes], db)
    assert not again.having("changed")
    assert {p: p.read_bytes() for p in notes.rglob("*.md")} == before


def test_stale_note_is_skipped_and_not_written(notes, tmp_path, harvested):
    db = harvested(notes, tmp_path / "glossary.db")
    edited = C.replace("The", "Both")
    (notes / "sub/c.md").write_text(edited)
    report = apply([notes], db)
    [outcome] = [o for o in report.outcomes if o.path == "sub/c.md"]
    assert outcome.status == "skipped" and "run `gloss harvest` first" in outcome.reasons[0]
    assert (notes / "sub/c.md").read_text() == edited


def test_writer_refuses_a_note_changed_after_it_was_read(tmp_path, write_notes):
    note = write_notes(tmp_path, {"n.md": "old"}) / "n.md"
    sha = hashlib.sha256(b"old").hexdigest()
    note.write_text("edited meanwhile")
    with pytest.raises(writer.WriteRefused, match="stale"):
        writer.write_note(note, b"new", folder=tmp_path, read_sha256=sha, db_sha256=sha)
    assert note.read_text() == "edited meanwhile"
    assert not list(tmp_path.glob(".*gloss-tmp*"))


def test_a_note_edited_while_its_batch_is_flushed_is_left_as_edited(tmp_path, write_notes):
    folder = write_notes(tmp_path, {"n.md": "old n", "m.md": "old m"})
    staged = []
    for name in ("n.md", "m.md"):
        sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        staged.append(writer.stage_note(folder / name, b"new", folder=folder,
                                        read_sha256=sha, db_sha256=sha))
    (folder / "m.md").write_text("edited meanwhile")
    writer.flush(staged)
    assert writer.put_in_place(staged[0]).st_size == 3
    with pytest.raises(writer.WriteRefused, match="stale"):
        writer.put_in_place(staged[1])
    assert (folder / "n.md").read_text() == "new"
    assert (folder / "m.md").read_text() == "edited meanwhile"
    assert not list(folder.glob(".*gloss-tmp*"))


@pytest.mark.parametrize(
    "raw",
    [C.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + C.encode(), C.rstrip("\n").encode()],
    ids=["crlf", "bom", "no-final-newline"],
)
def test_bytes_outside_definitions_are_kept(tmp_path, raw, write_notes, harvested):
    notes = write_notes(tmp_path / "notes", {"a.md": A, "b.md": B, "c.md": raw})
    os.chmod(notes / "c.md", 0o640)
    db = harvested(notes, tmp_path / "glossary.db")
    apply([notes], db)
    new = (notes / "c.md").read_bytes()
    old_text = C.replace("\n", "\r\n") if b"\r\n" in raw else C
    assert new == raw.replace('"横腹"'.encode(), '"側腹部, 脇腹"'.encode())
    assert new.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
    assert new.endswith(b"\n") == raw.endswith(b"\n")
    assert old_text.count("\r\n") == new.count(b"\r\n")
    assert (os.stat(notes / "c.md").st_mode & 0o7777) == 0o640


def test_symlink_inside_notes_folder_is_written_through(tmp_path, write_notes, harvested):
    notes = write_notes(tmp_path / "notes", {"a.md": A, "b.md": B, "e.md": B, "real/c.md": C})
    (notes / "link.md").symlink_to(Path("real/c.md"))
    db = harvested(notes, tmp_path / "glossary.db")
    report = apply([notes], db)
    assert [o.path for o in report.having("changed")] == ["link.md"]
    [same] = report.having("alias")  # handled under its other name: nothing to fix
    assert same.path == "real/c.md" and "same file as link.md" in same.reasons[0]
    assert not report.having("skipped") and report.exit_status() == 0
    assert (notes / "link.md").is_symlink()
    assert "側腹部, 脇腹" in (notes / "real/c.md").read_text()


def test_symlink_outside_notes_folder_is_refused(tmp_path, write_notes, harvested):
    outside = write_notes(tmp_path / "elsewhere", {"c.md": C}) / "c.md"
    notes = write_notes(tmp_path / "notes", {"a.md": A, "b.md": B})
    (notes / "link.md").symlink_to(outside)
    db = harvested(notes, tmp_path / "glossary.db")
    report = apply([notes], db)
    [outcome] = [o for o in report.outcomes if o.path == "link.md"]
    assert outcome.status == "refused" and "outside the notes folder" in outcome.reasons[0]
    assert outside.read_text() == C
    assert "1 refused" in report.summary()


def _chmod_stops_writes(folder: Path) -> bool:
    """Probe: does a read-only folder stop this user from creating files? (Not for root.)"""
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o500)
    try:
        (probe / "x").write_text("x")
        return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o700)
        shutil.rmtree(probe)


def test_unwritable_folder_is_reported_not_half_written(tmp_path, monkeypatch, write_notes,
                                                        harvested):
    notes = write_notes(tmp_path / "notes", {"a.md": A, "b.md": B, "c.md": C})
    db = harvested(notes, tmp_path / "glossary.db")
    if _chmod_stops_writes(tmp_path):
        notes.chmod(0o500)
    else:  # root: chmod does not stop writes; make temp-file creation hit a regular file
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        monkeypatch.setattr(writer, "temp_name", lambda target: blocker / f".{target.name}.t")
    try:
        report = apply([notes], db)
    finally:
        notes.chmod(0o700)
    [outcome] = [o for o in report.outcomes if o.path == "c.md"]
    assert outcome.status == "refused" and "not writable" in outcome.reasons[0]
    assert (notes / "c.md").read_text() == C
    assert sorted(p.name for p in notes.iterdir()) == ["a.md", "b.md", "c.md"]


def test_hard_linked_note_is_refused(notes, tmp_path, harvested):
    os.link(notes / "sub/c.md", tmp_path / "other-name.md")
    db = harvested(notes, tmp_path / "glossary.db")
    report = apply([notes], db)
    [outcome] = [o for o in report.outcomes if o.path == "sub/c.md"]
    assert outcome.status == "refused" and "hard links" in outcome.reasons[0]
    assert (notes / "sub/c.md").read_text() == C


def test_stale_temp_files_of_a_killed_run_are_removed(notes, tmp_path, harvested):
    stray = notes / "sub" / ".c.md.gloss-tmp-0123456789abcdef"
    stray.write_text("half")
    a_minute_ago = time.time() - 61
    os.utime(stray, (a_minute_ago, a_minute_ago))
    young = notes / ".a.md.gloss-tmp-fedcba9876543210"  # may be another gloss's, writing now
    young.write_text("half")
    keep = notes / ".c.md.keep"
    keep.write_text("mine")
    db = harvested(notes, tmp_path / "glossary.db")
    assert not apply([notes], db, dry_run=True).removed_temp_files
    assert stray.exists()  # no apply of this glossary was killed: nothing to look for
    expect_temp_files(db)  # as a killed apply leaves it
    report = apply([notes], db)
    assert not stray.exists() and keep.exists() and young.exists()
    assert "1 stale temporary file removed" in report.summary()
    os.utime(young, (a_minute_ago, a_minute_ago))  # the young one was kept in mind
    assert apply([notes], db).removed_temp_files == [young]
    assert not apply([notes], db).removed_temp_files


def test_harvest_removes_what_a_killed_apply_left_and_names_it(notes, tmp_path, harvested,
                                                               gloss):
    db = harvested(notes, tmp_path / "glossary.db")
    stray = notes / "sub" / ".c.md.gloss-tmp-0123456789abcdef"
    stray.write_text("half")
    os.utime(stray, (time.time() - 61, time.time() - 61))
    expect_temp_files(db)
    result = gloss("harvest", str(notes), "--db", str(tmp_path / "glossary.db"))
    assert result.exit_code == 0 and not stray.exists()
    assert f"{stray}: removed (a temporary file a killed gloss apply left)" in result.stderr


def test_note_failing_verification_is_refused_with_reason(tmp_path, write_notes, harvested):
    # The glossary's record of where the item's text sits is wrong (as after a bug): the
    # patch would hit the label, and verification refuses the note instead of writing it.
    lone = "# E\n\n## Terminology\n\n* [flank]: 横 腹\n\nThe [flank].\n"
    notes = write_notes(tmp_path / "notes", {"a.md": A, "b.md": B, "e.md": lone})
    db = harvested(notes, tmp_path / "glossary.db")
    db.execute("update definitions set span_start = 2, span_end = 3 where note_path = 'e.md'")
    report = apply([notes], db)
    [outcome] = [o for o in report.outcomes if o.path == "e.md"]
    assert outcome.status == "refused"
    assert "the list definition of 'flank' on line 5 would be lost" in outcome.reasons
    assert (notes / "e.md").read_text() == lone


# --- the command ---------------------------------------------------------------------------


def test_dry_run_prints_a_diff_and_writes_nothing(notes, tmp_path, harvested, gloss):
    harvested(notes, tmp_path / "glossary.db")
    before = {p: p.read_bytes() for p in notes.rglob("*") if p.is_file()}
    result = gloss("apply", str(notes), "--db", str(tmp_path / "glossary.db"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "--- a/sub/c.md\n+++ b/sub/c.md\n" in result.stdout
    assert '+[flank]: #terminology "側腹部, 脇腹"' in result.stdout
    assert {p: p.read_bytes() for p in notes.rglob("*") if p.is_file()} == before


def test_check_exits_1_then_0_after_apply(notes, tmp_path, harvested, gloss):
    harvested(notes, tmp_path / "glossary.db")
    args = [str(notes), "--db", str(tmp_path / "glossary.db")]
    assert gloss("apply", *args, "--check").exit_code == 1
    result = gloss("apply", *args)
    assert result.exit_code == 0 and "1 note changed" in result.output
    assert gloss("apply", *args, "--check").exit_code == 0


def test_missing_database_is_a_clear_error(notes, tmp_path, gloss):
    result = gloss("apply", str(notes), "--db", str(tmp_path / "no.db"))
    assert result.exit_code == 2 and "run `gloss harvest` first" in result.output


# --- the real corpus --------------------------------------------------------------------------


def definition_lines(text: str) -> set[int]:
    return {d.line - 1 for d in parse_note(text).definitions}


def test_real_corpus_agrees_after_apply_and_nothing_else_changes(tmp_path, harvested, physician):
    notes = tmp_path / "physician"
    shutil.copytree(physician, notes)
    before = {p.relative_to(notes): p.read_bytes() for p in notes.rglob("*.md")}
    db = harvested(notes, tmp_path / "glossary.db")
    report = apply([notes], db, ties="newest")  # what apply did before ties were the user's
    assert not report.having("refused") and not report.having("skipped")
    harvest([notes], db)
    assert db.execute("select count(*) from terms where status = 'conflict'").fetchone()[0] == 0
    flank = {p: next(d.raw for d in parse_note((notes / p).read_text("utf-8-sig")).definitions
                     if d.key == "flank" and d.form == "link")
             for p in ("NEJM/IiCM/2019-05-16_51F.md", "NEJM/IiCM/2019-06-20_48M.md")}
    assert len(set(flank.values())) == 1
    for rel, old in before.items():
        new = (notes / rel).read_bytes()
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        assert len(old_lines) == len(new_lines)
        allowed = definition_lines(old.decode("utf-8-sig"))
        for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)):
            assert a == b or number in allowed, f"{rel}:{number + 1}"
    after = {p: (notes / p).read_bytes() for p in before}
    assert not apply([notes], db).having("changed")
    assert {p: (notes / p).read_bytes() for p in before} == after


GLOSSARY_DUMP = [
    "select term_key, note_path, line, form, label, raw, japanese, glosses, remark, "
    "pronunciation, written_reading, destination, span_start, span_end, span_quote, span_lead "
    "from definitions order by note_path, line, form",
    "select * from terms order by key",
    "select * from translations order by term_key, japanese",
    "select path, title, sha256, size, mtime_ns, structure, definitions_count, "
    "occurrences_count from notes order by path",
    "select term_key, note_path, line, text, context from occurrences "
    "order by note_path, line, term_key",
]


def dump(db) -> list[list[tuple]]:
    return [db.execute(sql).fetchall() for sql in GLOSSARY_DUMP]


def test_apply_in_workers_leaves_the_glossary_a_fresh_harvest_would_build(tmp_path, write_notes,
                                                                         harvested):
    files = {f"c{i:03d}.md": C for i in range(80)} | {"a.md": A, "b.md": B, "d.md": D}
    notes = write_notes(tmp_path / "notes", files)
    db = harvested(notes, tmp_path / "glossary.db")
    report = apply([notes], db, jobs=2)  # enough notes to rewrite for worker processes
    # 80 notes now say 横腹 for flank: a.md and b.md follow them, and every c fills tender
    assert len(report.having("changed")) == 82
    assert report.harvest is not None and report.harvest.parsed == 0  # already recorded
    fresh = open_db(tmp_path / "fresh.db")
    harvest([notes], fresh)
    assert dump(db) == dump(fresh)
    assert {o.path for o in apply([notes], db, jobs=2).having("changed")} == set()
