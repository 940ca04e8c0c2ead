"""`course train cifar_challenge` runs of two kit trees, for the CIFAR-10 benchmarks.

The baseline is the kit at BASELINE_COMMIT (before issue 19 made training faster and leaner),
extracted with `git archive` into a temporary folder; the current tree is this checkout. Each
tree is imported as `course` through a folder of symlinks (PACKAGE_FOLDERS, as pyproject.toml
maps them), so both runs start the same way whatever is installed, and each trains that
tree's own reference solution in a fresh workspace. The test accuracy of each saved model is
measured here, by this checkout's evaluation, so both are measured alike.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "b82176e"
"""main before issue 19: the reference and pipeline the CIFAR benchmarks compare against."""
PACKAGE_FOLDERS = ("cli", "exercises", "graders", "quiz", "solutions")
"""The top-level folders pyproject.toml maps to course.<folder>."""
EXERCISE = "cifar_challenge"


@dataclass
class TrainRun:
    """What one `course train` run cost and what its saved model scores."""

    label: str
    epochs_run: int
    train_seconds: float
    """train() alone, as run.json records it."""
    command_seconds: float
    """The whole command: start-up, data, training, export, plots."""
    cpu_seconds: float
    """User + system time of the command, all threads."""
    peak_rss_mb: float
    """Maximum resident set size of the command."""
    test_accuracy: float | None = None


@dataclass
class KitTree:
    """A kit source tree (`root`) and the folder that makes it importable as `course`."""

    label: str
    root: Path
    import_path: Path


def alternating_runs(
    baseline: str, data: Path, repeats: int, epochs: Callable[[str], int | None]
) -> Iterator[tuple[TrainRun, Path]]:
    """`course train` of the baseline commit's reference with its kit and of this checkout's
    with this kit, `repeats` pairs in alternating order (baseline first), each in a fresh
    workspace for `epochs(label)` epochs (None: the tree's default). Yields each run with its
    workspace as soon as it ends; the workspaces are removed when the iteration ends."""
    with tempfile.TemporaryDirectory(prefix="cifar-bench-") as scratch:
        scratch = Path(scratch)
        trees = {
            "baseline": kit_tree("baseline", extract_commit(baseline, scratch / "b"), scratch),
            "current": kit_tree("current", REPO, scratch),
        }
        print(f"baseline: {baseline}; current: {REPO}; load average {load_average()}")
        for repeat in range(repeats):
            order = ["baseline", "current"] if repeat % 2 == 0 else ["current", "baseline"]
            for label in order:
                workspace = reference_workspace(trees[label], scratch / f"ws-{label}-{repeat}")
                yield course_train(trees[label], workspace, data, epochs(label)), workspace


def kit_tree(label: str, root: Path, scratch: Path) -> KitTree:
    """`root` importable as `course` from scratch/<label>-import/course/ (symlinks)."""
    package = scratch / f"{label}-import" / "course"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in PACKAGE_FOLDERS:
        (package / name).symlink_to(root / name, target_is_directory=True)
    return KitTree(label, root, package.parent)


def extract_commit(commit: str, folder: Path) -> Path:
    """The files of `commit` in this repository, extracted into `folder` (git archive)."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit],
        capture_output=True, check=True,
    )  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def reference_workspace(tree: KitTree, folder: Path) -> Path:
    """folder/exercises/ holding the tree's reference of the exercise and those it builds on."""
    manifest = tomllib.loads((tree.root / "exercises" / "manifest.toml").read_text())
    (entry,) = [each for each in manifest["exercise"] if each["name"] == EXERCISE]
    (folder / "exercises").mkdir(parents=True)
    for name in [*entry.get("builds_on", []), EXERCISE]:
        source = tree.root / "solutions" / f"{name}.py"
        (folder / "exercises" / f"{name}.py").write_text(source.read_text())
    return folder


def course_train(tree: KitTree, workspace: Path, data: Path, epochs: int | None) -> TrainRun:
    """Run the tree's `course train` on its reference in `workspace`; its costs from the OS."""
    command = [
        sys.executable, "-c", "from course.cli.main import run; run()",
        "train", EXERCISE, "--data", str(data), "--workspace", str(workspace),
    ]  # fmt: skip
    if epochs is not None:
        command += ["--epochs", str(epochs)]
    environment = {**os.environ, "PYTHONPATH": str(tree.import_path), "COLUMNS": "120"}
    log = workspace / "course-train.log"
    started = time.perf_counter()
    with open(log, "w") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not all children's
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"{tree.label}: course train failed; see {log}:\n{log.read_text()[-2000:]}"
        )
    summary = json.loads((workspace / "runs" / EXERCISE / "run.json").read_text())
    return TrainRun(
        label=tree.label,
        epochs_run=summary["epochs_run"],
        train_seconds=summary["train_seconds"],
        command_seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=peak_rss_mb(usage),
    )


def peak_rss_mb(usage: resource.struct_rusage) -> float:
    """A finished process's peak resident memory in MB (ru_maxrss: bytes on macOS, KiB on Linux)."""
    return usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024) / 2**20


def test_accuracy(workspace: Path, data: Path) -> float:
    """The saved model's accuracy on the 10k test images, measured by this checkout's kit."""
    from course.graders.cifar import data as cifar_data
    from course.graders.cifar import run as cifar_run
    from course.graders.cifar.export import load_exported

    predict = load_exported(workspace / "runs" / EXERCISE / cifar_run.EXPORT_FILE)
    accuracy, _ = cifar_run.evaluate(predict, cifar_data.load_split(data, "test").split)
    return accuracy


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record (others' work slows a run)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
