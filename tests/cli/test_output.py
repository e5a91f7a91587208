"""Output gloss cannot write: standard output on a full disk is one line, never a
traceback; a pipe closed early (`| head`) ends quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GLOSS = str(Path(sys.executable).parent / "gloss")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", [["export", "-"], ["conflicts"], ["show", "flank"]])
def test_standard_output_on_a_full_disk_is_one_line(bundled_glossary: Path, command) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([GLOSS, *command, "--db", str(bundled_glossary)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 4
    assert done.stderr.splitlines() == [
        "Error: standard output: cannot write (no space left on device)"]


def test_a_pipe_closed_early_ends_quietly(bundled_glossary: Path) -> None:
    reader = subprocess.Popen([GLOSS, "export", "-", "--sources", "--db", str(bundled_glossary)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.readline()
    reader.stdout.close()  # as `head -1` does
    assert reader.wait(timeout=60) in (0, 1)  # 0 if it had written everything already
    assert b"Traceback" not in reader.stderr.read()
