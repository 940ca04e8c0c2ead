"""README.md stays true: its two set-up commands and its exercise table."""

import re
from pathlib import Path

from course.graders.engine.declared import declared_checks
from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import grader_path

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_commands_install_and_test():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1).strip().splitlines()
    assert len(first_block) == 2
    install, tests = first_block
    assert "pip install" in install and "course grade" in install
    assert "pytest" in tests
    assert README.index("```bash") < README.index("\n## "), "the commands come first"


def test_ci_runs_the_readmes_test_command():
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "sed -n 2p" in ci and 'bash -c "$test_command"' in ci


def test_the_exercise_table_matches_the_manifest_and_the_graders():
    for exercise in load_manifest():
        checks = declared_checks(grader_path(exercise.name))
        row = f"| `{exercise.name}` | {exercise.title} | {len(checks)} | {sum(c.points for c in checks)} |"
        assert row in README, f"README's exercise table is stale for {exercise.name}: {row}"
