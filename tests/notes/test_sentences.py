"""Sentences: the splitter on written cases, and every context recorded from the real notes
starting and ending where a sentence does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary.notes.sentences import sentence_starts
from glossary.notes.uses import excerpt, sentence_around


def sentences(text: str) -> list[str]:
    starts = sentence_starts(text) + [len(text)]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:], strict=False)]


CASES = [
    # species names, abbreviated genus and all
    ["Eggs of D. caninum were seen.", "The patient was treated."],
    ["The tapeworm was Dipylidium caninum.", "D. caninum infection occurs in dogs."],
    ["Cultures grew E. coli and S. aureus.", "Both were sensitive."],
    ["It grew Staph. aureus in culture.", "Next."],
    # e.g., i.e., Dr., vs., approx. and their kind
    ["Some drugs (e.g. praziquantel) work.", "Others do not."],
    ["Some drugs, e.g., praziquantel, work.", "Others do not."],
    ["The worm, i.e. the proglottid, moved.", "It was white."],
    ["He saw Dr. Smith on Monday.", "She was kind."],
    ["Drug A vs. Drug B was compared.", "No difference."],
    ["The cyst measured approx. 3.4 cm by 3.9 cm.", "It was removed."],
    ["See Fig. 2 and the work of Smith et al. in 2019.", "Next."],
    ["Take 5 mg p.o. b.i.d. for a week.", "Next."],
    ["The U.S. Food and Drug Administration approved it.", "Next."],
    # decimals and numbers
    ["The ratio was 0.48 (95% CI, 0.39 to 0.60; P<0.001).", "It was significant."],
    ["His temperature was 37.5°C.", "He was alert."],
    ["Vitamin B12.", "Then folate."],
    # initials
    ["The case was described by J. R. Smith in 2008.", "It is rare."],
    ["situs inversus totalis (Fliegauf, M., 2008)"],
    # the plain ends, closers and other scripts
    ["She had a fever.", "Then she improved!", "Was it viral?", "Nobody knew."],
    ["He said “it hurts.”", "Then he slept."],
    ["The level was 5 mg/dl.", "(Normal range 2 to 4.)", "Next."],
    ["Docetaxel was the only agent until 2011, when a trial of abiraterone . . ."],
]


@pytest.mark.parametrize("expected", CASES, ids=[c[0][:40] for c in CASES])
def test_the_splitter_knows_abbreviations_species_decimals_and_initials(
        expected: list[str]) -> None:
    assert sentences(" ".join(expected)) == expected


def test_japanese_stops_end_sentences_without_a_space() -> None:
    assert sentences("患者は発熱した。その後「改善した！」次。") == [
        "患者は発熱した。", "その後「改善した！」", "次。"]


def test_a_stop_before_a_capital_after_a_single_letter_joins_rather_than_cuts() -> None:
    # "C." might be an initial: two sentences read as one rather than one cut in two
    assert sentences("She had hepatitis C. The liver was enlarged.") == [
        "She had hepatitis C. The liver was enlarged."]


def test_the_context_is_the_sentence_of_the_link() -> None:
    text = "Eggs were seen (Panel B). D. caninum infection occurs in dogs. Cats too."
    start = text.index("infection")
    assert sentence_around(text, start, start + 9) == "D. caninum infection occurs in dogs."


def test_a_long_sentence_is_cut_around_the_link_and_marked_where_cut() -> None:
    text = "It began. " + "word " * 200 + "flank at the end."
    start = text.index("flank")
    context = sentence_around(text, start, start + 5)
    assert context.startswith("…") and context.endswith("flank at the end.")
    assert len(context) <= 401


# --- every recorded context of the real notes ---------------------------------------------

# What a real sentence boundary is, said independently of glossary.notes.sentences: a stop,
# then a space and a word not in lower case, unless the stop ends an abbreviation.
_NOT_AN_END = re.compile(
    r"(?:^|[\s(\[])(?:\w|\w+(?:\.\w+)+|e\.g|i\.e|Dr|Mr|Mrs|vs|approx|al|Fig|No|cf)\.$")
_CLOSERS = "\"'”’)]」』）"


def _ends_a_sentence(before: str) -> bool:
    """Whether `before` (the text up to a point) ends with a finished sentence."""
    body = before.rstrip().rstrip(_CLOSERS)
    if not body or body[-1] in "。！？":
        return True
    return body[-1] in ".!?" and not (body[-1] == "." and _NOT_AN_END.search(body))


def _starts_a_sentence(after: str) -> bool:
    """Whether `after` (the text from a point on) begins a sentence."""
    word = after.lstrip().lstrip("\"'“‘([「")
    return not word or not word[0].islower()


def _paragraphs(note: Path) -> list[tuple[int, int, str]]:
    """(first line, last line, plain text) of every inline run of a note, as CommonMark
    reads it: text and code as written, line breaks as spaces, links as their text."""
    from glossary.notes import markdown

    found = []
    for token in markdown().parse(note.read_text(encoding="utf-8-sig")):
        if token.type == "inline" and token.map:
            text = "".join(" " if c.type in ("softbreak", "hardbreak") else c.content
                           for c in token.children or []
                           if c.type in ("text", "code_inline", "image", "softbreak",
                                         "hardbreak"))
            found.append((token.map[0] + 1, token.map[1], text))
    return found


def _misplaced(context: str, paragraph: str) -> list[str]:
    """What is wrong with `context` as a sentence of `paragraph` ([] when nothing is);
    ["not found"] when it is not in the paragraph at all."""
    core = context.strip("…")
    places = [m.start() for m in re.finditer(re.escape(core), paragraph)]
    if not places:
        return ["not found"]
    for at in places:
        before, after = paragraph[:at], paragraph[at + len(core):]
        wrong = []
        if not context.startswith("…") and before.strip() and not (
                (before[-1].isspace() or before[-1] in "。！？")
                and _ends_a_sentence(before) and _starts_a_sentence(core)):
            wrong.append("starts mid-sentence")
        if not context.endswith("…") and after.strip() and not (
                (after[0].isspace() or core[-1] in "。！？")
                and _ends_a_sentence(before + core) and _starts_a_sentence(after)):
            wrong.append("ends mid-sentence")
        if not wrong:
            return []
    return wrong


def test_every_recorded_context_of_the_real_notes_is_whole_sentences(
        physician: Path, tmp_path: Path, harvested) -> None:
    db = harvested(physician, tmp_path / "g.db")
    recorded = list(db.execute("select note_path, line, context from occurrences"))
    assert len(recorded) > 100
    paragraphs: dict[str, list] = {}
    wrong = []
    for path, line, context in recorded:
        if path not in paragraphs:
            paragraphs[path] = _paragraphs(physician / path)
        holding = [text for first, last, text in paragraphs[path] if first <= line <= last]
        problems = [_misplaced(context, text) for text in holding] or [["no paragraph"]]
        if all(problems):
            wrong.append((path, line, context, problems))
    assert wrong == []


@pytest.mark.parametrize("context, paragraph, expected", [
    ("caninum infection occurs.", "It was D. caninum infection occurs.", ["starts mid-sentence"]),
    ("It was D.", "It was D. caninum infection occurs.", ["ends mid-sentence"]),
    ("He saw Dr.", "He saw Dr. Smith.", ["ends mid-sentence"]),
    ("Smith.", "He saw Dr. Smith.", ["starts mid-sentence"]),
    ("praziquantel", "praziquantel", []),
    ("He saw Dr. Smith.", "He saw Dr. Smith. Then", []),
    ("The end.", "It was seen (Panel B). The end.", []),
])
def test_the_real_notes_check_finds_contexts_cut_mid_sentence(
        context: str, paragraph: str, expected: list[str]) -> None:
    assert _misplaced(context, paragraph) == expected


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_an_excerpt_keeps_the_term_in_view(where: str) -> None:
    filler = "word " * 40
    sentence = {"start": f"Syncope, then {filler}.", "middle": f"{filler}a syncope {filler}.",
                "end": f"{filler}and an episode of syncope at home."}[where]
    shown = excerpt(sentence, "syncope", 60)
    assert "syncope" in shown.casefold()
    assert len(shown.strip("…")) <= 60
    assert shown.startswith("…") == (where != "start")
    assert excerpt("Short and whole: syncope.", "syncope", 60) == "Short and whole: syncope."
