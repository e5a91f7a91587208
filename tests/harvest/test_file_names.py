"""A note whose file name (or a folder name in its path) is not valid UTF-8 cannot be
recorded: it is listed with its reason, the other notes are harvested, and apply says why
it is not rewritten. Real files with byte names."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

GOOD = '# [Case][c]\n\nThe [flank] hurt.\n\n[c]: https://example.org/c\n[flank]: # "側腹部"\n'
OTHER = GOOD.replace("側腹部", "脇腹")


def write_bytes_named(folder: Path, name: bytes, text: str) -> None:
    try:
        with open(os.path.join(os.fsencode(folder), name), "wb") as file:
            file.write(text.encode())
    except OSError as error:
        pytest.skip(f"this file system refuses names that are not UTF-8 ({error.strerror})")


def test_a_file_name_that_is_not_utf8_is_listed_and_the_rest_harvested(tmp_path, gloss,
                                                                        write_notes):
    notes = write_notes(tmp_path / "notes", {"good.md": GOOD, "also.md": GOOD})
    write_bytes_named(notes, b"\xff.md", OTHER)
    os.mkdir(os.path.join(os.fsencode(notes), b"caf\xe9"))
    write_bytes_named(notes, b"caf\xe9/x.md", OTHER)
    db = tmp_path / "g.db"

    result = gloss("harvest", str(notes), "--db", str(db))

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "\\xff.md: the file name is not valid UTF-8; rename it",
        "caf\\xe9/x.md: the name of a folder in its path is not valid UTF-8; rename it"]
    assert result.stdout == "2 notes · 1 term · 0 conflicts · 0 undefined · 2 unreadable\n"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select path, harvested from problems order by path"
                            ).fetchall() == [("\\xff.md", 0), ("caf\\xe9/x.md", 0)]
        assert conn.execute("select japanese from terms").fetchall() == [("側腹部",)]

    applied = gloss("apply", "--db", str(db), "--check")
    assert applied.exit_code == 1  # a note was skipped
    assert applied.stderr.splitlines() == [
        "\\xff.md: skipped: the file name is not valid UTF-8; rename it",
        "caf\\xe9/x.md: skipped: the name of a folder in its path is not valid UTF-8; rename it"]
