"""The command line's manners, for every command at once: bad paths and usage errors are one
line on stderr with exit code 2, help reads conventionally, --workspace goes before or after."""

import os
import re
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from course.cli.main import app, run
from course.graders.kit.manifest import load_manifest
from course.graders.kit.workspace import create_workspace

runner = CliRunner()
GROUP = get_command(app)
COMMANDS = GROUP.commands

# How to reach each path option with a bad path ("{path}"); the walk below proves the table
# names every path option of every command, so a new one cannot be left out.
PATH_OPTIONS = {
    ("", "workspace"): ["--workspace", "{path}", "list"],
    ("grade", "workspace"): ["grade", "lstm_cell", "--workspace", "{path}"],
    ("grade", "data"): ["grade", "cifar_challenge", "--data", "{path}"],
    ("watch", "workspace"): ["watch", "lstm_cell", "--workspace", "{path}"],
    ("list", "workspace"): ["list", "--workspace", "{path}"],
    ("hint", "workspace"): ["hint", "lstm_cell", "--workspace", "{path}"],
    ("init", "folder"): ["init", "{path}"],
    ("quiz", "answers"): ["quiz", "--answers", "{path}"],
    ("quiz", "history"): ["quiz", "--stats", "--history", "{path}"],
    ("quiz", "export"): ["quiz", "--export", "anki", "{path}"],
    ("release", "out"): ["release", "--out", "{path}"],
    ("release", "data"): ["release", "--data", "{path}"],
    ("train", "data"): ["train", "cifar_challenge", "--data", "{path}"],
    ("train", "workspace"): ["train", "cifar_challenge", "--workspace", "{path}"],
    ("grade-class", "submissions"): ["grade-class", "{path}"],
    ("grade-class", "out"): ["grade-class", ".", "--out", "{path}"],
    ("grade-class", "data"): ["grade-class", ".", "--data", "{path}"],
}
CREATES_MISSING_PARENTS = {
    ("init", "folder"),
    ("release", "out"),
    ("quiz", "history"),
    ("grade-class", "out"),
}
"""Options documented as "created if needed": a missing parent is made, not refused."""
WARNS_AND_GOES_ON = {("quiz", "history")}
"""The quiz runs without saving when its history cannot be used (README, Quiz), warning so."""


def takes_a_path(param) -> bool:
    annotation = param.type_descriptor.annotation
    return annotation is Path or Path in getattr(annotation, "__args__", ())


def walked_path_options() -> set[tuple[str, str]]:
    found = {("", param.name) for param in GROUP.params if takes_a_path(param)}
    for name, command in COMMANDS.items():
        found |= {(name, param.name) for param in command.params if takes_a_path(param)}
    return found


def course(*args: str, monkeypatch, capsys) -> tuple[int, str, str]:
    """`course ARGS` through the console script's entry point: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["course", *args])
    with open(os.devnull) as nothing, pytest.raises(SystemExit) as exited:
        monkeypatch.setattr(sys, "stdin", nothing)
        run()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


@pytest.fixture
def in_a_workspace(tmp_path, monkeypatch) -> Path:
    create_workspace(tmp_path / "ws", load_manifest())
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def test_the_table_of_path_options_names_every_path_option_of_every_command():
    assert walked_path_options() == set(PATH_OPTIONS)


@pytest.mark.parametrize("option", sorted(PATH_OPTIONS), ids="-".join)
def test_a_path_under_a_file_is_one_line_on_stderr_and_exit_2(
    option, in_a_workspace, tmp_path, monkeypatch, capsys
):
    (tmp_path / "a-file").write_text("not a folder")
    bad = str(tmp_path / "a-file" / "below")
    args = [bad if arg == "{path}" else arg for arg in PATH_OPTIONS[option]]
    code, out, err = course(*args, monkeypatch=monkeypatch, capsys=capsys)
    assert "Traceback" not in out + err and "unexpectedly" not in err
    if option in WARNS_AND_GOES_ON:
        assert code == 0 and bad in out + err
        return
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert "a-file" in err, err


@pytest.mark.parametrize("option", sorted(PATH_OPTIONS), ids="-".join)
def test_a_path_with_a_missing_parent_is_made_or_refused_in_one_line(
    option, in_a_workspace, tmp_path, monkeypatch, capsys
):
    missing = tmp_path / "missing" / "below"
    args = [str(missing) if arg == "{path}" else arg for arg in PATH_OPTIONS[option]]
    code, out, err = course(*args, monkeypatch=monkeypatch, capsys=capsys)
    assert "Traceback" not in out + err and "unexpectedly" not in err
    if option in CREATES_MISSING_PARENTS:
        assert code == 0 and missing.exists(), out + err
        return
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert str(missing) in err, err


USAGE_ERRORS = [
    (["grade", "--no-such-option"], "`course grade` has no option --no-such-option"),
    (["grade", "--jsn"], "did you mean --json?"),
    (["grade", "lstm_cell", "attention"], "unexpected extra argument"),
    (["list", "lstm_cell"], "unexpected extra argument"),
    (["hint"], "`course hint` needs NAME"),
    (["watch"], "`course watch` needs NAME"),
    (["init"], "`course init` needs DIR"),
    (["train"], "`course train` needs NAME"),
    (["quiz", "--count", "0"], "--count must be at least 1"),
    (["quiz", "--count", "abc"], "--count must be a whole number"),
    (["quiz", "--export", "anki"], "--export"),
    (["train", "cifar_challenge", "--epochs", "0"], "--epochs must be at least 1"),
    (["train", "cifar_challenge", "--batch-size", "0"], "--batch-size must be at least 1"),
    (["train", "cifar_challenge", "--batch-size", "-64"], "--batch-size must be at least 1"),
    (["release", "--force=yes"], "--force"),
    (["no-such-command"], "no such command"),
]


@pytest.mark.parametrize("args, says", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_a_usage_error_is_one_line_on_stderr_with_the_fix_and_exit_2(
    args, says, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    code, out, err = course(*args, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert says in err
    assert "--help`" in err, "the line says where to read more"
    assert out == "" and "╭" not in err


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_every_command_still_has_help_with_exit_0(name, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = course(
        *([name] if name else []), "--help", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0 and "Usage: course" in out and err == ""


def test_course_alone_prints_the_help_on_stdout_and_exits_2_as_before(monkeypatch, capsys):
    code, out, err = course(monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "Usage: course [OPTIONS] COMMAND" in out and err == ""


PYTHON_LOOKING_METAVARS = re.compile(r"<(bool|int|float|str|path|list\[|tuple)|\{\w+\}|x>=|x<=")


SUBCOMMANDS = [
    f"{name} {sub}" for name, group in COMMANDS.items() for sub in getattr(group, "commands", {})
]


@pytest.mark.parametrize("name", ["", *COMMANDS, *SUBCOMMANDS])
def test_help_shows_conventional_metavars_and_none_on_flags(name):
    result = runner.invoke(app, [*name.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert not PYTHON_LOOKING_METAVARS.findall(result.output), result.output
    help_line = next(line for line in result.output.splitlines() if "--help" in line)
    assert re.search(r"--help\s+Show this message", help_line), help_line


def test_options_read_n_dir_and_topic_and_arguments_read_in_capitals():
    def help_of(*args: str) -> str:
        return runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"}).output

    assert re.search(r"--count\s+N\b", help_of("quiz"))
    assert re.search(r"--topic\s+TOPIC\b", help_of("quiz"))
    assert re.search(r"--workspace\s+-w\s+DIR\b", help_of("grade"))
    assert re.search(r"--batch-size\s+N\s+\[at least 1\]", help_of("train"))
    assert "Usage: course init [OPTIONS] DIR" in help_of("init")
    assert "Usage: course grade [OPTIONS] [NAME]" in help_of("grade")


def test_workspace_is_accepted_before_the_command_as_after_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    create_workspace(tmp_path / "ws", load_manifest())
    for args in (["--workspace", "ws", "hint", "lstm_cell"], ["hint", "lstm_cell", "-w", "ws"]):
        code, out, err = course(*args, monkeypatch=monkeypatch, capsys=capsys)
        assert code == 0, err
        assert "Hint" in out
    record = (tmp_path / "ws" / ".course" / "progress.json").read_text()
    assert '"lstm_cell": 2' in record, "both calls found the same workspace"


def test_a_workspace_that_does_not_exist_is_said_to_not_exist(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = course(
        "grade", "lstm_cell", "--workspace", "nowhere", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 2
    assert "nowhere does not exist" in err and "course init nowhere" in err
    assert "exercises/ folder" not in err
