"""`course quiz --export anki FILE`: the bank as a tab-separated file Anki imports.

Anki reads the `#` header lines: tab separator, HTML fields, the note type and deck, and
which columns hold the GUID and the tags. Each row is GUID, front, back, tags. The GUID is
built from the question's stable id, so importing again after a question was reworded
updates its card (and keeps its review history) instead of adding a duplicate. Newlines
become <br> and text is HTML-escaped, so no field ever holds a tab or a raw newline.
Formula templates export their formula, not an instance.
"""

import html
from pathlib import Path

from course.graders.kit.errors import UserError
from course.quiz.asking.bank import Bank, BankEntry, FormulaTemplate
from course.quiz.asking.kinds import MultipleChoice, Numeric, Open, ShortText, SingleChoice

EXPORT_FORMATS = ("anki",)
DECK = "Course kit::Week 4"
HEADER = (
    f"#separator:tab\n#html:true\n#notetype:Basic\n#deck:{DECK}\n#guid column:1\n#tags column:4\n"
)


def guid(entry_id: str) -> str:
    """The note's GUID in Anki: the same for a question however often it is reworded."""
    return f"course-kit:{entry_id}"


def _html(text: str) -> str:
    return html.escape(text).replace("\t", " ").replace("\n", "<br>")


def _list(items: tuple[str, ...] | list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_html(item)}</li>" for item in items) + "</ul>"


def _front_back(entry: BankEntry) -> tuple[str, str]:
    if isinstance(entry, FormulaTemplate):
        return _html(f"Formula: {entry.title}?"), _html(entry.formula)
    front = _html(entry.prompt)
    if isinstance(entry, SingleChoice):
        return front + _list(entry.choices), _html(entry.answer)
    if isinstance(entry, MultipleChoice):
        front += "<br><i>Select all that apply.</i>" + _list(entry.choices)
        return front, _list([c for c in entry.choices if c in entry.answers])
    if isinstance(entry, Numeric):
        return front, _html(entry.score(entry.answer).expected)
    if isinstance(entry, ShortText):
        return front, _html(entry.accepted[0])
    if isinstance(entry, Open):
        return front, _html(entry.model_answer) + _list(entry.key_points)
    raise TypeError(f"cannot export a {type(entry).__name__}")


def anki_rows(bank: Bank) -> list[str]:
    """One line per entry: GUID, front, back (answer and explanation), tags (topic and id)."""
    rows = []
    for entry in bank.entries:
        front, back = _front_back(entry)
        if not isinstance(entry, FormulaTemplate):
            back += "<br><br>" + _html(entry.explanation)
        tags = f"course::{entry.topic} course::id::{entry.id}"
        rows.append(f"{guid(entry.id)}\t{front}\t{back}\t{tags}")
    return rows


def export_bank(bank: Bank, export_format: str, path: Path) -> int:
    """Write the bank in `export_format` to `path`; returns the number of notes written."""
    if export_format not in EXPORT_FORMATS:
        raise UserError(
            f"unknown export format '{export_format}'; use: {', '.join(EXPORT_FORMATS)}"
        )
    rows = anki_rows(bank)
    try:
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error}") from None
    return len(rows)
