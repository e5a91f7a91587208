"""gloss's own Anki note type: its fields, two card types and their style.

Anki finds a note type by its id. Templates and style may change from one gloss to the
next (Anki takes the newer ones on import); the fields may not: notes whose type has other
fields are not updated by an import. A change of fields is a new version, with a new name
and a new id.
"""

from __future__ import annotations

from typing import Any

VERSION = 1
MODEL_ID = 2030588757  # chosen once at random; never change it within a version
MODEL_NAME = f"gloss English–Japanese term v{VERSION}"

FIELDS = (
    "English", "Japanese", "Furigana", "Romaji", "Glosses", "Remarks", "Pronunciation",
    "Sentence", "SentenceCloze", "CaseTitle", "CaseDate", "CaseLink",
)

_DETAILS = """\
{{#Glosses}}<div class="glosses">{{Glosses}}</div>{{/Glosses}}
{{#Remarks}}<div class="remarks" lang="ja">{{Remarks}}</div>{{/Remarks}}
{{#Pronunciation}}<div class="pronunciation">{{Pronunciation}}</div>{{/Pronunciation}}
{{#Sentence}}<blockquote class="sentence" lang="en">{{Sentence}}</blockquote>{{/Sentence}}
{{#CaseTitle}}<div class="case">\
{{#CaseLink}}<a href="{{CaseLink}}">{{/CaseLink}}{{CaseTitle}}{{#CaseLink}}</a>{{/CaseLink}}\
{{#CaseDate}} · {{CaseDate}}{{/CaseDate}}</div>{{/CaseTitle}}
"""
_READING = """\
<div class="ja answer-ja" lang="ja">{{furigana:Furigana}}</div>
{{#Romaji}}<div class="romaji">{{Romaji}}</div>{{/Romaji}}
"""

TEMPLATES = (
    {
        "name": "English → Japanese",
        "qfmt": '<div class="en prompt">{{English}}</div>',
        "afmt": '{{FrontSide}}\n<hr id="answer">\n' + _READING + _DETAILS,
    },
    {
        "name": "Japanese → English",
        "qfmt": '<div class="ja prompt" lang="ja">{{Japanese}}</div>',
        "afmt": _READING + '<hr id="answer">\n<div class="en prompt">{{English}}</div>\n'
                + _DETAILS,
    },
)

_JAPANESE_FONTS = ('"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", '
                   '"Noto Sans JP", "Yu Gothic", YuGothic, Meiryo, sans-serif')
CSS = f"""\
.card {{
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    {_JAPANESE_FONTS};
  font-size: 20px; line-height: 1.5; text-align: center;
  color: #1f2328; background: #ffffff;
}}
:lang(ja) {{ font-family: {_JAPANESE_FONTS}; }}
.prompt {{ font-size: 1.8em; font-weight: 600; }}
.ja.prompt, .answer-ja {{ font-size: 2em; }}
rt {{ font-size: 0.45em; color: #57606a; }}
.romaji {{ color: #57606a; }}
.glosses, .remarks, .pronunciation {{ margin-top: 0.3em; }}
.sentence {{
  max-width: 34em; margin: 1.2em auto 0.4em; padding: 0.3em 1em; text-align: left;
  border-left: 3px solid #d0d7de; font-size: 0.9em;
}}
.sentence b {{ color: #0550ae; }}
.case {{ font-size: 0.75em; color: #57606a; }}
.case a {{ color: inherit; }}
.nightMode.card, .nightMode .card {{ color: #e6edf3; background: #1f1f1f; }}
.nightMode rt, .nightMode .romaji, .nightMode .case {{ color: #9198a1; }}
.nightMode .sentence b {{ color: #79c0ff; }}
"""


def note_type_parts() -> dict[str, Any]:
    """What genanki.Model takes: fresh lists (genanki writes into them)."""
    return {
        "model_id": MODEL_ID,
        "name": MODEL_NAME,
        "fields": [{"name": name} for name in FIELDS],
        "templates": [dict(template) for template in TEMPLATES],
        "css": CSS,
    }
