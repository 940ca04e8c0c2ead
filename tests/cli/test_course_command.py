"""The `course` command as learners use it: through typer's runner and as a real process."""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from course.cli.grading import print_result, print_summary
from course.cli.main import app
from course.graders.engine.declared import declared_checks
from course.graders.engine.grade import CheckResult, ExerciseResult
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path, solution_path
from course.graders.kit.training import DATA_KEY, RUN_SUMMARY_FILE
from course.graders.kit.workspace import WorkspaceRecord, run_folder

COURSE = Path(sys.executable).with_name("course")
runner = CliRunner()
LSTM_POINTS = sum(check.points for check in declared_checks(grader_path("lstm_cell")))


def course(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `course` console script as a learner would."""
    return subprocess.run(
        [str(COURSE), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A fresh workspace made by `course init`."""
    result = runner.invoke(app, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


# -- init, list, hint --------------------------------------------------------------------
def test_init_writes_every_stub_and_never_overwrites_work(workspace):
    names = [exercise.name for exercise in load_manifest()]
    assert sorted(p.stem for p in (workspace / "exercises").glob("*.py")) == sorted(names)
    mine = workspace / "exercises" / "lstm_cell.py"
    mine.write_text("# my work\n")
    result = runner.invoke(app, ["init", str(workspace)])
    assert result.exit_code == 0
    assert mine.read_text() == "# my work\n"
    assert "kept your" in result.output


def test_list_shows_every_exercise_with_points_and_not_started(workspace):
    result = runner.invoke(app, ["list", "--workspace", str(workspace)])
    assert result.exit_code == 0
    for exercise in load_manifest():
        assert exercise.name in result.output
    assert "not started" in result.output
    assert "?" not in result.output.split("status")[1], "an exercise has no grader"


def test_list_outside_any_workspace_says_where_it_looked_and_shows_no_results(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert f"no course workspace in {tmp_path.resolve()} or above it" in result.stderr
    assert "course init DIR" in result.stderr
    assert "not started" not in result.stdout, "no workspace: nothing is known to be started"
    assert all(exercise.name in result.stdout for exercise in load_manifest())


def test_failing_means_points_in_list_and_in_grade_all_alike(workspace):
    WorkspaceRecord(workspace).record_result("lstm_cell", 12, LSTM_POINTS, False)
    listed = runner.invoke(app, ["list", "--workspace", str(workspace)], env={"COLUMNS": "200"})
    assert f"failing 12/{LSTM_POINTS} points" in listed.output
    console = Console(record=True, width=200)
    checks = [
        CheckResult("a", "A.", 12, True, "", 0.1),
        CheckResult("b", "B.", LSTM_POINTS - 13, False, "no", 0.1),
        CheckResult("c", "C.", 1, False, "no", 0.1),
    ]  # two failing checks of three: the status says points, never "2/3"
    print_summary(console, [find_exercise("lstm_cell")], [ExerciseResult("lstm_cell", checks)])
    assert f"failing 12/{LSTM_POINTS} points" in console.export_text()
    assert "2/3" not in console.export_text()


def test_hints_are_revealed_one_at_a_time_and_remembered(workspace):
    exercise = next(e for e in load_manifest() if e.name == "lstm_cell")
    first = runner.invoke(app, ["hint", "lstm_cell", "--workspace", str(workspace)])
    assert f"Hint 1/{len(exercise.hints)}" in first.output
    assert "Hint 2/" not in first.output
    second = runner.invoke(app, ["hint", "lstm_cell", "--workspace", str(workspace)])
    assert f"Hint 2/{len(exercise.hints)}" in second.output
    for _ in exercise.hints:
        last = runner.invoke(app, ["hint", "lstm_cell", "--workspace", str(workspace)])
    assert "That was the last hint." in last.output


def test_every_hint_is_written(workspace):
    for exercise in load_manifest():
        assert len(exercise.hints) >= 3, exercise.name
        assert not any("to be written" in hint for hint in exercise.hints), exercise.name


# -- bad input: one line on stderr, non-zero exit, no traceback --------------------------
@pytest.mark.parametrize(
    "args, says",
    [
        (["grade", "lstm_cel"], "Did you mean 'lstm_cell'?"),
        (["grade"], "name one exercise"),
        (["grade", "lstm_cell", "--all"], "name one exercise"),
        (["hint", "nope"], "Valid names:"),
        (["grade", "lstm_cell", "--workspace", "/nonexistent"], "/nonexistent does not exist"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_code_2(tmp_path, args, says):
    result = course(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_outside_any_workspace_grading_says_how_to_make_one(tmp_path):
    result = course("grade", "lstm_cell", cwd=tmp_path)
    assert result.returncode == 2
    assert "course init" in result.stderr


def test_a_deleted_exercise_file_is_reported_not_crashed_on(workspace):
    (workspace / "exercises" / "lstm_cell.py").unlink()
    result = course("grade", "lstm_cell", cwd=workspace)
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "course init" in result.stderr


def test_grading_a_run_whose_data_folder_is_gone_says_the_command_to_run(workspace):
    exercise = next(exercise for exercise in load_manifest() if exercise.dataset)
    summary = run_folder(workspace, exercise.name) / RUN_SUMMARY_FILE
    summary.parent.mkdir(parents=True)
    summary.write_text(json.dumps({DATA_KEY: str(workspace / "moved-away")}))
    result = course("grade", exercise.name, cwd=workspace)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"--data {workspace / 'moved-away'}, which no longer exists" in result.stderr
    assert f"`course grade {exercise.name} --data DIR`" in result.stderr


def test_help_lists_every_command_with_its_summary(tmp_path):
    result = course("--help", cwd=tmp_path)
    assert result.returncode == 0
    commands = app.registered_commands
    assert len(commands) >= 8
    for command in commands:
        summary = command.callback.__doc__.split(".")[0][:30]
        assert command.name in result.stdout and summary in result.stdout, command.name


# -- grading through the real command ----------------------------------------------------
@pytest.mark.slow
def test_grading_the_untouched_stub_gives_zero_and_exit_code_1(workspace):
    result = course("grade", "lstm_cell", "--json", cwd=workspace / "exercises")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["earned"] == 0 and report["total"] == LSTM_POINTS
    assert all("Not implemented yet" in check["message"] for check in report["checks"])


@pytest.mark.slow
def test_grading_a_finished_exercise_gives_full_marks_exit_0_and_updates_the_list(workspace):
    shutil.copy(solution_path("lstm_cell"), workspace / "exercises" / "lstm_cell.py")
    result = course("grade", "lstm_cell", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"lstm_cell: {LSTM_POINTS}/{LSTM_POINTS} points" in result.stdout
    assert "passed" in course("list", cwd=workspace).stdout


def test_the_table_shows_a_failed_checks_message_and_what_a_passed_check_measured():
    exercise = find_exercise("cifar_challenge")
    result = ExerciseResult(
        exercise.name,
        [
            CheckResult("a", "Reaches 80%.", 6, True, "81.72% of the 10000 test images.", 1.0),
            CheckResult("b", "At most 30 epochs.", 2, False, "The saved run has 31 epochs.", 0.1),
            CheckResult("c", "Shapes are right.", 2, True, "", 0.1),
        ],
    )
    console = Console(record=True, width=200)
    print_result(console, exercise, result)
    text = console.export_text()
    assert "81.72% of the 10000 test images." in text
    assert "The saved run has 31 epochs." in text
    assert "cifar_challenge: 8/10 points" in text


def test_a_file_that_does_not_import_is_shown_once_above_the_checks_marked_not_run():
    exercise = find_exercise("attention")
    declared = declared_checks(grader_path("attention"))
    syntax_error = (
        "Importing your file failed. Your code raised SyntaxError: invalid syntax "
        "(attention.py, line 62)\n  attention.py, line 62, in <module>\n    def oops(:"
    )
    result = ExerciseResult(
        exercise.name,
        [CheckResult(c.name, c.description, c.points, False, syntax_error, 0.1) for c in declared],
    )
    console = Console(record=True, width=200)
    print_result(console, exercise, result)
    text = console.export_text()
    assert text.count("SyntaxError: invalid syntax") == 1
    assert text.index("SyntaxError") < text.index(declared[0].description[:40])
    assert text.count("not run (see above)") == len(declared) > 1
    assert f"attention: 0/{result.total} points" in text


@pytest.mark.slow
def test_watch_regrades_when_the_file_is_saved_and_stops_calmly_on_ctrl_c(workspace):
    target = workspace / "exercises" / "lstm_cell.py"
    watcher = subprocess.Popen(
        [str(COURSE), "watch", "lstm_cell"], cwd=workspace, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True
    ).start()
    full_marks = f"lstm_cell: {LSTM_POINTS}/{LSTM_POINTS} points"
    try:
        seen = read_until(lines, f"lstm_cell: 0/{LSTM_POINTS} points")
        deadline = time.monotonic() + 90
        while full_marks not in seen:  # saved again until the watcher notices
            assert time.monotonic() < deadline, f"never re-graded:\n{seen}"
            shutil.copy(solution_path("lstm_cell"), target)
            seen += read_until(lines, full_marks, seconds=5, required=False)
        assert "lstm_cell.py changed" in seen
        after_regrade = read_until(lines, "Ctrl-C to stop", seconds=10)
        assert f"Watching {target}" in after_regrade, "after a re-grade it says what it watches"
        watcher.send_signal(signal.SIGINT)
        assert watcher.wait(timeout=30) == 0
        time.sleep(0.5)
        stopping = "".join(iter_queue(lines))  # a save the watcher saw late may come first
        assert stopping.strip().splitlines()[-1] == "Stopped watching lstm_cell.py.", stopping
        assert "KeyboardInterrupt" not in stopping and "Traceback" not in stopping
    finally:
        watcher.kill()
        watcher.wait(timeout=10)


def iter_queue(lines: queue.Queue):
    while not lines.empty():
        yield lines.get()


def read_until(lines: queue.Queue, text: str, seconds: float = 90, required: bool = True) -> str:
    """What the process printed until `text` appeared (or `seconds` passed)."""
    deadline, seen = time.monotonic() + seconds, ""
    while text not in seen and time.monotonic() < deadline:
        try:
            seen += lines.get(timeout=0.2)
        except queue.Empty:
            continue
    assert text in seen or not required, f"never printed {text!r}:\n{seen}"
    return seen
