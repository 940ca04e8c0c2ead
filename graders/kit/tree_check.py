"""The manifest and the repository's tree agree, both ways (like rustlings' `dev check`).

Every exercise in the manifest has its stub, its solution, its grader, at least four mutants
and one correct variant (and, if it trains, the small reference run its tests use); and no
file or folder exists for an exercise the manifest does not list, so nothing is silently
left out of the tests, which are all generated from the manifest.

Run in a checkout: `python -m course.graders.kit.tree_check [REPO]` (default: this checkout)
prints each disagreement and exits 1 if there is any. The kit's tests run it.
"""

import sys
from pathlib import Path

from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import GRADER_PREFIX, exercise_of_grader

MIN_MUTANTS, MIN_VARIANTS = 4, 1
NOT_EXERCISES = {"__init__", "conftest"}


def disagreements(repo: Path) -> list[str]:
    """What in `repo` disagrees with its exercises/manifest.toml, one line each."""
    repo = Path(repo)
    exercises = load_manifest(repo / "exercises" / "manifest.toml")
    listed = {exercise.name for exercise in exercises}
    problems = []
    for exercise in exercises:
        name = exercise.name
        needed = [
            f"exercises/{name}.py",
            f"solutions/{name}.py",
            f"graders/{GRADER_PREFIX}{name}.py",
        ]
        if exercise.trainer:
            needed.append(f"tests/trained_runs/{name}.py")
        problems += [f"{name}: {path} is missing" for path in needed if not (repo / path).is_file()]
        for kind, least in (("mutants", MIN_MUTANTS), ("variants", MIN_VARIANTS)):
            count = len(list((repo / "tests" / kind / name).glob("*.py")))
            if count < least:
                problems.append(
                    f"{name}: tests/{kind}/{name}/ has {count} files, at least {least} needed"
                )
    for path, name in _exercise_files(repo):
        if name not in listed:
            problems.append(
                f"{path.relative_to(repo)} belongs to no exercise of the manifest ({name})"
            )
    return problems


def _exercise_files(repo: Path) -> list[tuple[Path, str]]:
    """Every file or folder named for an exercise, with the exercise it names."""
    found = []
    for folder in ("exercises", "solutions", "tests/trained_runs"):
        found += [(path, path.stem) for path in sorted((repo / folder).glob("*.py"))]
    for folder in ("graders", "tests/exercises"):
        found += [
            (path, exercise_of_grader(path))
            for path in sorted((repo / folder).glob(f"{GRADER_PREFIX}*.py"))
        ]
    for kind in ("mutants", "variants"):
        found += [
            (path, path.name) for path in sorted((repo / "tests" / kind).iterdir()) if path.is_dir()
        ]
    return [
        (path, name)
        for path, name in found
        if name not in NOT_EXERCISES and not name.startswith("_")
    ]


def main(argv: list[str]) -> int:
    repo = Path(argv[0]) if argv else Path(__file__).resolve().parents[2]
    problems = disagreements(repo)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} disagreements between the manifest and {repo}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
