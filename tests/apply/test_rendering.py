"""Rendering is the contract: a rewritten note reads the same to CommonMark apart from the
text of its term definitions.

A property over generated notes that mix Terminology items in every form (`[x]`,
`[x] text`, `[x]: text`, `x: text`), link reference definitions anywhere, and canonical
texts with spaces, commas, quotes and brackets; the judge (tests/apply/conftest.py) is an
independent reading with markdown-it-py, written from the contract, not from gloss's checks.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.apply.patch import rewrite
from glossary.apply.verify import verify
from glossary.notes import parse_note, split_text

EXAMPLES = int(os.environ.get("GLOSS_HYPOTHESIS_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
END_TO_END = settings(max_examples=max(10, EXAMPLES // 5), deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])

TERMS = ["papular", "enucleate", "flank", "Splinter hemorrhage"]
WRITTEN = ["丘疹", "摘出する", "摘出 する", "側腹部, 脇腹", "側腹部,脇腹", "", ".", "横腹 (side)",
           "say \"ah\"", "[括弧]", "<脇>", "a (b)"]
CANONICAL = ["丘疹", "側腹部, 脇腹", "摘出 する", "眼球 摘出", "say \"ah\"", "it's (big)",
             "[括弧] 丘疹", "丘疹 \"題\"", "<脇腹>", "(括弧)", "a, b, c", "掻痒 `pro`", "*強調*",
             "心房中隔欠損 atrial septal defect", "丘疹、脇腹"]

# --- generated notes ----------------------------------------------------------------------

label = st.sampled_from(TERMS).flatmap(lambda t: st.sampled_from([t, t.upper(), t.lower()]))


@st.composite
def item(draw) -> str:
    term, text = draw(label), draw(st.sampled_from(WRITTEN))
    form = draw(st.sampled_from(["[x]", "[x] text", "[x]: text", "x: text", "[x]:"]))
    if not text and form in ("[x] text", "x: text"):
        form = "[x]"
    body = {"[x]": f"[{term}]", "[x] text": f"[{term}] {text}", "[x]: text": f"[{term}]: {text}",
            "x: text": f"{term}: {text}", "[x]:": f"[{term}]:"}[form]
    return draw(st.sampled_from(["* ", "- ", "1. ", "  * "])) + body


@st.composite
def link_definition(draw) -> str:
    title = draw(st.sampled_from(["", ' ""', ' "丘疹"', " '横腹'", " (摘出)"]))
    return f"[{draw(label)}]: {draw(st.sampled_from(['#', '#terminology']))}{title}"


@st.composite
def note(draw) -> tuple[str, set[int]]:
    """A note's text and the 0-based lines of its Terminology items (the judge finds them
    on its own; the generator's count only checks that there are some to judge)."""
    lines = ["# Case", ""]
    blocks = draw(st.lists(st.sampled_from(["uses", "terminology", "definitions"]),
                           min_size=1, max_size=5))
    items: set[int] = set()
    for block in blocks + ["uses"]:
        if block == "terminology":
            lines += [draw(st.sampled_from(["## Terminology", "### Terminology"])), ""]
            for entry in draw(st.lists(item(), min_size=1, max_size=5)):
                items.add(len(lines))
                lines.append(entry)
        elif block == "definitions":
            lines += draw(st.lists(link_definition(), min_size=1, max_size=3))
        else:
            words = draw(st.lists(label, min_size=1, max_size=3))
            lines.append("The " + ", ".join(f"[{w}]" for w in words) + " and [flank][].")
        lines.append("")
    return "\n".join(lines), items


canonical_map = st.dictionaries(st.sampled_from([t.casefold() for t in TERMS]),
                                st.sampled_from(CANONICAL).map(lambda t: split_text(t).variant)
                                .filter(bool))


@PROPERTY
@given(note(), canonical_map)
def test_a_rewrite_reads_the_same_to_commonmark(commonmark_judge, generated, canonical):
    text, _ = generated
    new, plan = rewrite(text, parse_note(text), canonical)
    assert verify(text, new, canonical) == []
    assert commonmark_judge(text, new) == []
    for refusal in plan.refusals:  # a definition left as written says why
        assert "left as written" in refusal.reason


@PROPERTY
@given(note(), canonical_map)
def test_verification_refuses_what_reads_differently(commonmark_judge, generated, canonical):
    """Rewrite every Terminology item naively (`[x]: text`, as gloss once did): whatever
    reads differently to CommonMark, verification refuses."""
    text, _ = generated
    old_note = parse_note(text)
    lines = text.split("\n")
    for definition in old_note.definitions:
        if definition.form == "list" and definition.key in canonical and definition.span:
            span, number = definition.span, definition.line - 1
            line = lines[number]
            lead = span.lead if span.start == span.end else ""
            lines[number] = line[:span.start] + lead + canonical[definition.key] + line[span.end:]
    new = "\n".join(lines)
    if commonmark_judge(text, new):
        assert verify(text, new, canonical) != []


@END_TO_END
@given(note(), canonical_map)
def test_apply_on_files_reads_the_same_to_commonmark(commonmark_judge, pinned_and_applied,
                                                     generated, canonical):
    text, _ = generated
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        notes.mkdir()
        (notes / "n.md").write_text(text, encoding="utf-8")
        db, report = pinned_and_applied(notes, Path(tmp) / "g.db", canonical)
        assert not report.having("refused"), report.problems()
        assert commonmark_judge(text, (notes / "n.md").read_text(encoding="utf-8")) == []
        db.conn.close()


def test_the_judge_sees_the_changes_gloss_once_made(commonmark_judge):
    papular = "## Terminology\n\n* [papular]\n\nThe [papular].\n\n[papular]: # \"丘疹\"\n"
    assert commonmark_judge(papular, papular.replace("* [papular]", "* [papular]: 丘疹"))
    enucleate = papular.replace("* [papular]", "* [papular]: 丘疹")
    assert commonmark_judge(enucleate, enucleate.replace("丘疹\n", "丘 疹\n", 1))
    assert not commonmark_judge(papular, papular.replace("* [papular]", "* [papular] 丘疹"))
    assert not commonmark_judge(papular, papular.replace('"丘疹"', '"脇腹"'))
