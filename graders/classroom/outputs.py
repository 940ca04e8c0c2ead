"""What `course grade-class` leaves in --out: the files instructors take elsewhere.

grades.csv        the gradebook LMS gradebooks import: student, one column per exercise
                  (named as in the manifest), total, max
checks.csv        one row per student and check: exercise, check, points, max, passed, message
feedback/<student>.txt   every check's verdict and message, the words `course grade` shows
report.md         score distribution and each check's pass rate (what did the class get
                  wrong?), with score_distribution.png and check_pass_rates.png
"""

import csv
import os
from pathlib import Path

from course.graders.classroom.runner import StudentResult

GRADES_FILE, CHECKS_FILE, REPORT_FILE = "grades.csv", "checks.csv", "report.md"
FEEDBACK_FOLDER = "feedback"
PLOT_FILES = ("score_distribution.png", "check_pass_rates.png")


def write_outputs(results: list[StudentResult], exercise_names: list[str], out: Path) -> None:
    """Every file above, each written atomically."""
    out = Path(out)
    _write_csv(out / GRADES_FILE, _grade_rows(results, exercise_names))
    _write_csv(out / CHECKS_FILE, _check_rows(results))
    (out / FEEDBACK_FOLDER).mkdir(exist_ok=True)
    for result in results:
        _write_text(out / FEEDBACK_FOLDER / f"{result.student}.txt", feedback_text(result))
    rates = check_pass_rates(results)
    _write_text(out / REPORT_FILE, _report_text(results, rates))
    if results:
        _plot(results, rates, out)


def _grade_rows(results: list[StudentResult], exercise_names: list[str]) -> list[list]:
    rows = [["student", *exercise_names, "total", "max"]]
    for result in results:
        earned = {exercise.exercise: exercise.earned for exercise in result.exercises}
        rows.append([result.student, *(earned.get(name, 0) for name in exercise_names),
                     result.earned, result.total])  # fmt: skip
    return rows


def _check_rows(results: list[StudentResult]) -> list[list]:
    rows = [["student", "exercise", "check", "points", "max", "passed", "message"]]
    for result in results:
        for exercise in result.exercises:
            for check in exercise.checks:
                rows.append([result.student, exercise.exercise, check.name, check.earned,
                             check.points, check.passed, check.message])  # fmt: skip
    return rows


def feedback_text(result: StudentResult) -> str:
    """A student's feedback: each exercise's points, then every check with its message."""
    lines = [f"Feedback for {result.student}: {result.earned}/{result.total} points", ""]
    lines += [f"Note: {problem}" for problem in result.problems]
    for exercise in result.exercises:
        lines += ["", f"{exercise.exercise}: {exercise.earned}/{exercise.total} points"]
        for check in exercise.checks:
            mark = "✓" if check.passed else "✗"
            lines.append(f"  {mark} {check.earned}/{check.points}  {check.description}")
            if check.message:
                lines += [f"      {line}" for line in check.message.splitlines()]
        lines.append(f"  (run the same checks yourself: course grade {exercise.exercise})")
    return "\n".join(lines) + "\n"


def check_pass_rates(results: list[StudentResult]) -> list[tuple[str, str, float]]:
    """(exercise, check, share of students who passed it), hardest first."""
    counts: dict[tuple[str, str], list[int]] = {}
    for result in results:
        for exercise in result.exercises:
            for check in exercise.checks:
                passed = counts.setdefault((exercise.exercise, check.name), [0, 0])
                passed[0] += check.passed
                passed[1] += 1
    rates = [(exercise, check, ok / seen) for (exercise, check), (ok, seen) in counts.items()]
    return sorted(rates, key=lambda rate: (rate[2], rate[0], rate[1]))


def _report_text(results: list[StudentResult], rates: list[tuple[str, str, float]]) -> str:
    totals = sorted(result.earned for result in results)
    maximum = max((result.total for result in results), default=0)
    lines = ["# Class report", ""]
    if totals:
        middle = totals[len(totals) // 2]
        lines += [
            f"{len(results)} submissions; scores out of {maximum}: lowest {totals[0]}, "
            f"median {middle}, highest {totals[-1]}; "
            f"{sum(t == maximum for t in totals)} with full marks.",
            "", f"![score distribution]({PLOT_FILES[0]})", "",
        ]  # fmt: skip
    lines += ["## Pass rate of every check, hardest first", "",
              "| exercise | check | passed |", "|---|---|---|"]  # fmt: skip
    lines += [f"| {exercise} | {check} | {rate:.0%} |" for exercise, check, rate in rates]
    lines += ["", f"![check pass rates]({PLOT_FILES[1]})", ""]
    problems = [(r.student, p) for r in results for p in r.problems]
    if problems:
        lines += ["## Submissions with problems", ""]
        lines += [f"- {student}: {problem}" for student, problem in problems]
    return "\n".join(lines) + "\n"


def _plot(results: list[StudentResult], rates: list, out: Path) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.5), layout="constrained")
    axes = figure.subplots()
    maximum = max(result.total for result in results)
    axes.hist([result.earned for result in results], bins=min(20, max(maximum, 1)),
              range=(0, maximum), color="tab:blue")  # fmt: skip
    axes.set(title="score distribution", xlabel=f"points (out of {maximum})", ylabel="students")
    figure.savefig(out / PLOT_FILES[0], dpi=110)

    figure = Figure(figsize=(8, 0.22 * len(rates) + 1.2), layout="constrained")
    axes = figure.subplots()
    labels = [f"{exercise}: {check.removeprefix('test_')}" for exercise, check, _ in rates]
    axes.barh(range(len(rates)), [100 * rate for *_, rate in rates], color="tab:orange")
    axes.set_yticks(range(len(rates)), labels, fontsize=6)
    axes.invert_yaxis()
    axes.set(
        title="share of students passing each check (hardest first)", xlabel="%", xlim=(0, 100)
    )
    figure.savefig(out / PLOT_FILES[1], dpi=110)


def _write_csv(path: Path, rows: list[list]) -> None:
    partial = path.with_name(f".{path.name}.part")
    with open(partial, "w", newline="", encoding="utf-8", errors="replace") as file:
        csv.writer(file).writerows(rows)
    os.replace(partial, path)


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(text, encoding="utf-8", errors="replace")  # learner text may be odd
    os.replace(partial, path)
