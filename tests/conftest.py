"""Fixtures every test module shares: notes written to disk, glossaries harvested from them,
the bundled and the real notes, generated corpora, the CLI and a real Datasette.

The test tree mirrors the package (tests/notes for glossary/notes, ...); no test module
imports another, what they share lives here.
"""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import sqlite_utils
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_NOTES = ROOT / "notes"
SHARED = ROOT.parent / "shared"
PHYSICIAN = SHARED / "corpus" / "physician"
SHARED_READINGS = SHARED / "readings" / "medical-readings.tsv"
GLOSS = str(Path(sys.executable).parent / "gloss")  # the installed command, for subprocesses


SMALL_NOTE_A = """\
# [Images in Clinical Medicine: Tumoral Calcinosis][2024_OkaforC_LindqvistM]

## Terminology

* [calcinosis]: 石灰沈着
* [flank]: 側腹部
* [syncope]: 失神
* [plus]: =1+1

## Original

> Uremic tumoral [calcinosis] of the right [flank] after [syncope] and [plus].

##
<!-- ref -->
[2024_OkaforC_LindqvistM]: https://www.nejm.org/doi/full/10.1056/NEJMicm2401173

<!-- term -->
[calcinosis]: # "石灰沈着"
[flank]: # "側腹部"
[syncope]: # "失神"
[plus]: # "=1+1"
"""

SMALL_NOTE_B = """\
# [Images in Clinical Medicine: Heart Block][2024_ThorsenK_AbubakarN]

## Terminology

* [syncope]: 気絶
* [calcinosis]: 石灰沈着
* [aganglionosis]

## Original

> After [syncope], [calcinosis] was found, and also [aganglionosis].

##
<!-- ref -->
[2024_ThorsenK_AbubakarN]: https://www.nejm.org/doi/full/10.1056/NEJMicm2409903

<!-- term -->
[syncope]: # "気絶"
[calcinosis]: # "石灰沈着"
[aganglionosis]: # ""
"""



def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write notes (text as UTF-8, or bytes as given) below `root`; returns `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


@pytest.fixture
def write_notes() -> Callable[[Path, dict[str, str | bytes]], Path]:
    """write_notes(root, {relative path: text or bytes}) -> root."""
    return write_files


@pytest.fixture
def harvested() -> Callable[..., sqlite_utils.Database]:
    """harvested(folder, db_path) -> the glossary at db_path, harvested from folder."""
    from glossary.db import open_db
    from glossary.harvest import harvest

    def harvest_into(folder: Path, db_path: Path) -> sqlite_utils.Database:
        db = open_db(db_path)
        harvest([folder], db)
        return db

    return harvest_into


@pytest.fixture(scope="session")
def bundled_notes() -> Path:
    """The sample notes shipped in notes/ (read only: copy them before changing anything)."""
    return BUNDLED_NOTES


def _glossary_file(folder: Path, path: Path) -> Path:
    """The glossary at `path`, harvested from `folder` with every note read."""
    from glossary.db import open_db
    from glossary.harvest import harvest

    db = open_db(path)
    assert harvest([folder], db).problems == {}
    db.conn.close()
    return path


@pytest.fixture(scope="session")
def bundled_glossary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The path of a glossary harvested from the bundled notes (for reading, not writing)."""
    return _glossary_file(BUNDLED_NOTES, tmp_path_factory.mktemp("bundled") / "glossary.db")


@pytest.fixture(scope="session")
def physician_glossary(tmp_path_factory: pytest.TempPathFactory, physician: Path) -> Path:
    """The path of a glossary harvested from the real notes (for reading, not writing)."""
    return _glossary_file(physician, tmp_path_factory.mktemp("physician") / "glossary.db")


@pytest.fixture(scope="session")
def small_glossary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A glossary of two small case notes: an agreed term, a conflict, an undefined term and
    a definition that looks like a spreadsheet formula (for reading, not writing)."""
    from glossary.db import open_db
    from glossary.harvest import harvest

    root = tmp_path_factory.mktemp("small")
    notes = write_files(root / "notes", {"NEJM/IiCM/2024-01-11_62M.md": SMALL_NOTE_A,
                                         "NEJM/IiCM/2024-06-20_80F.md": SMALL_NOTE_B})
    db = open_db(root / "glossary.db")
    harvest([notes], db)
    db.conn.close()
    return root / "glossary.db"


@pytest.fixture(scope="session")
def physician() -> Path:
    """The 72 real notes of ../shared/corpus/physician (read only); skips when absent."""
    if not PHYSICIAN.is_dir():
        pytest.skip(f"{PHYSICIAN} is absent (the real notes live beside the project)")
    return PHYSICIAN


@pytest.fixture(scope="session")
def shared_readings() -> Path:
    """../shared/readings/medical-readings.tsv; skips when absent."""
    if not SHARED_READINGS.is_file():
        pytest.skip(f"{SHARED_READINGS} is absent")
    return SHARED_READINGS


def _load_corpus_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gloss_corpus",
                                                  ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generate_notes() -> Callable[..., int]:
    """generate_notes(folder, count, seed=1): synthetic notes in the real format (the
    benchmarks' generator); returns the bytes written."""
    return _load_corpus_generator().generate


@pytest.fixture(scope="session")
def gloss_command() -> str:
    """The installed `gloss` command, for tests that run it as a real process."""
    return GLOSS


@pytest.fixture
def gloss() -> Callable[..., Result]:
    """gloss(*args) runs the CLI in-process and checks it never ends in a traceback."""
    from glossary.cli import cli

    def run(*args: str, **kwargs: object) -> Result:
        result = CliRunner().invoke(cli, list(args), **kwargs)
        assert "Traceback" not in result.output + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception)
        return result

    return run


@pytest.fixture
def datasette_get() -> Callable[[Path, str], object]:
    """datasette_get(db_path, path) -> the response of a real Datasette over the glossary
    (its own test client)."""
    from glossary.browse.serve import make_datasette

    def get(db_path: Path, path: str) -> object:
        return asyncio.run(make_datasette(db_path).client.get(path))

    return get


PAUSE_PATIENCE = 120  # seconds; reached only when gloss is stuck or never gets to its point


def _paused_at(proc: subprocess.Popen, marker: Path) -> Path:
    """Wait until gloss waits at the pause point whose file is `marker` (glossary.pause);
    fail with its output if it ends first or never gets there."""
    deadline = time.monotonic() + PAUSE_PATIENCE
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"gloss ended ({proc.returncode}) before {marker.name}: "
                        f"{proc.communicate()!r}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"gloss did not reach {marker.name} in {PAUSE_PATIENCE} s: "
                        f"{proc.communicate()!r}")
        time.sleep(0.01)  # waiting for the moment, not racing it: gloss waits for us there
    return marker


@pytest.fixture(scope="session")
def paused_at() -> Callable[[subprocess.Popen, Path], Path]:
    """paused_at(proc, marker) -> marker, once gloss waits at that pause point."""
    return _paused_at
