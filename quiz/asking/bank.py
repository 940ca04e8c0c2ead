"""The question bank: the TOML files in bank/, loaded into typed questions and validated.

bank/topics.toml declares the topics in course order. Every other file holds
`[[question]]` tables (one of the kinds in questions.py) and `[[template]]` tables
(formula questions whose numbers a generator draws). Any mistake in a file stops the load
with one line naming the file and the question.
"""

import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.graders.kit.errors import UserError
from course.quiz.asking.generators import GENERATORS
from course.quiz.asking.kinds import QUESTION_KINDS, Numeric, Question

BANK_DIR = Path(__file__).parent.parent / "bank"
TOPICS_FILE = "topics.toml"
MAX_CHOICES = 9
"""Each choice needs its own number key."""
ID_PATTERN = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")


@dataclass(frozen=True)
class Topic:
    """A subject of the course; questions are grouped and scored by topic."""

    name: str
    """Short name used by --topic, e.g. "lstm-gru"."""
    title: str
    """Human title shown in tables."""


@dataclass(frozen=True, kw_only=True)
class FormulaTemplate:
    """A formula question with fresh numbers each time; scheduled as one question."""

    id: str
    topic: str
    section: str
    title: str
    """What the formula computes, e.g. "Output size of a convolution"."""
    formula: str
    """The formula in the notes' notation; exported to Anki."""
    generator: str
    """Name of the function in generators.py that draws an instance."""

    def instantiate(self, rng: random.Random) -> Numeric:
        """A numeric question with numbers drawn from `rng`, keeping the template's id."""
        problem = GENERATORS[self.generator](rng)
        return Numeric(
            id=self.id,
            topic=self.topic,
            section=self.section,
            prompt=problem.prompt,
            explanation=f"{problem.explanation}\nFormula: {self.formula}",
            answer=problem.answer,
            tolerance=problem.tolerance,
            traps=tuple(problem.traps.items()),
        )


BankEntry = Question | FormulaTemplate
"""Something the quiz can ask: a fixed question or a formula template."""


@dataclass(frozen=True)
class Bank:
    """Every topic, question and template, validated."""

    topics: dict[str, Topic]
    """By name, in course order."""
    questions: tuple[Question, ...]
    templates: tuple[FormulaTemplate, ...]

    @property
    def entries(self) -> tuple[BankEntry, ...]:
        """Questions and templates together."""
        return self.questions + self.templates

    def entries_in(self, topics: list[str]) -> list[BankEntry]:
        """The entries of the given topics, or all entries when `topics` is empty."""
        for name in topics:
            if name not in self.topics:
                known = ", ".join(self.topics)
                raise UserError(f"unknown topic '{name}'; the topics are: {known}")
        return [entry for entry in self.entries if not topics or entry.topic in topics]


class _Fields:
    """Typed reads from one TOML table, each failure naming where it happened."""

    def __init__(self, table: dict[str, Any], where: str) -> None:
        self.table = table
        self.where = where
        self.read: set[str] = set()

    def fail(self, problem: str) -> UserError:
        return UserError(f"{self.where}: {problem}")

    def get(self, key: str) -> Any:
        self.read.add(key)
        if key not in self.table:
            raise self.fail(f"'{key}' is missing")
        return self.table[key]

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be non-empty text")
        return value.strip()

    def optional_text(self, key: str) -> str:
        return self.text(key) if key in self.table else ""

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"'{key}' must be a non-empty list of texts")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise self.fail(f"every item of '{key}' must be non-empty text")
        items = tuple(item.strip() for item in value)
        if len(set(items)) != len(items):
            raise self.fail(f"'{key}' lists the same text twice")
        return items

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"'{key}' must be a number")
        return float(value)

    def optional_number(self, key: str) -> float:
        return self.number(key) if key in self.table else 0.0

    def optional_flag(self, key: str) -> bool:
        value = self.get(key) if key in self.table else False
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false")
        return value

    def traps(self, key: str) -> tuple[tuple[float, str], ...]:
        """Optional `[{ value = N, says = "..." }, ...]`: wrong answers a known mistake gives."""
        if key not in self.table:
            return ()
        value = self.get(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(f"'{key}' must be a list of {{ value = N, says = \"...\" }} tables")
        traps = []
        for number, table in enumerate(value, start=1):
            trap = _Fields(table, f"{self.where}: {key} #{number}")
            traps.append((trap.number("value"), trap.text("says")))
            trap.check_all_read()
        return tuple(traps)

    def check_all_read(self) -> None:
        unknown = sorted(set(self.table) - self.read)
        if unknown:
            raise self.fail(f"unknown field(s) {', '.join(unknown)} (a typo?)")


def _choices(fields: _Fields) -> tuple[str, ...]:
    choices = fields.texts("choices")
    if not 2 <= len(choices) <= MAX_CHOICES:
        raise fields.fail(f"needs 2 to {MAX_CHOICES} choices, has {len(choices)}")
    return choices


def _kind_fields(kind: str, fields: _Fields) -> dict[str, Any]:
    """The fields only this kind has, checked."""
    if kind == "single":
        choices = _choices(fields)
        answer = fields.text("answer")
        if answer not in choices:
            raise fields.fail(f"answer '{answer}' is not one of its choices")
        return {"choices": choices, "answer": answer, "ordered": fields.optional_flag("ordered")}
    if kind == "multiple":
        choices = _choices(fields)
        answers = fields.texts("answers")
        strays = [answer for answer in answers if answer not in choices]
        if strays:
            raise fields.fail(f"answer '{strays[0]}' is not one of its choices")
        return {
            "choices": choices,
            "answers": frozenset(answers),
            "ordered": fields.optional_flag("ordered"),
        }
    if kind == "numeric":
        tolerance = fields.optional_number("tolerance")
        if tolerance < 0:
            raise fields.fail("'tolerance' must not be negative")
        return {
            "answer": fields.number("answer"),
            "tolerance": tolerance,
            "unit": fields.optional_text("unit"),
            "traps": fields.traps("traps"),
        }
    if kind == "text":
        return {"accepted": fields.texts("accepted")}
    return {"model_answer": fields.text("model_answer"), "key_points": fields.texts("key_points")}


def _common(fields: _Fields, topics: dict[str, Topic]) -> dict[str, str]:
    """The id, topic and section every question and template has, checked."""
    entry_id = fields.text("id")
    if not ID_PATTERN.fullmatch(entry_id):
        raise fields.fail("id must be lowercase words joined by '.' or '-'")
    topic = fields.text("topic")
    if topic not in topics:
        raise fields.fail(f"unknown topic '{topic}' (topics.toml declares {', '.join(topics)})")
    return {"id": entry_id, "topic": topic, "section": fields.text("section")}


def _question(fields: _Fields, topics: dict[str, Topic]) -> Question:
    common = _common(fields, topics)
    kind = fields.text("kind")
    if kind not in QUESTION_KINDS:
        raise fields.fail(f"unknown kind '{kind}'; the kinds are {', '.join(QUESTION_KINDS)}")
    question = QUESTION_KINDS[kind](
        **common,
        prompt=fields.text("prompt"),
        explanation=fields.text("explanation"),
        **_kind_fields(kind, fields),
    )
    fields.check_all_read()
    return question


def _template(fields: _Fields, topics: dict[str, Topic]) -> FormulaTemplate:
    common = _common(fields, topics)
    generator = fields.text("generator")
    if generator not in GENERATORS:
        raise fields.fail(f"unknown generator '{generator}'; see generators.py")
    template = FormulaTemplate(
        **common, title=fields.text("title"), formula=fields.text("formula"), generator=generator
    )
    fields.check_all_read()
    return template


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"{path}: cannot read the bank file: {error}") from None


def _tables(document: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    tables = document.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise UserError(f"{path}: '{key}' must be written as [[{key}]] tables")
    return tables


def _where(path: Path, label: str, table: dict[str, Any], number: int) -> str:
    entry_id = table.get("id")
    name = f"'{entry_id}'" if isinstance(entry_id, str) else f"#{number} (no id)"
    return f"{path}: {label} {name}"


def _load_topics(path: Path) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for number, table in enumerate(_tables(_read_toml(path), "topic", path), start=1):
        fields = _Fields(table, f"{path}: topic #{number}")
        topic = Topic(name=fields.text("name"), title=fields.text("title"))
        fields.check_all_read()
        topics[topic.name] = topic
    if not topics:
        raise UserError(f"{path}: declares no [[topic]]")
    return topics


def load_bank(bank_dir: Path = BANK_DIR) -> Bank:
    """Read and validate every bank file; a malformed one raises UserError naming it."""
    topics = _load_topics(bank_dir / TOPICS_FILE)
    questions: list[Question] = []
    templates: list[FormulaTemplate] = []
    first_seen: dict[str, Path] = {}
    for path in sorted(bank_dir.glob("*.toml")):
        if path.name == TOPICS_FILE:
            continue
        document = _read_toml(path)
        strays = sorted(set(document) - {"question", "template"})
        if strays:
            raise UserError(f"{path}: unexpected top-level key(s) {', '.join(strays)}")
        for label, build, into in (
            ("question", _question, questions),
            ("template", _template, templates),
        ):
            for number, table in enumerate(_tables(document, label, path), start=1):
                entry = build(_Fields(table, _where(path, label, table, number)), topics)
                if entry.id in first_seen:
                    raise UserError(
                        f"{path}: {label} '{entry.id}': id already used in {first_seen[entry.id]}"
                    )
                first_seen[entry.id] = path
                into.append(entry)
    return Bank(topics, tuple(questions), tuple(templates))
