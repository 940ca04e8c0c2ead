"""`course quiz` as a real process: in a pseudo-terminal with keystrokes, and fast to start."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect

from tests.quiz.scripted import planned_questions, right_replies

COURSE = Path(sys.executable).with_name("course")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DOWN, ENTER = "\x1b[B", "\r"


def keystrokes(question) -> list[str]:
    """Keys for a right answer, one string per prompt: arrows for choices, typing otherwise."""
    if question.kind == "single":
        return [DOWN * question.choices.index(question.answer) + ENTER]
    if question.kind == "multiple":
        ticks = [" " if choice in question.answers else "" for choice in question.choices]
        return [DOWN.join(ticks) + ENTER]
    if question.kind == "numeric":
        return [repr(question.answer) + ENTER]
    if question.kind == "text":
        return [question.accepted[0] + ENTER]
    return ["my own words" + ENTER, "3"]  # the number key jumps to "good"; Enter follows


def test_a_learner_answers_with_arrow_keys_in_a_real_terminal_and_reads_the_scorecard(tmp_path):
    questions = planned_questions(seed=21, count=4)
    assert "single" in {question.kind for question in questions}
    child = pexpect.spawn(
        str(COURSE), ["quiz", "--seed", "21", "--count", "4", "--history", str(tmp_path / "h.db")],
        env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}, dimensions=(40, 160), encoding="utf-8", timeout=20,
    )  # fmt: skip
    for number, question in enumerate(questions, start=1):
        child.expect(f"Question {number}/4")
        for keys in keystrokes(question):
            child.expect(r"Your (answer|grade)")
            child.send(keys)
        if question.kind == "open":
            child.send(ENTER)
        child.expect(r"Right\.|Graded:")
    child.expect(pexpect.EOF)
    screen = ANSI.sub("", child.before)
    assert "Scorecard" in screen
    total = next(line for line in screen.splitlines() if "total" in line)
    assert re.search(r"total\s+│\s+4\s+│\s+4\s+│\s+100%", total), total
    child.close()
    assert child.exitstatus == 0


def test_the_quiz_never_imports_torch():
    code = (
        "import sys\n"
        "from course.cli.main import app\n"
        "import importlib, pkgutil, course.quiz\n"
        "for module in pkgutil.walk_packages(course.quiz.__path__, 'course.quiz.'):\n"
        "    importlib.import_module(module.name)\n"
        "try:\n    app(['quiz', '--list-topics'])\nexcept SystemExit:\n    pass\n"
        "print('torch' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def top_level_import_times(importtime_log: str) -> dict[str, int]:
    """Cumulative microseconds per top-level import, from `python -X importtime` output."""
    times = {}
    for line in importtime_log.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit() and not name[1:].startswith(" "):
                times[name.strip()] = int(cumulative)
    return times


def test_list_topics_imports_no_torch_and_loads_in_well_under_a_second():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(COURSE), "quiz", "--list-topics", "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 8
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "course.cli.main" in imported
    assert "torch" not in imported and "numpy" not in imported
    assert "questionary" not in imported, "the arrow-key library loads only when it prompts"
    assert sum(top_level_import_times(result.stderr).values()) < 500_000


def test_ctrl_c_in_the_plain_mode_ends_the_session_with_the_scorecard(tmp_path):
    questions = planned_questions(seed=30, count=3)
    child = pexpect.spawn(
        str(COURSE),
        ["quiz", "--plain", "--seed", "30", "--count", "3", "--history", str(tmp_path / "h.db")],
        env={**os.environ, "TERM": "xterm"}, dimensions=(40, 160), encoding="utf-8", timeout=20,
    )  # fmt: skip
    for line in right_replies(questions[0]):
        child.expect(r"Your (answer|grade)[^:]*: ")
        child.sendline(line)
    child.expect("Question 2/3")
    child.expect("Your")
    child.sendintr()
    child.expect(pexpect.EOF)
    screen = ANSI.sub("", child.before)
    assert "Session ended early; the 1 answer given is kept." in screen
    assert re.search(r"total\s+│\s+1\s+│\s+1\s+│\s+100%", screen), screen
    child.close()
    assert child.exitstatus == 0


def test_a_user_error_is_one_line_on_stderr_with_exit_code_2():
    result = subprocess.run(
        [str(COURSE), "quiz", "--topic", "vision"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown topic 'vision'; the topics are: cnn,")
    assert result.stderr.count("\n") == 1
