"""Bad input: each gets one clear line naming the file, never a traceback, never a change.

A note gloss cannot read is reported and the rest of the notes are harvested. A note larger
than 5 MB is refused (no case note is that big; reading it would only slow every harvest).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from glossary.harvest.read import parse_source
from glossary.notes import Source

GOOD = '# [Case][c]\n\nThe [flank] hurt.\n\n[c]: https://example.org/c\n[flank]: # "側腹部"\n'


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink() and not p.is_fifo()}


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    return folder


@pytest.fixture
def harvest_with(gloss):
    """harvest_with(notes, tmp_path, name, data): harvest with one bad note; return (its
    line on stderr, stdout), checking the rest."""

    def go(notes: Path, tmp_path: Path, name: str, data: bytes | None) -> tuple[str, str]:
        if data is not None:
            (notes / name).write_bytes(data)
        before = snapshot(notes)
        result = gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
        assert result.exit_code == 0, result.output
        assert snapshot(notes) == before
        lines = [line for line in result.stderr.splitlines() if line.startswith(f"{name}: ")]
        assert len(lines) == 1, result.stderr
        with sqlite3.connect(tmp_path / "g.db") as conn:
            assert conn.execute("select japanese from terms where key = 'flank'").fetchone() == (
                "側腹部",)
        return lines[0], result.output

    return go


def test_invalid_utf8_is_named_not_guessed(notes, tmp_path, harvest_with):
    line, _ = harvest_with(notes, tmp_path, "latin1.md", "[x]: # \"caf\xe9\"\n".encode("latin-1"))
    assert line == "latin1.md: not UTF-8 (invalid byte at offset 11); convert it to UTF-8 first"


def test_nul_bytes(notes, tmp_path, harvest_with):
    line, _ = harvest_with(notes, tmp_path, "nul.md", b"# a\x00b\n")
    assert line == "nul.md: holds NUL bytes; not a text file"


def test_utf16_is_named(notes, tmp_path, harvest_with):
    line, _ = harvest_with(notes, tmp_path, "u16.md", '[flank]: # "側腹部"\n'.encode("utf-16"))
    assert line == "u16.md: is UTF-16, not UTF-8; convert it to UTF-8 first"


def test_a_10_mb_note_is_refused(notes, tmp_path, harvest_with):
    data = ("The [flank] case. " * 60 + "\n\n").encode() * 10_000
    assert len(data) > 10 * 1000 * 1000
    line, _ = harvest_with(notes, tmp_path, "big.md", data)
    assert line.startswith("big.md: is ") and "larger than a note can be (5 MB)" in line


def test_a_note_with_10000_definitions_is_harvested(notes, tmp_path, gloss):
    (notes / "many.md").write_text(
        "".join(f'[term {i}]: # "用語{i}"\n' for i in range(10_000)), encoding="utf-8")
    result = gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0 and result.stderr == ""
    assert "10001 terms" in result.output


@pytest.mark.parametrize("text", [
    "".join("  " * i + "* level\n" for i in range(1000)),
    ">" * 1000 + " deep [flank]\n",
    "> * " * 1000 + "[flank]\n",
    "[" * 20_000 + "flank" + "]" * 20_000 + "\n",
    "*" * 50_000 + "[flank]" + "_" * 50_000 + "\n",
], ids=["lists", "quotes", "quoted-lists", "brackets", "emphasis"])
def test_deep_nesting_is_harvested_without_recursion_errors(notes, tmp_path, text, gloss):
    (notes / "deep.md").write_text(text + '\n[flank]: # "側腹部"\n', encoding="utf-8")
    result = gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "2 notes" in result.output


def test_a_directory_named_like_a_note_is_a_folder_of_notes(notes, tmp_path, gloss):
    (notes / "x.md").mkdir()
    (notes / "x.md" / "inner.md").write_text('[flank]: # "側腹部"\n', encoding="utf-8")
    result = gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0 and result.stderr == ""  # no problem to report, ever
    assert "2 notes" in result.stdout


def test_a_symbolic_link_loop(notes, tmp_path, gloss):
    (notes / "a.md").symlink_to(notes / "b.md")
    (notes / "b.md").symlink_to(notes / "a.md")
    result = gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0
    assert "a.md: is a broken or looping symbolic link" in result.stderr.splitlines()
    assert "b.md: is a broken or looping symbolic link" in result.stderr.splitlines()


def test_a_folder_link_loop_does_not_trap_the_walk(notes, tmp_path, gloss):
    (notes / "sub").mkdir()
    (notes / "sub" / "up").symlink_to(notes, target_is_directory=True)
    result = gloss("harvest", str(notes), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 0 and "1 note" in result.output


def test_a_link_outside_the_notes_is_read_but_never_written(notes, tmp_path, gloss):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "real.md").write_text('Pain in the [flank].\n\n[flank]: # "脇腹"\n',
                                     encoding="utf-8")
    before = (outside / "real.md").read_bytes()
    (notes / "out.md").symlink_to(outside / "real.md")
    db = str(tmp_path / "g.db")
    result = gloss("harvest", str(notes), "--db", db)
    assert result.exit_code == 0 and "2 notes" in result.output and result.stderr == ""
    assert gloss("prefer", "flank", "側腹部", "--db", db).exit_code == 0
    result = gloss("apply", str(notes), "--db", db)
    assert result.exit_code == 1  # a note refused: apply says so in its exit status too
    assert (outside / "real.md").read_bytes() == before
    assert "out.md" in result.stderr
    assert (notes / "out.md").is_symlink()


def test_an_unreadable_note_a_fifo_does_not_block(notes, tmp_path, harvest_with):
    os.mkfifo(notes / "pipe.md")
    line, _ = harvest_with(notes, tmp_path, "pipe.md", None)
    assert line == "pipe.md: is not a regular file"


def test_a_note_removed_between_listing_and_reading(notes):
    source = Source(notes / "gone.md", "gone.md")
    assert parse_source(source) == ("gone.md", "cannot be read (No such file or directory)")


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_note_reached_by_several_paths_votes_once(tmp_path, gloss, link):
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a.md").write_text('# A\n\nThe [alpha].\n\n[alpha]: # "旧訳"\n', encoding="utf-8")
    for name in ("b.md", "c.md"):
        (notes / name).write_text('# B\n\nThe [alpha].\n\n[alpha]: # "別訳"\n',
                                  encoding="utf-8")
    for alias in (notes / "a2.md", notes / "sub" / "a3.md"):
        if link == "symbolic":
            alias.symlink_to(notes / "a.md")
        else:
            alias.hardlink_to(notes / "a.md")
    db = str(tmp_path / "g.db")
    assert gloss("harvest", str(notes), "--db", db).stdout.startswith("3 notes · ")
    told = gloss("show", "alpha", "--db", db).stdout
    assert "別訳  (2 notes, chosen)" in told and "旧訳  (1 note)" in told  # not 3 for 旧訳
    result = gloss("apply", str(notes), "--db", db)
    if link == "symbolic":  # written through the first path to the file
        assert "settled by majority: alpha: 別訳 (2 notes) over 旧訳 (1)" in result.stdout
        assert (notes / "a.md").read_text(encoding="utf-8").endswith('[alpha]: # "別訳"\n')
    else:  # a file of several hard links is refused (replacing it would split them)
        assert result.exit_code == 1 and "a.md: refused" in result.stderr
    for alias in ("a2.md", "sub/a3.md"):
        assert f"{alias}: alias: is the same file as a.md; handled there" in result.stderr
    assert (notes / "b.md").read_text(encoding="utf-8").endswith('[alpha]: # "別訳"\n')
