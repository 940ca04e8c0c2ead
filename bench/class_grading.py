"""Class grading throughput, as ratios to `python -c "import torch"` measured in the same run.

A class of N lstm_cell submissions (a third references, a third mutants from tests/mutants,
a third untouched stubs) graded by `course grade-class` with --jobs 1 and --jobs 2, each
from scratch (--force). Targets (issue: class grading): with --jobs 2 the whole class in at
most N x 1.0 x the import time (aim 0.6), and --jobs 2 at least 1.7x faster than --jobs 1.

Usage: python bench/class_grading.py [--students 60] [--json results.json]
Run it from a checkout (it reads tests/mutants); needs bubblewrap for the sandbox.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course.graders.kit.paths import EXERCISES_DIR, solution_path  # noqa: E402
from tests.kit import mutant_files, write_mutant  # noqa: E402

COURSE = str(Path(sys.executable).with_name("course"))


def import_torch_seconds(repeat: int = 5) -> float:
    """Median wall time of a fresh `python -c "import torch"`, after a warm-up."""
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def make_class(folder: Path, students: int) -> None:
    """folder/<student>/lstm_cell.py: references, mutants and stubs in turn."""
    mutants = mutant_files("lstm_cell")
    for number in range(students):
        student = folder / f"student{number:03d}"
        student.mkdir(parents=True)
        kind = number % 3
        if kind == 0:
            (student / "lstm_cell.py").write_text(solution_path("lstm_cell").read_text())
        elif kind == 1:
            write_mutant("lstm_cell", mutants[number % len(mutants)], student)
        else:
            (student / "lstm_cell.py").write_text((EXERCISES_DIR / "lstm_cell.py").read_text())


def grade_class_seconds(folder: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [COURSE, "grade-class", str(folder), "--exercises", "lstm_cell", "--jobs", str(jobs),
         "--out", str(out), "--force"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="course-bench-class-") as scratch:
        folder = Path(scratch) / "class"
        make_class(folder, args.students)
        floor = import_torch_seconds()
        one = grade_class_seconds(folder, Path(scratch) / "out1", jobs=1)
        two = grade_class_seconds(folder, Path(scratch) / "out2", jobs=2)
    budget = args.students * floor
    results = {
        "students": args.students, "import_torch_s": round(floor, 3),
        "jobs1_s": round(one, 1), "jobs2_s": round(two, 1),
        "jobs2_per_minute": round(60 * args.students / two, 1),
        "jobs2_ratio_to_students_x_import": round(two / budget, 3),
        "speedup_jobs2_over_jobs1": round(one / two, 2),
    }  # fmt: skip
    print(f"python -c 'import torch': {floor:.2f} s (the floor)")
    print(
        f"--jobs 1: {one:.1f} s   --jobs 2: {two:.1f} s ({results['jobs2_per_minute']} per minute)"
    )
    print(f"--jobs 2 / ({args.students} x import torch): {results['jobs2_ratio_to_students_x_import']:.2f}"
          "  (target <= 1.0, aim 0.6)")  # fmt: skip
    print(f"--jobs 1 / --jobs 2: {results['speedup_jobs2_over_jobs1']:.2f}x  (target >= 1.7)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
