"""The exported zip, run as Gradescope runs it: setup.sh once in a fresh autograder root, then
run_autograder on one submission after another, each graded as `course grade` grades it.

The root is a temporary folder (AUTOGRADER_ROOT). setup.sh makes a fresh virtualenv there and
installs the kit from the wheel in the zip; the kit's dependencies (torch...) come from this
test environment's site-packages (COURSE_KIT_DEPENDENCIES), since CI has no network. The
CIFAR-10 test set setup.sh would download is a synthetic look-alike put in its place first.
"""

import json
import os
import shutil
import subprocess
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

from course.graders.engine.declared import declared_checks
from course.graders.gradescope.autograder_zip import (
    DEPENDENCIES_VARIABLE,
    VENV_FOLDER,
    autograder_scripts,
)
from course.graders.gradescope.container import DATA_FOLDER
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import grader_path, solution_path
from course.graders.kit.stubs import pristine_stub
from course.graders.notebooks.release import release_course
from tests.gradescope.gradescope_format import expect_gradescope_results
from tests.kit import mutant_declaration, mutant_files, write_mutant
from tests.trained_runs import cifar_challenge as cifar_runs

pytestmark = pytest.mark.slow

CHECKS = {
    name: declared_checks(grader_path(name)) for name in ("early_stopping", "cifar_challenge")
}
TOTAL = {name: sum(check.points for check in checks) for name, checks in CHECKS.items()}


@pytest.fixture(scope="module")
def root(autograder_zip, tmp_path_factory) -> Path:
    """An autograder root after Gradescope's image build: the zip in source/, setup.sh run."""
    root = tmp_path_factory.mktemp("autograder")
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)  # as Gradescope installs it
    cifar_runs.write_pickles(root / DATA_FOLDER)
    setup = subprocess.run(
        ["bash", "setup.sh"],
        cwd=root / "source",
        env={
            **os.environ,
            "AUTOGRADER_ROOT": str(root),
            DEPENDENCIES_VARIABLE: sysconfig.get_path("purelib"),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    return root


def run_autograder(
    root: Path, files: dict[str, bytes | str | Path], script: str = "run_autograder", env=None
) -> dict:
    """Upload `files` (relative path: content, or a file to copy) and grade them with ROOT/script
    (`env`: what to add to the environment)."""
    completed = upload_and_run(root, files, script, env)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    payload = json.loads((root / "results" / "results.json").read_text())
    expect_gradescope_results(payload)
    return payload


def upload_and_run(
    root: Path, files: dict[str, bytes | str | Path], script: str = "run_autograder", env=None
) -> subprocess.CompletedProcess:
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    for relative, content in files.items():
        target = root / "submission" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return subprocess.run(
        [str(root / script)],
        cwd=root,
        env={**os.environ, "AUTOGRADER_ROOT": str(root), **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture
def without_namespaces(tmp_path) -> dict[str, str]:
    """An environment where bubblewrap cannot create namespaces (as in many containers): a
    `bwrap` that says so comes first on PATH."""
    refusing = tmp_path / "bin" / "bwrap"
    refusing.parent.mkdir()
    refusing.write_text("#!/bin/sh\necho 'No permissions to create new namespace' >&2\nexit 1\n")
    refusing.chmod(0o755)
    return {"PATH": f"{refusing.parent}{os.pathsep}{os.environ['PATH']}"}


def results_by_check(payload: dict, exercise: str) -> dict[str, dict]:
    """{check name: its test in results.json} of one exercise."""
    by_description = {test["name"]: test for test in payload["tests"] if test["tags"] == [exercise]}
    return {check.name: by_description[check.description] for check in CHECKS[exercise]}


def test_setup_installs_the_kit_from_the_wheel_in_the_zip(root):
    python = root / VENV_FOLDER / "bin" / "python"
    where = subprocess.run(
        [str(python), "-I", "-c", "import course.graders; print(course.graders.__file__)"],
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(root / VENV_FOLDER)), where.stdout + where.stderr
    data = root / DATA_FOLDER / "cifar-10-batches-py"
    assert (data / "test_batch").is_file(), "setup.sh removed the test set it found in place"


def test_the_reference_earns_full_marks_and_an_exercise_not_uploaded_zero(root):
    payload = run_autograder(root, {"early_stopping.py": solution_path("early_stopping")})
    assert payload["score"] == TOTAL["early_stopping"]
    assert all(
        test["status"] == "passed" for test in results_by_check(payload, "early_stopping").values()
    )
    for test in results_by_check(payload, "cifar_challenge").values():
        assert test["score"] == 0
        assert test["output"].startswith("Your submission has no cifar_challenge.py")
    assert "`course grade NAME`" in payload["output"]
    assert (
        "early_stopping: 22/22 points in the checks shown now, from early_stopping.py"
        in (payload["output"])
    )


def test_an_untouched_stub_earns_zero_with_the_not_implemented_message(root):
    payload = run_autograder(root, {"exercises/early_stopping.py": pristine_stub("early_stopping")})
    assert payload["score"] == 0
    for test in results_by_check(payload, "early_stopping").values():
        assert "Not implemented yet" in test["output"], test


@pytest.mark.parametrize("mistake", ["patience_off_by_one", "restore_does_nothing"])
def test_a_mutant_loses_the_checks_it_names(root, mistake, tmp_path):
    (mutant_file,) = [path for path in mutant_files("early_stopping") if path.stem == mistake]
    declared = mutant_declaration(mutant_file)
    mutant = write_mutant("early_stopping", mutant_file, tmp_path)
    tests = results_by_check(run_autograder(root, {"early_stopping.py": mutant}), "early_stopping")
    for check_name in declared["LOSES"]:
        assert (tests[check_name]["score"], tests[check_name]["status"]) == (0, "failed")
    for check_name, words in declared["MESSAGES"].items():
        assert words in tests[check_name]["output"]
    assert any(test["status"] == "passed" for test in tests.values())


def test_a_submission_that_writes_its_own_results_gains_nothing(root):
    results = root / "results" / "results.json"
    forged = json.dumps({"score": 1000, "tests": [{"name": "x", "score": 1000, "max_score": 1}]})
    late = root / "late-writer-survived"
    hostile = pristine_stub("early_stopping") + (
        "\nimport os, pathlib, time\n"
        "if os.fork() == 0:  # a late writer, in a session of its own (subprocess is refused)\n"
        "    os.setsid()\n"
        "    time.sleep(3)\n"
        "    try:\n"
        f"        pathlib.Path({str(results)!r}).write_text({forged!r})\n"
        f"        pathlib.Path({str(late)!r}).touch()\n"
        "    finally:\n"
        "        os._exit(0)\n"
        "try:\n"
        f"    pathlib.Path({str(results)!r}).write_text({forged!r})\n"
        f"    pathlib.Path({str(root / 'hostile-code-ran')!r}).touch()\n"
        "except OSError as error:\n"
        "    raise RuntimeError(f'the forgery was refused: {error}')\n"
    )
    payload = run_autograder(root, {"early_stopping.py": hostile})
    outputs = [test["output"] for test in results_by_check(payload, "early_stopping").values()]
    refused = all("the forgery was refused" in output for output in outputs)
    assert (root / "hostile-code-ran").exists() or refused, "the forging code never ran"
    assert payload["score"] == 0
    time.sleep(5)
    assert json.loads(results.read_text()) == payload, "results.json changed after grading"
    assert not late.exists(), "a process the learner code started outlived the grading"


def test_a_wrong_upload_layout_says_which_file_was_expected_and_where_it_was_found(root):
    payload = run_autograder(
        root, {"my-work/exercises/early_stopping.py": solution_path("early_stopping")}
    )
    assert payload["score"] == 0
    message = next(iter(results_by_check(payload, "early_stopping").values()))["output"]
    assert message.startswith("Your submission has no early_stopping.py")
    assert "It has my-work/exercises/early_stopping.py" in message
    assert (
        "early_stopping: 0/22 points in the checks shown now, nothing uploaded"
        in (payload["output"])
    )


def test_a_released_notebook_is_graded_from_its_answer_cell(root, tmp_path):
    release_course(tmp_path / "course", "exercises")
    notebook = tmp_path / "course" / "source" / "exercises" / "early_stopping.ipynb"
    payload = run_autograder(root, {"early_stopping.ipynb": notebook})
    assert payload["score"] == TOTAL["early_stopping"], payload["output"]
    assert "from early_stopping.ipynb" in payload["output"]


def test_the_cifar_challenge_grades_the_uploaded_run_on_the_test_set_setup_fetched(root):
    _, run = cifar_runs.reference_run()
    cifar = find_exercise("cifar_challenge")
    code = [solution_path(name) for name in (cifar.name, *cifar.builds_on)]
    files = {path.name: path for path in code}
    files.update({path.name: path for path in run.iterdir() if path.is_file()})
    payload = run_autograder(root, files)
    tests = results_by_check(payload, "cifar_challenge")
    failed = {name: test["output"] for name, test in tests.items() if test["status"] != "passed"}
    assert failed == {}
    accuracy = tests["test_saved_model_reaches_80_percent_on_the_cifar10_test_set"]["output"]
    assert "of the 500 test images classified correctly" in accuracy, "not the set setup put there"
    assert payload["score"] == TOTAL["early_stopping"] + TOTAL["cifar_challenge"]


def test_where_the_container_cannot_sandbox_run_autograder_refuses_in_one_line_and_scores_nothing(
    root, without_namespaces
):
    completed = upload_and_run(
        root, {"early_stopping.py": solution_path("early_stopping")}, env=without_namespaces
    )
    assert completed.returncode == 1
    assert completed.stderr.count("\n") == 1, completed.stderr
    assert "No permissions to create new namespace" in completed.stderr
    assert "course export gradescope --no-isolation" in completed.stderr
    assert not (root / "results" / "results.json").exists()


def test_exported_with_no_isolation_it_grades_unsandboxed_where_it_cannot_sandbox(
    root, without_namespaces
):
    scripts = autograder_scripts("early_stopping,cifar_challenge", "unused.whl", [], True)
    (root / "run_unisolated").write_text(scripts["run_autograder"])
    (root / "run_unisolated").chmod(0o755)
    payload = run_autograder(
        root, {"early_stopping.py": solution_path("early_stopping")}, "run_unisolated",
        env=without_namespaces,
    )  # fmt: skip
    assert payload["score"] == TOTAL["early_stopping"], payload["output"]
