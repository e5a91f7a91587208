"""The rules that read a definition's text and decide which labels are terms."""

import pytest

from glossary.notes import is_term_definition, normalize_label, split_text


@pytest.mark.parametrize(
    ("text", "japanese"),
    [
        ("側腹部, 脇腹", ("側腹部", "脇腹")),
        ("伸側、伸筋", ("伸側", "伸筋")),
        ("呼吸困難，息切れ", ("呼吸困難", "息切れ")),
        ("発赤, 紅潮, ", ("発赤", "紅潮")),
        ("(肺)気腫", ("(肺)気腫",)),
        ("洗浄\x08, 灌漑", ("洗浄", "灌漑")),
    ],
)
def test_alternatives_are_split_at_every_kind_of_comma(text, japanese):
    assert split_text(text).japanese == japanese


def test_trailing_parenthetical_is_a_remark():
    meaning = split_text("片節 (サナダムシなどの多節条虫の分節)")
    assert meaning.japanese == ("片節",)
    assert meaning.remark == "サナダムシなどの多節条虫の分節"


def test_commas_inside_parentheses_do_not_split():
    meaning = split_text("非共同 (e.g., 非共同眼球運動)")
    assert meaning.japanese == ("非共同",)
    assert "非共同眼球運動" in meaning.remark


def test_text_after_eg_is_a_remark():
    meaning = split_text("無神経節症 e.g., Hirschsprung's")
    assert meaning.japanese == ("無神経節症",)
    assert meaning.glosses == ()
    assert meaning.remark == "e.g., Hirschsprung's"


def test_backticks_hold_a_pronunciation():
    meaning = split_text("掻痒 `pro͞oˈrītəs`")
    assert meaning.japanese == ("掻痒",)
    assert meaning.pronunciation == "pro͞oˈrītəs"


def test_latin_text_after_japanese_is_a_gloss():
    meaning = split_text("心房中隔欠損 atrial septal defect")
    assert meaning.japanese == ("心房中隔欠損",)
    assert meaning.glosses == ("atrial septal defect",)


def test_text_without_japanese_is_a_gloss():
    assert split_text("ringing in the ears").glosses == ("ringing in the ears",)
    assert split_text("38.5°C").glosses == ("38.5°C",)
    assert split_text("瓜実条虫, aka double-pored dog tapeworm").glosses == (
        "double-pored dog tapeworm",
    )


@pytest.mark.parametrize("text", ["", ".", "  ", "-", "、"])
def test_no_letters_means_undefined(text):
    assert not split_text(text).defined


def test_kana_in_parentheses_is_a_written_reading():
    meaning = split_text("右胸心（うきょうしん）")
    assert meaning.japanese == ("右胸心",)
    assert meaning.readings == {"右胸心": "うきょうしん"}
    assert meaning.remark == ""


def test_variant_prefers_japanese_and_keeps_order():
    assert split_text("横腹, 脇腹").variant == "横腹, 脇腹"
    assert split_text("difficult urination").variant == "difficult urination"


@pytest.mark.parametrize(
    ("label", "destination", "title"),
    [
        ("calcinosis", "#", "石灰沈着"),
        ("tender", "#", ""),
        ("quadrant", "#terminology", "象限"),
        ("nonbloody", "#termiology", "非出血性"),
        ("pons", "https://en.wikipedia.org/wiki/Pons", "橋"),
        ("dysuria", "#terminology", "difficult urination"),
    ],
)
def test_terms(label, destination, title):
    assert is_term_definition(label, destination, title)


@pytest.mark.parametrize(
    ("label", "destination", "title"),
    [
        ("2019_ZhouZhixuan_LiJianguo", "https://www.nejm.org/doi/full/10.1056/x", ""),
        ("fig", "https://example.org/f.jpeg", ""),
        ("fig2", "#", ""),
        ("fig021A", "#", ""),
        ("3", "#references", ""),
        ("2016_TanakaK_SatoY", "#references", ""),
        ("Panel A", "#original", ""),
        ("2019-05", "#2019-05", ""),
        ("Section 2", "#section_2", ""),
        ("Terminology", "#terminology", ""),
        ("shumez", "https://shumez.github.io", ""),
    ],
)
def test_not_terms(label, destination, title):
    assert not is_term_definition(label, destination, title)


def test_label_used_by_an_image_is_not_a_term():
    images = frozenset({"photo of rash"})
    assert not is_term_definition("photo of rash", "#", "", image_labels=images)


def test_labels_match_as_commonmark_matches_them():
    assert normalize_label("  Innumerable ") == normalize_label("innumerable")
    assert normalize_label("eustachian\n  tube") == "eustachian tube"
