"""Finding the glossary from inside the notes: without --db or GLOSS_DB, a command uses
`db/glossary.db` in the current folder or the nearest folder above it that has one (as git
finds `.git`), else `db/glossary.db` here. Real processes, each in its own folder.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

NOTE = ('# [Case {n}][c]\n\nThe [flank] hurt.\n\n[c]: https://example.org/{n}\n'
        '[flank]: # "側腹部"\n')


def run(gloss_command: str, cwd: Path, *args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "GLOSS_DB"} | (env or {})
    return subprocess.run([gloss_command, *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=120)


@pytest.fixture
def project(tmp_path: Path, write_notes) -> Path:
    """A project: notes/ with two subfolders, harvested into db/glossary.db from the top."""
    above = [p for p in tmp_path.parents if (p / "db" / "glossary.db").is_file()]
    if above:
        pytest.skip(f"{above[0] / 'db/glossary.db'} exists above the test's folder")
    write_notes(tmp_path / "notes", {"NEJM/IiCM/1.md": NOTE.format(n=1),
                                     "NEJM/IiCM/2.md": NOTE.format(n=2),
                                     "GP/3.md": NOTE.format(n=3)})
    return tmp_path


def test_a_command_run_inside_the_notes_finds_the_projects_glossary(project, gloss_command):
    first = run(gloss_command, project, "harvest")  # a new glossary: ./notes, ./db
    assert first.returncode == 0, first.stderr
    assert first.stdout == "3 notes · 1 term · 0 conflicts · 0 undefined\n"
    inside = project / "notes" / "NEJM" / "IiCM"
    (project / "notes/GP/4.md").write_text(NOTE.format(n=4), encoding="utf-8")

    again = run(gloss_command, inside, "harvest")  # the glossary's own notes, all of them

    assert again.returncode == 0, again.stderr
    assert again.stdout == "4 notes · 1 term · 0 conflicts · 0 undefined\n"
    (inside / "5.md").write_text(NOTE.format(n=5), encoding="utf-8")
    here = run(gloss_command, inside, "harvest", ".")  # this folder only, same paths
    assert here.stdout == "5 notes · 1 term · 0 conflicts · 0 undefined\n", here.stderr
    shown = run(gloss_command, inside, "show", "flank")
    assert shown.returncode == 0 and "側腹部" in shown.stdout, shown.stderr
    assert not (inside / "db").exists()
    with sqlite3.connect(project / "db" / "glossary.db") as conn:
        assert [p for (p,) in conn.execute("select path from notes order by path")] == [
            "GP/3.md", "GP/4.md", "NEJM/IiCM/1.md", "NEJM/IiCM/2.md", "NEJM/IiCM/5.md"]


def test_the_found_glossary_is_named_as_seen_from_here(project, gloss_command):
    assert run(gloss_command, project, "harvest").returncode == 0
    (project / "db" / "glossary.db").write_bytes(b"not a glossary" * 100)
    inside = project / "notes" / "NEJM" / "IiCM"
    result = run(gloss_command, inside, "conflicts")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: ../../../db/glossary.db: "), result.stderr


def test_without_a_glossary_above_it_is_db_glossary_db_here(project, gloss_command):
    inside = project / "notes" / "GP"
    result = run(gloss_command, inside, "harvest", ".")
    assert result.stdout == "1 note · 1 term · 0 conflicts · 0 undefined\n", result.stderr
    assert (inside / "db" / "glossary.db").is_file()
    assert not (project / "db").exists()


def test_db_and_gloss_db_win_over_the_search(project, gloss_command, tmp_path):
    assert run(gloss_command, project, "harvest").returncode == 0
    other = tmp_path / "elsewhere.db"
    inside = project / "notes" / "GP"

    by_env = run(gloss_command, inside, "harvest", ".", env={"GLOSS_DB": str(other)})
    assert by_env.returncode == 0, by_env.stderr
    assert by_env.stdout == "1 note · 1 term · 0 conflicts · 0 undefined\n"
    by_option = run(gloss_command, inside, "conflicts", "--db", str(project / "nothing.db"),
                    env={"GLOSS_DB": str(other)})
    assert by_option.returncode == 2
    assert by_option.stderr.splitlines() == [
        f"Error: {project / 'nothing.db'}: no glossary here; run `gloss harvest` first"]
    with sqlite3.connect(other) as conn:
        assert conn.execute("select path from notes").fetchall() == [("3.md",)]
