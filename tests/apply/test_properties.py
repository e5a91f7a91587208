"""Property-based tests: on generated notes, apply changes no line but definition lines,
loses no definition, is idempotent, and keeps BOM, line endings and the final newline.

Examples per property: 150 (GLOSS_HYPOTHESIS_EXAMPLES raises it for a long run); the
end-to-end property over real files runs a fifth of that.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.apply import apply
from glossary.apply.patch import rewrite
from glossary.apply.verify import verify
from glossary.notes import parse_note, split_lines, split_text

EXAMPLES = int(os.environ.get("GLOSS_HYPOTHESIS_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
END_TO_END = settings(max_examples=max(10, EXAMPLES // 5), deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])

TERMS = ["flank", "tender", "Quadrant", "splinter hemorrhage", "it's"]
TEXTS = ["側腹部, 脇腹", "横腹", "圧痛", "象限", "線状出血 (爪)", "say \"ah\"", "it's (big)",
         "a\\b & c", "&amp; 記号", "ringing in the ears", "掻痒 `pro͞oˈrītəs`", "", ".", "(括弧)"]

label = st.sampled_from(TERMS).flatmap(
    lambda t: st.sampled_from([t, t.upper(), t.capitalize()]))
text = st.sampled_from(TEXTS)
line_ending = st.sampled_from(["\n", "\r\n"])


def _title(body: str, quote: str) -> str:
    if quote == "":
        return ""
    closer = ")" if quote == "(" else quote
    escaped = "".join("\\" + c if c in (quote + closer) or c == "\\" else c for c in body)
    return f" {quote}{escaped}{closer}"


@st.composite
def link_definition(draw) -> str:
    indent = draw(st.sampled_from(["", " ", "   "]))
    dest = draw(st.sampled_from(["#", "#terminology", "<#>"]))
    quote = draw(st.sampled_from(['"', "'", "(", ""]))
    return f"{indent}[{draw(label)}]: {dest}{_title(draw(text), quote)}"


@st.composite
def list_item(draw) -> str:
    marker = draw(st.sampled_from(["*", "-", "+", "1."]))
    indent = draw(st.sampled_from(["", "", "  ", "\t", "    "]))
    term, body = draw(label), draw(text)
    form = draw(st.sampled_from(["[t]: x", "[t] x", "t: x", "[t]", "[t]:"]))
    if form == "[t] x" and not body:
        form = "[t]"
    item = {"[t]: x": f"[{term}]: {body}", "[t] x": f"[{term}] {body}",
            "t: x": f"{term}: {body}", "[t]": f"[{term}]", "[t]:": f"[{term}]:"}[form]
    return f"{indent}{marker} {item}".rstrip()


paragraph = st.sampled_from([
    "A 51-year-old woman had pain in the [flank]s.",
    "右[側腹部]に痛み。The [tender] area (see [Quadrant]).",
    "Plain text with \"quotes\" and 'single' and (parens).",
    "* a list\n  * nested [flank]\n* back",
    "> A block quote with [tender]\n> and more.",
    "> [flank]: # \"横腹\"",
    "```\n[flank]: # \"fake\"\n* [tender]: fake\n```",
    "    [flank]: # \"indented code\"",
    "<!-- term -->",
    "[flank]:\n  #terminology \"two lines\"",
    "[tender]: # \"a title\n  on two lines\"",
])


@st.composite
def note_text(draw) -> str:
    blocks = ["# [Case][ref]"]
    for _ in range(draw(st.integers(0, 3))):
        blocks.append(draw(paragraph))
    if draw(st.booleans()):
        heading = draw(st.sampled_from(["## Terminology", "### Terminology"]))
        items = draw(st.lists(list_item(), min_size=1, max_size=5))
        blocks.append(heading + "\n\n" + "\n".join(items))
        if draw(st.booleans()):
            blocks.append("## Original\n\n" + draw(paragraph))
    blocks.append("[ref]: https://example.org/doi/10.1056/x")
    blocks.append("\n".join(draw(st.lists(link_definition(), min_size=1, max_size=6))))
    for _ in range(draw(st.integers(0, 2))):
        blocks.insert(draw(st.integers(1, len(blocks))), draw(paragraph))
    body = "\n\n".join(blocks)
    ending = draw(line_ending)
    if not draw(st.booleans()):
        body += "\n"
    return body.replace("\n", ending)


canonical_map = st.dictionaries(
    st.sampled_from([t.casefold() for t in TERMS]),
    st.sampled_from(TEXTS).map(lambda t: split_text(t).variant).filter(bool),
)


def _checks(old: str, new: str) -> None:
    old_note, new_note = parse_note(old), parse_note(new)
    allowed = {d.line - 1 for d in old_note.definitions}
    old_lines, new_lines = split_lines(old), split_lines(new)
    assert len(old_lines) == len(new_lines)
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)):
        assert a[1] == b[1], f"line ending of line {number + 1} changed"
        assert a == b or number in allowed, f"line {number + 1} holds no definition"
    assert Counter((d.key, d.form, d.line) for d in old_note.definitions) == Counter(
        (d.key, d.form, d.line) for d in new_note.definitions)


@PROPERTY
@given(note_text(), canonical_map)
def test_rewrite_changes_only_definition_lines_and_loses_none(text, canonical):
    new, _ = rewrite(text, parse_note(text), canonical)
    _checks(text, new)


@PROPERTY
@given(note_text(), canonical_map)
def test_rewrite_is_idempotent_and_reads_canonical(text, canonical):
    new, plan = rewrite(text, parse_note(text), canonical)
    again, second = rewrite(new, parse_note(new), canonical)
    assert second.patches == () and again == new
    left = {refusal.line for refusal in plan.refusals}  # left as written, saying why
    for definition in parse_note(new).definitions:
        if definition.key in canonical and definition.span is not None \
                and definition.line not in left:
            assert split_text(definition.raw).variant == canonical[definition.key]


@PROPERTY
@given(note_text(), canonical_map)
def test_the_rewriter_plans_only_what_verification_accepts(text, canonical):
    new, _ = rewrite(text, parse_note(text), canonical)
    assert verify(text, new, canonical) == []


@PROPERTY
@given(note_text(), canonical_map)
def test_equal_structure_fingerprints_mean_the_same_rendering(text, canonical):
    """verify trusts equal fingerprints instead of rendering both texts: never wrongly."""
    from glossary.apply.verify import check_rendering

    old_note = parse_note(text)
    new, _ = rewrite(text, old_note, canonical)
    if parse_note(new).structure == old_note.structure:
        assert check_rendering(text, new, old_note) == []


@END_TO_END
@given(note_text(), st.booleans(), canonical_map)
def test_apply_on_files_keeps_every_other_byte(pinned_and_applied, text, bom, canonical):
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        notes.mkdir()
        raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
        (notes / "n.md").write_bytes(raw)
        os.chmod(notes / "n.md", 0o640)
        db, report = pinned_and_applied(notes, Path(tmp) / "g.db", canonical)
        new = (notes / "n.md").read_bytes()
        assert new.startswith(b"\xef\xbb\xbf") == bom
        assert (os.stat(notes / "n.md").st_mode & 0o7777) == 0o640
        new_text = new.decode("utf-8-sig")
        _checks(text, new_text)
        if report.having("refused"):
            assert new == raw
        assert not apply([notes], db).having("changed")
        assert (notes / "n.md").read_bytes() == new
        db.conn.close()
