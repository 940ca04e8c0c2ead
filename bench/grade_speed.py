"""How fast `course` answers, as ratios to `python -c "import torch"` measured in the same run.

Importing torch is the floor for any grader that runs torch code, so the targets are ratios
to it: one exercise graded within 3x (aim 2x) with its learning checks, and the commands
that need no torch (`--help`, `list`, `hint`) within 0.5x. Grading uses a fresh workspace
holding the reference solutions, so every check runs to the end.

Usage: python bench/grade_speed.py [--repeat 5] [--json results.json]
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
TARGETS = {"grade lstm_cell": 3.0, "grade --all": None, "--help": 0.5, "list": 0.5, "hint": 0.5}


def wall_seconds(command: list[str], cwd: Path, repeat: int) -> float:
    """Median wall time of `command` over `repeat` runs, after one warm-up run."""
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def solved_workspace(root: Path) -> Path:
    """A workspace whose exercises are the reference solutions."""
    subprocess.run([COURSE, "init", str(root)], check=True, stdout=subprocess.DEVNULL)
    for exercise in load_manifest():
        shutil.copy(solution_path(exercise.name), root / "exercises" / f"{exercise.name}.py")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = solved_workspace(Path(scratch) / "ws")
        floor = wall_seconds([sys.executable, "-c", "import torch"], workspace, args.repeat)
        commands = {
            "grade lstm_cell": [COURSE, "grade", "lstm_cell"],
            "grade --all": [COURSE, "grade", "--all"],
            "--help": [COURSE, "--help"],
            "list": [COURSE, "list"],
            "hint": [COURSE, "hint", "lstm_cell"],
        }
        repeats = {"grade --all": max(1, args.repeat // 2)}
        rows = {
            label: wall_seconds(command, workspace, repeats.get(label, args.repeat))
            for label, command in commands.items()
        }
    print(f"floor: python -c 'import torch' = {floor:.2f} s (median of {args.repeat})")
    print(f"{'command':<18}{'seconds':>9}{'ratio':>8}{'target':>8}")
    results = {"floor_seconds": floor, "commands": {}}
    for label, seconds in rows.items():
        target = TARGETS[label]
        ratio = seconds / floor
        verdict = "" if target is None else ("  ok" if ratio <= target else "  OVER")
        shown = "-" if target is None else f"<={target:g}"
        print(f"course {label:<11}{seconds:>9.2f}{ratio:>8.2f}{shown:>8}{verdict}")
        results["commands"][label] = {"seconds": seconds, "ratio": ratio, "target": target}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
