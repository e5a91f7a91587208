"""Parsing one note: definitions, Terminology lists, the case and the uses of terms."""

from glossary.notes import case_from_path, parse_note
from glossary.notes.terminology import parse_list_item

NOTE = """\
# [Images in Clinical Medicine: A Stone in the Flank][2024_DoeJ_RoeR]

## Terminology

* [quadrant]: 象限
* [flank]: 側腹部, 脇腹
* [tender] 圧痛
* enema: 浣腸
* [praziquantel]

## Original

[![Figure][fig]][fig]

> Pain in the right upper [quadrant] and both [flank]s. The abdomen was
> [Tender][tender]. A [contrast study][enema] followed. [Calcinosis] was seen.

```
[faketerm]: # "偽物"
```

[2024_DoeJ_RoeR]: https://www.nejm.org/doi/full/10.1056/NEJMicm2400001
[fig]: https://example.org/f1.jpeg
[fig2]: # ""
[Panel A]: #original

<!-- term -->
[quadrant]: #terminology "象限"
[flank]: # '側腹部, 脇腹'
[tender]: # ""
[enema]: #termiology (浣腸)
[calcinosis]: # "石灰沈着"
[pons]: https://en.wikipedia.org/wiki/Pons "橋"
"""


def definitions(text=NOTE):
    return [(d.form, d.label, d.raw) for d in parse_note(text).definitions]


def test_every_definition_in_both_forms_is_found_and_none_lost():
    found = definitions()
    assert ("list", "quadrant", "象限") in found
    assert ("link", "quadrant", "象限") in found  # shadowed by the list item, still found
    assert ("list", "flank", "側腹部, 脇腹") in found
    assert ("list", "tender", "圧痛") in found
    assert ("list", "enema", "浣腸") in found
    assert ("list", "praziquantel", "") in found
    assert ("link", "enema", "浣腸") in found
    assert ("link", "pons", "橋") in found
    assert ("link", "tender", "") in found


def test_citations_figures_panels_and_code_are_not_terms():
    labels = {label for _, label, _ in definitions()}
    assert labels.isdisjoint({"2024_DoeJ_RoeR", "fig", "fig2", "Panel A", "faketerm"})


def test_case_comes_from_the_heading():
    note = parse_note(NOTE)
    assert note.title == "Images in Clinical Medicine: A Stone in the Flank"
    assert note.citation == "2024_DoeJ_RoeR"
    assert note.url == "https://www.nejm.org/doi/full/10.1056/NEJMicm2400001"
    assert note.doi == "10.1056/NEJMicm2400001"


def test_uses_of_terms_with_their_sentences():
    uses = {(o.key, o.text): o for o in parse_note(NOTE).occurrences}
    assert ("flank", "flank") in uses
    assert ("tender", "Tender") in uses
    assert ("enema", "contrast study") in uses
    assert ("calcinosis", "Calcinosis") in uses
    assert uses[("calcinosis", "Calcinosis")].context == "Calcinosis was seen."
    assert uses[("tender", "Tender")].context == "The abdomen was Tender."
    assert uses[("tender", "Tender")].line == 16
    # the Terminology list is where terms are defined, not used
    assert all(o.line > 10 for o in parse_note(NOTE).occurrences)


def test_terminology_heading_at_any_level_and_its_end():
    text = "# T\n\n### terminology\n\n- [a b]: 甲\n\n## Next\n\n- [c]: 乙\n"
    assert definitions(text) == [("list", "a b", "甲")]


def test_nested_terminology_items_count():
    text = "## Terminology\n\n* [big]: 大\n    * [bigger]: より大きい\n"
    assert [label for _, label, _ in definitions(text)] == ["big", "bigger"]


def test_definition_in_block_quote_is_found_with_its_span():
    text = '> [ecchymosis]: # "斑状出血"\n'
    (definition,) = parse_note(text).definitions
    assert definition.raw == "斑状出血"
    span = definition.span
    assert text.splitlines()[span.line][span.start : span.end] == "斑状出血"


def test_spans_point_at_the_definition_text():
    lines = NOTE.splitlines()
    for d in parse_note(NOTE).definitions:
        assert d.span is not None, d
        assert lines[d.span.line][d.span.start : d.span.end] == d.raw


def test_list_item_forms():
    assert parse_list_item("[flank]: 側腹部") == ("flank", 9, "")
    assert parse_list_item("[flank] 側腹部") == ("flank", 8, "")
    assert parse_list_item("flank: 側腹部") == ("flank", 7, "")
    assert parse_list_item("[flank]") == ("flank", 7, ": ")
    assert parse_list_item("[flank]:") == ("flank", 8, " ")
    assert parse_list_item("[flank]s are sore") is None
    assert parse_list_item("just a sentence") is None
    assert parse_list_item("側腹部: flank") is None


def test_case_from_file_name():
    case = case_from_path("NEJM/IiCM/2019-05-23_39wM.md")
    assert (case.date, case.age, case.sex, case.collection) == (
        "2019-05-23", "39 weeks", "M", "NEJM/IiCM")
    assert case_from_path("NEJM/IiCM/2019-05-16_51F.md").age == "51 years"
    assert case_from_path("QB/GE.md") == case_from_path("QB/GE.md").__class__(collection="QB")


def test_lines_are_counted_as_commonmark_counts_them():
    text = 'intro\x0cstill intro\u2028 same line\r\n\n[flank]: # "横腹"\n'
    (definition,) = parse_note(text).definitions
    assert definition.line == 3
    line = text.replace("\r\n", "\n").split("\n")[definition.span.line]
    assert line[definition.span.start : definition.span.end] == "横腹"


# --- the title: always plain text -----------------------------------------------------------


def test_a_heading_linking_to_an_undefined_citation_gives_its_link_text_and_a_problem():
    note = parse_note("# [Tumoral Calcinosis][2019_DoeJ]\n\nText.\n")
    assert note.title == "Tumoral Calcinosis"
    assert (note.citation, note.url, note.doi) == ("", "", "")
    assert note.problems == ['its heading links to [2019_DoeJ], which the note does not '
                             'define; the title reads "Tumoral Calcinosis"']


def test_a_defined_citation_is_kept_apart_from_the_title_with_no_problem():
    note = parse_note("# [Tumoral *Calcinosis*][2019_DoeJ]\n\n"
                      "[2019_DoeJ]: https://www.nejm.org/doi/full/10.1056/NEJMicm1\n")
    assert (note.title, note.citation, note.doi) == (
        "Tumoral Calcinosis", "2019_DoeJ", "10.1056/NEJMicm1")
    assert note.problems == []


def test_collapsed_references_count_and_plain_brackets_stay_as_written():
    collapsed = parse_note("# Case of [Tumoral Calcinosis][]\n")
    assert collapsed.title == "Case of Tumoral Calcinosis" and len(collapsed.problems) == 1
    bracketed = parse_note("# [Draft] Case `[a][b]`\n")  # a shortcut and code: plain text
    assert (bracketed.title, bracketed.problems) == ("[Draft] Case [a][b]", [])
    both = parse_note("# [Draft] [Calcinosis][K]\n")
    assert both.title == "[Draft] Calcinosis" and "[K]" in both.problems[0]


def test_a_heading_linking_to_an_undefined_citation_keeps_its_entities_as_text():
    note = parse_note("# [Calcinosis &amp; flank &lt;pain&gt;][2019_Key]\n\nText.\n")
    assert note.title == "Calcinosis & flank <pain>"
    assert note.problems and "[2019_Key]" in note.problems[0]
