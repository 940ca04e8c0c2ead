"""The grading process: the learner processes first, then pytest on the grader files.

grade.py starts it as `python -m course.graders.engine.grading_process GRADER_FILES... OPTIONS`
through source_only_import.py (the kit compiled from its source), or a warm grader runs `run`
in a fork of itself, with the kit's options of GRADING_OPTIONS.
Before it imports pytest, it makes itself the subreaper of what it starts, keeps its memory
private and starts the learner process of each grader file, so that the learner's `import
torch` runs on one core while this process imports pytest, the grader files and torch on
another: one grade pays torch's import about once in wall time. Learner code itself runs
only when a check first asks for it (learner/process.py), after this process's own modules
are loaded. pytest then runs without its plugins' auto-loading: grading needs none of them.
"""

import argparse
import sys
from pathlib import Path

from course.graders.engine.learner.limits import become_subreaper, keep_memory_private
from course.graders.engine.learner.process import LearnerProcess
from course.graders.engine.learner.sandbox import Sandbox
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import GRADER_PREFIX, exercise_of_grader, is_grader_file
from course.graders.kit.workspace import exercise_file

GRADING_OPTIONS: dict[str, dict] = {
    "--impl": {"help": "implementation file to grade with the given grader files"},
    "--workspace": {"help": "grade WORKSPACE/exercises/<name>.py for each grader"},
    "--report-fd": {"type": int, "help": "pipe to write the signed results to"},
    "--key-fd": {"type": int, "help": "pipe carrying the key that signs the results"},
    "--data": {"help": "dataset folder for checks that grade a trained model"},
    "--sandbox": {"action": "store_true", "help": "run learner code in a sandbox"},
    "--sandbox-slot": {"type": int, "help": "with --sandbox: as this slot's own user"},
}
"""The kit's own command-line options, for pytest (plugin.py) and for this process alike."""
PYTEST_FLAGS = ["-q", "--no-header", "--disable-plugin-autoload"]


def run(argv: list[str]) -> int:
    """Grade: start the learners of `argv`'s grader files, then run pytest; its exit code."""
    keep_memory_private()  # the key that signs the results comes into this process
    become_subreaper()  # before any learner process exists
    options = _parser().parse_args(argv)
    learners = {}
    if options.impl is not None or options.workspace is not None:
        for grader_file in grader_files(options.files):
            name = exercise_of_grader(grader_file)
            learners[name] = start_learner(name, options)
    import pytest

    from course.graders.engine.plugin import LearnersStartedEarly

    return int(pytest.main([*PYTEST_FLAGS, *argv], plugins=[LearnersStartedEarly(learners)]))


def start_learner(exercise_name: str, options: argparse.Namespace) -> LearnerProcess:
    """The learner process of `exercise_name` for the options of GRADING_OPTIONS (parsed
    here, or by pytest: its `config.option`)."""
    if options.impl:
        impl_path = Path(options.impl)
    else:
        impl_path = exercise_file(Path(options.workspace), exercise_name)
    sandbox = Sandbox(slot=options.sandbox_slot) if options.sandbox else None
    return LearnerProcess(impl_path, find_exercise(exercise_name), sandbox)


def grader_files(args: list[str]) -> list[Path]:
    """The grader files that pytest arguments name (files, folders, `file::test` ids)."""
    files = []
    for arg in args:
        path = Path(arg.split("::")[0])
        if path.is_dir():
            files.extend(sorted(path.glob(f"{GRADER_PREFIX}*.py")))
        elif is_grader_file(path):
            files.append(path)
    return files


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grading_process")
    parser.add_argument("files", nargs="+", help="grader files")
    for name, settings in GRADING_OPTIONS.items():
        parser.add_argument(name, **settings)
    return parser


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
