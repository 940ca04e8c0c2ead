"""How fast `course` answers, as ratios to `python -c "import torch"` measured in the same run.

Importing torch is the floor for any grader that runs torch code, so the targets are ratios
to it: one exercise graded within 2x with its learning checks (issue 19: the grading process
and the learner process import torch at the same time, on two cores), and the commands that
need no torch (`--help`, `list`, `hint`) within 0.5x. Grading uses a fresh workspace holding
the reference solutions, so every check runs to the end. `--baseline-course PATH` also times
another installation's `course grade lstm_cell` (e.g. an older checkout's venv/bin/course),
interleaved with this one's, for a before/after in the same run.

Usage: python bench/grade_speed.py [--repeat 5] [--grade-only] [--baseline-course PATH]
           [--json results.json]
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import solution_path

COURSE = str(Path(sys.executable).with_name("course"))
TARGETS = {"grade lstm_cell": 2.0, "grade --all": None, "--help": 0.5, "list": 0.5, "hint": 0.5}
BASELINE = "baseline: grade lstm_cell"


def wall_seconds(command: list[str], cwd: Path, repeat: int) -> float:
    """Median wall time of `command` over `repeat` runs, after one warm-up run."""
    return interleaved_seconds({"": command}, cwd, repeat)[""]


def interleaved_seconds(commands: dict[str, list[str]], cwd: Path, repeat: int) -> dict:
    """Median wall time of each command over `repeat` rounds that run each once, in turn,
    after one warm-up round (so that a slower moment of the machine costs each the same)."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(repeat + 1):
        for label, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - started)
    return {label: statistics.median(runs[1:]) for label, runs in times.items()}


def solved_workspace(root: Path) -> Path:
    """A workspace whose exercises are the reference solutions."""
    subprocess.run([COURSE, "init", str(root)], check=True, stdout=subprocess.DEVNULL)
    for exercise in load_manifest():
        shutil.copy(solution_path(exercise.name), root / "exercises" / f"{exercise.name}.py")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    parser.add_argument("--baseline-course", help="another installation's `course` to compare")
    parser.add_argument("--grade-only", action="store_true", help="only the floor and one grade")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = solved_workspace(Path(scratch) / "ws")
        one_grade = {
            "floor": [sys.executable, "-c", "import torch"],
            "grade lstm_cell": [COURSE, "grade", "lstm_cell"],
        }
        if args.baseline_course:
            one_grade[BASELINE] = [args.baseline_course, "grade", "lstm_cell"]
        rows = interleaved_seconds(one_grade, workspace, args.repeat)
        floor = rows.pop("floor")
        commands = {
            "grade --all": [COURSE, "grade", "--all"],
            "--help": [COURSE, "--help"],
            "list": [COURSE, "list"],
            "hint": [COURSE, "hint", "lstm_cell"],
        }
        repeats = {"grade --all": max(1, args.repeat // 2)}
        rows |= {
            label: wall_seconds(command, workspace, repeats.get(label, args.repeat))
            for label, command in commands.items()
            if not args.grade_only
        }
    print(f"floor: python -c 'import torch' = {floor:.2f} s (median of {args.repeat})")
    print(f"{'command':<33}{'seconds':>9}{'ratio':>8}{'target':>8}")
    results = {"floor_seconds": floor, "commands": {}}
    for label, seconds in rows.items():
        target = TARGETS.get(label)
        ratio = seconds / floor
        verdict = "" if target is None else ("  ok" if ratio <= target else "  OVER")
        shown = "-" if target is None else f"<={target:g}"
        print(f"course {label:<26}{seconds:>9.2f}{ratio:>8.2f}{shown:>8}{verdict}")
        results["commands"][label] = {"seconds": seconds, "ratio": ratio, "target": target}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
