"""Unit tests for the pure rewriter (glossary.rewrite) and its verifier (glossary.verify)."""

from __future__ import annotations

import pytest
from markdown_it.common.utils import unescapeAll

from glossary.apply.patch import apply_patches, escape_title, plan_note, quote_title, rewrite
from glossary.apply.verify import verify
from glossary.notes import parse_note

FLANK = {"flank": "側腹部, 脇腹"}


def run(text: str, canonical: dict[str, str]) -> str:
    new, _ = rewrite(text, parse_note(text), canonical)
    assert verify(text, new, canonical) == []
    return new


def title_of(text: str, label: str) -> str:
    return next(d.raw for d in parse_note(text).definitions if d.label == label)


# --- which definitions change ---------------------------------------------------------------


def test_link_definition_title_is_replaced_and_nothing_else():
    text = "[Flank]: #terminology  \"横腹\"\n"
    assert run(text, FLANK) == "[Flank]: #terminology  \"側腹部, 脇腹\"\n"


def test_agreeing_definition_is_not_touched_even_with_a_remark():
    text = "[flank]: # \"側腹部、 脇腹 (side)\"\n"
    plan = plan_note(parse_note(text), FLANK)
    assert plan.patches == ()


def test_terms_without_canonical_text_are_left_alone():
    text = "[tender]: # \"\"\n[flank]: # \"横腹\"\n"
    new = run(text, FLANK)
    assert new.splitlines()[0] == "[tender]: # \"\""


def test_empty_title_is_filled_and_counted():
    text = "[flank]: # \"\"\n"
    plan = plan_note(parse_note(text), FLANK)
    assert [p.filled for p in plan.patches] == [True]
    assert run(text, FLANK) == "[flank]: # \"側腹部, 脇腹\"\n"


def test_definition_without_title_gets_one():
    assert run("[flank]: #\n", FLANK) == "[flank]: # \"側腹部, 脇腹\"\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("* [flank]: 横 腹", "* [flank]: 側腹部, 脇腹"),
        ("  - [Flank] 横腹", "  - [Flank] 側腹部, 脇腹"),
        ("1. flank: 横腹", "1. flank: 側腹部, 脇腹"),
        ("* [flank]", "* [flank]: 側腹部, 脇腹"),
        ("* [flank]:", "* [flank]: 側腹部, 脇腹"),
        # CommonMark reads these two as link reference definitions (destination 横腹, .):
        # they stay definitions, their alternatives written without a space
        ("* [flank]: 横腹", "* [flank]: 側腹部,脇腹"),
        ("* [flank]: .", "* [flank]: 側腹部,脇腹"),
    ],
)
def test_terminology_items_keep_marker_label_and_separator(line, expected):
    text = f"## Terminology\n\n{line}\n* [other]: 他\n"
    assert run(text, FLANK).splitlines()[2] == expected


def test_a_note_without_terminology_gets_none():
    text = "# Case\n\nThe [flank].\n\n[flank]: # \"横腹\"\n"
    assert "Terminology" not in run(text, FLANK)


def test_definition_in_block_quote_and_nested_list_keeps_its_prefix():
    text = ("## Terminology\n\n* parts\n\t* [flank]: 横腹\n\n"
            "> [flank]: # '横腹'\n")
    new = run(text, FLANK)
    assert new.splitlines()[3] == "\t* [flank]: 側腹部,脇腹"  # a definition stays one
    assert new.splitlines()[5] == "> [flank]: # '側腹部, 脇腹'"


def test_fake_definition_in_code_fence_is_not_touched():
    text = "```\n[flank]: # \"横腹\"\n```\n\n[flank]: # \"横腹\"\n"
    new = run(text, FLANK)
    assert new.splitlines()[1] == "[flank]: # \"横腹\""
    assert new.splitlines()[4] == "[flank]: # \"側腹部, 脇腹\""


def test_duplicate_definitions_are_both_rewritten_and_kept():
    text = "[flank]: # \"横腹\"\n[FLANK]: #terminology \"脇\"\n"
    expected = "[flank]: # \"側腹部, 脇腹\"\n[FLANK]: #terminology \"側腹部, 脇腹\"\n"
    assert run(text, FLANK) == expected


def test_definition_over_two_lines_is_refused_not_patched():
    text = "[flank]: #\n  \"横腹\"\n"
    plan = plan_note(parse_note(text), FLANK)
    assert plan.patches == ()
    assert plan.refusals and "could not be located" in plan.refusals[0].reason


# --- quoting ------------------------------------------------------------------------------


@pytest.mark.parametrize("quote", ['"', "'", "("])
def test_title_keeps_its_quote_style(quote):
    closer = ")" if quote == "(" else quote
    text = f"[flank]: # {quote}横腹{closer}\n"
    assert run(text, FLANK) == f"[flank]: # {quote}側腹部, 脇腹{closer}\n"


@pytest.mark.parametrize(
    ("line", "canonical", "expected"),
    [
        ('[t]: # "x"', 'say "ah"', "[t]: # 'say \"ah\"'"),
        ("[t]: # 'x'", "it's", '[t]: # "it\'s"'),
        ("[t]: # (x)", "a (b)", '[t]: # "a (b)"'),
        ('[t]: # "x"', "it's \"q\" (p)", '[t]: # "it\'s \\"q\\" (p)"'),
    ],
)
def test_title_switches_quotes_or_escapes(line, canonical, expected):
    new = run(line + "\n", {"t": canonical})
    assert new == expected + "\n"
    assert title_of(new, "t") == canonical


@pytest.mark.parametrize(
    "text", ["a\\b", "ends\\", "x\\*y", "&amp; &#38; &copy;", "(nested (parens))", "\"'()"]
)
@pytest.mark.parametrize("opener", ['"', "'", "("])
def test_escaping_round_trips_through_markdown_it(text, opener):
    assert unescapeAll(escape_title(text, opener)) == text
    chosen, body = quote_title(text, opener)
    new = f"[t]: # {chosen}{body}{')' if chosen == '(' else chosen}\n"
    assert title_of(new, "t") == text


# --- lines, endings, bytes ----------------------------------------------------------------


def test_crlf_and_missing_final_newline_are_kept():
    text = "# C\r\n\r\n[flank]: # \"横腹\"\r\n[x]: https://e.org"
    new = run(text, FLANK)
    assert new == "# C\r\n\r\n[flank]: # \"側腹部, 脇腹\"\r\n[x]: https://e.org"


def test_mixed_line_endings_are_kept_line_by_line():
    text = "a\r\n\r\n[flank]: # \"横腹\"\nb\r\n"
    assert run(text, FLANK) == "a\r\n\r\n[flank]: # \"側腹部, 脇腹\"\nb\r\n"


def test_apply_patches_with_no_patches_is_identity():
    text = "x\r\ny\n\nz"
    assert apply_patches(text, []) == text


def test_second_rewrite_changes_nothing():
    text = "## Terminology\n\n* [flank]\n\n[flank]: # (横腹)\n"
    new = run(text, FLANK)
    again, plan = rewrite(new, parse_note(new), FLANK)
    assert plan.patches == () and again == new


# --- verification ------------------------------------------------------------------------


def test_verify_rejects_a_change_outside_definitions():
    text = "Hello\n\n[flank]: # \"横腹\"\n"
    new = "Hullo\n\n[flank]: # \"側腹部, 脇腹\"\n"
    assert any("holds no definition" in r for r in verify(text, new, FLANK))


def test_verify_rejects_a_lost_definition():
    text = "[flank]: # \"横腹\"\n\n[x]: # \"y\"\n"
    new = "[flank] # \"側腹部, 脇腹\"\n\n[x]: # \"y\"\n"
    assert any("lost" in r for r in verify(text, new, FLANK))


def test_verify_rejects_a_changed_destination():
    text = "[flank]: # \"横腹\"\n"
    new = "[flank]: #x \"側腹部, 脇腹\"\n"
    assert any("rendered note would change" in r for r in verify(text, new, FLANK))


def test_verify_rejects_a_rewrite_that_is_not_idempotent():
    text = "[flank]: # \"横腹\"\n"
    new = "[flank]: # \"脇\"\n"
    assert any("idempotent" in r for r in verify(text, new, FLANK))


def test_a_terminology_item_that_is_a_definition_stays_one():
    text = "## Terminology\n\n* [quadrant]: 象限\n\n[quadrant]: # \"象限\"\n"
    canonical = {"quadrant": "象限, 四分円"}
    new = run(text, canonical)
    assert new.splitlines()[2] == "* [quadrant]: 象限,四分円"


def test_split_lines_cuts_where_commonmark_does():
    from glossary.notes import split_lines

    assert split_lines("a\r\nb\x0cc\rd\n\ne") == [
        ("a", "\r\n"), ("b\x0cc", "\r"), ("d", "\n"), ("", "\n"), ("e", "")]
    assert split_lines("x\n") == [("x", "\n")]


# --- rendering is the contract: what CommonMark reads a Terminology item as --------------

PAPULAR = ("# P\n\n## Terminology\n\n* [papular]\n\nThe [papular] rash.\n\n"
           "[papular]: # \"丘疹\"\n")
ENUCLEATE = ("# E\n\n## Terminology\n\n* [enucleate]: 摘出する\n\nThe eye was [enucleate]d.\n\n"
             "[enucleate]: #terminology \"摘出する, 眼球除去する\"\n")


def test_a_plain_item_filled_stays_plain_text():
    # `* [papular]: 丘疹` would be a link reference definition shadowing the real one
    new = run(PAPULAR, {"papular": "丘疹"})
    assert new.splitlines()[4] == "* [papular] 丘疹"
    assert parse_note(new).definitions[0].raw == "丘疹"  # the harvest reads the form


def test_verify_refuses_a_plain_item_turned_into_a_definition():
    new = PAPULAR.replace("* [papular]\n", "* [papular]: 丘疹\n")
    reasons = verify(PAPULAR, new, {"papular": "丘疹"})
    assert reasons == ["line 5 would become a link reference definition (of [papular]), "
                       "shadowing or adding a link target"]


def test_verify_refuses_a_definition_turned_into_plain_text():
    canonical = {"enucleate": "摘出 する"}
    new = ENUCLEATE.replace("* [enucleate]: 摘出する", "* [enucleate]: 摘出 する")
    assert verify(ENUCLEATE, new, canonical)[0].startswith(
        "line 5 would stop being a link reference definition (of [enucleate])")


def test_a_definition_item_keeps_being_one_with_alternatives_written_together():
    canonical = {"enucleate": "摘出する, 眼球除去する"}
    new = run(ENUCLEATE, canonical)
    assert new.splitlines()[4] == "* [enucleate]: 摘出する,眼球除去する"
    assert new.splitlines()[-1] == ENUCLEATE.splitlines()[-1]


def test_a_definition_item_that_cannot_stay_one_is_left_as_written_saying_why():
    canonical = {"enucleate": "心房 中隔"}
    new, plan = rewrite(ENUCLEATE, parse_note(ENUCLEATE), canonical)
    assert plan.patches[0].line == 8  # the link definition is still rewritten
    assert new.splitlines()[4] == "* [enucleate]: 摘出する"
    [refusal] = plan.refusals
    assert refusal.line == 5 and "link reference definition" in refusal.reason
    assert "`[enucleate] 摘出する`" in refusal.reason
    assert verify(ENUCLEATE, new, canonical) == []


@pytest.mark.parametrize("pinned", ["石灰\\*沈着", "石灰&amp;沈着"])
def test_a_definition_item_is_never_given_text_its_destination_would_decode(pinned):
    """CommonMark decodes escapes and entities in a destination: the item would read as
    another text than the title beside it (the harvest reads items as written)."""
    canonical = {"enucleate": pinned}
    new, plan = rewrite(ENUCLEATE, parse_note(ENUCLEATE), canonical)
    assert new.splitlines()[4] == "* [enucleate]: 摘出する"
    [refusal] = plan.refusals
    assert refusal.line == 5 and "a backslash or an entity is decoded there" in refusal.reason
    *_, link = (d for d in parse_note(new).definitions if d.label == "enucleate")
    assert link.raw == pinned  # the link definition's title reads as pinned
    assert verify(ENUCLEATE, new, canonical) == []


@pytest.mark.parametrize("item", ["* [flank]: 横 腹", "* [flank]:", "* [flank]"])
def test_a_plain_item_whose_new_text_is_a_destination_drops_the_colon(item):
    text = f"## Terminology\n\n{item}\n\nThe [flank].\n\n[flank]: # \"横腹\"\n"
    assert run(text, {"flank": "側腹部"}).splitlines()[2] == "* [flank] 側腹部"


def test_an_item_whose_text_goes_on_over_the_next_line_is_left_as_written():
    text = "## Terminology\n\n* [flank]: 横 腹\n  and *more\n\n[flank]: # \"横腹\"\n"
    plan = plan_note(parse_note(text), FLANK)
    assert [p.line for p in plan.patches] == [5]
    assert plan.refusals and "could not be located" in plan.refusals[0].reason


def test_a_definition_that_is_a_term_by_its_japanese_keeps_some():
    text = '[Dipylidium caninum]: https://www.cdc.gov/x "瓜実条虫"\n'
    plan = plan_note(parse_note(text), {"dipylidium caninum": "double-pored dog tapeworm"})
    assert plan.patches == ()
    assert "only Japanese in its title makes it a term" in plan.refusals[0].reason
    assert run(text, {"dipylidium caninum": "瓜実条虫, 犬条虫"}).endswith('"瓜実条虫, 犬条虫"\n')


def test_a_definition_item_is_never_given_a_pointed_destination():
    _, plan = rewrite(ENUCLEATE, parse_note(ENUCLEATE), {"enucleate": "<石灰沈着>"})
    assert [r.line for r in plan.refusals] == [5]  # `* [x]: <a>` would read as a, not <a>
