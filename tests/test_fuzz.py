"""Fuzzing the parser, the harvest and the rewriter with hypothesis.

The suite runs GLOSS_HYPOTHESIS_EXAMPLES examples per test (default 100); the long run is
documented in docs/benchmarks.md:

    GLOSS_HYPOTHESIS_EXAMPLES=20000 .venv/bin/pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.apply.patch import rewrite
from glossary.apply.verify import verify
from glossary.db import open_db
from glossary.harvest import harvest
from glossary.notes import parse_note
from glossary.terms import recount

_LINES = re.compile(r"\r\n|\r|\n")
EXAMPLES = int(os.environ.get("GLOSS_HYPOTHESIS_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LABELS = ["flank", "Flank", "tender", "T-cell", "a]b", "x\\]y", "ASD", "右", "term 2", ""]
TEXTS = ["側腹部", "側腹部, 脇腹", "", ".", "圧痛 tenderness", "掻痒 `pro͞oˈrītəs`",
         "右胸心（うきょうしん）", '"quoted"', "(paren)", "a\\\"b", "石灰沈着 (e.g. 腎)", "あ、い"]

label = st.sampled_from(LABELS) | st.text(max_size=8)
definition_text = st.sampled_from(TEXTS) | st.text(max_size=12)


@st.composite
def fragment(draw) -> str:
    lab, text = draw(label), draw(definition_text)
    return draw(st.sampled_from([
        f"[{lab}]: # \"{text}\"",
        f"[{lab}]: # '{text}'",
        f"[{lab}]: # ({text})",
        f"[{lab}]: #",
        f"[{lab}]: <#a b> \"{text}\"",
        f"[{lab}]: https://example.org/{text}",
        f"* [{lab}]: {text}",
        f"* [{lab}] {text}",
        f"* {lab}: {text}",
        f"  - [{lab}]",
        f"> [{lab}]: # \"{text}\"",
        f"> The [{lab}] was {text}.",
        f"1. [{lab}]: {text}",
        "## Terminology",
        "# [Case title][cite]",
        "[cite]: https://www.nejm.org/doi/full/10.1056/NEJMicm2400001",
        "## Summary",
        "```", "~~~", "    indented code", "<!-- term -->", "<div>", "",
        f"![{lab}][{lab}]",
        f"Text with [{lab}] and [{lab}][] and [x][{lab}].",
        draw(st.text(max_size=30)),
    ]))


note_text = st.builds(
    lambda parts, newline, bom: ("\ufeff" if bom else "") + newline.join(parts),
    st.lists(fragment(), max_size=25), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(),
) | st.text(max_size=400)


@FUZZ
@given(note_text)
def test_parse_note_never_raises(text):
    note = parse_note(text)
    for definition in note.definitions:
        assert definition.line >= 1


_DIR = tempfile.mkdtemp(prefix="gloss-fuzz-")


def term_rows(db) -> dict[str, list[tuple]]:
    return {table: db.execute(f"select * from {table} order by 1, 2").fetchall()
            for table in ("terms", "translations")}


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(st.lists(note_text, min_size=1, max_size=4))
def test_harvest_never_raises_and_counts_as_a_refresh_would(texts):
    with tempfile.TemporaryDirectory(dir=_DIR) as work:
        folder = Path(work) / "notes"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"2024-01-0{i + 1}_30M.md").write_bytes(text.encode("utf-8", "replace"))
        db = open_db(Path(work) / "g.db")
        report = harvest([folder], db, jobs=1, engine_factory=_FakeEngine)
        assert report.notes + len(report.problems) == len(texts)
        # A first harvest counts definitions as the notes stream by; recomputing every
        # term from the stored definitions must give the same rows.
        streamed = term_rows(db)
        with db.atomic():
            recount(db, {key for key, *_ in streamed["terms"]}, _FakeEngine)
        assert term_rows(db) == streamed
        db.conn.close()


class _Reading:
    def __init__(self, text: str):
        self.hiragana, self.romaji, self.source = "か", "ka", "fake"


class _FakeEngine:
    ENGINE_VERSION = "fuzz"

    def read(self, japanese: str) -> _Reading:
        return _Reading(japanese)


@FUZZ
@given(note_text, st.dictionaries(st.sampled_from([lab.casefold() for lab in LABELS if lab]),
                                  st.sampled_from(["側腹部", "脇腹, 横腹", "圧痛", "腎"]),
                                  max_size=6))
def test_apply_changes_only_definitions(text, canonical):
    note = parse_note(text)
    canonical = {**{d.key: "新しい定義" for d in note.definitions[:3]}, **canonical}
    new_text, plan = rewrite(text, note, canonical)
    if verify(text, new_text, canonical):
        return  # apply refuses to write what verification rejects
    # CommonMark's line endings only (str.splitlines also splits at \x1c-\x1e, \x85...)
    old_lines, new_lines = _LINES.split(text), _LINES.split(new_text)
    assert len(old_lines) == len(new_lines)
    patched = {p.line for p in plan.patches}
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
        if number not in patched:
            assert old == new
    new_note = parse_note(new_text)
    assert [(d.key, d.line, d.form) for d in new_note.definitions] == [
        (d.key, d.line, d.form) for d in note.definitions]
