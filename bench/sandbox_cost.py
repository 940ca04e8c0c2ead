"""What the sandbox costs, as ratios to the same work unsandboxed, interleaved in one run.

Two pairs, each run `--repeat` times in turn (sandboxed, unsandboxed, ...), medians compared:
grading lstm_cell's reference as `course grade` does (tests/kit.py grade_file, isolated or
not), and running a one-cell notebook (`import torch`) as nbgrader autograde runs it, in the
sandboxed kernel (graders/notebooks/kernel_sandbox.py) or in Jupyter's own.

Usage: python bench/sandbox_cost.py [--repeat 3]
Run it from a checkout (it uses tests/kit.py); needs bubblewrap.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from course.graders.engine.learner.sandbox import unavailable_reason  # noqa: E402
from course.graders.kit.paths import solution_path  # noqa: E402
from course.graders.notebooks.kernel_sandbox import SandboxedKernelManager  # noqa: E402
from tests.kit import grade_file  # noqa: E402


def grading_seconds(isolated: bool) -> float:
    started = time.perf_counter()
    result = grade_file("lstm_cell", solution_path("lstm_cell"), isolated=isolated)
    assert result.earned == result.total, result
    return time.perf_counter() - started


def notebook_seconds(kernel_manager: type) -> float:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import torch\nprint(torch.ones(2).sum().item())")]
    with tempfile.TemporaryDirectory(prefix="course-bench-") as folder:
        started = time.perf_counter()
        NotebookClient(
            notebook, timeout=120, kernel_manager_class=kernel_manager,
            resources={"metadata": {"path": folder}},
        ).execute()  # fmt: skip
        seconds = time.perf_counter() - started
    assert notebook.cells[0].outputs[0]["text"] == "2.0\n", notebook.cells[0].outputs
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    if unavailable_reason():
        sys.exit(f"no sandbox here: {unavailable_reason()}")
    pairs = {
        "course grade lstm_cell (reference)": (
            lambda: grading_seconds(True),
            lambda: grading_seconds(False),
        ),
        "one-cell notebook through nbclient": (
            lambda: notebook_seconds(SandboxedKernelManager),
            lambda: notebook_seconds(AsyncKernelManager),
        ),
    }
    print(f"{'':38} {'sandboxed':>10} {'unsandboxed':>12} {'ratio':>6}  (medians of {repeat})")
    for name, (sandboxed, unsandboxed) in pairs.items():
        times: dict[str, list[float]] = {"sandboxed": [], "unsandboxed": []}
        for _ in range(repeat):
            times["sandboxed"].append(sandboxed())
            times["unsandboxed"].append(unsandboxed())
        inside, outside = (statistics.median(times[key]) for key in ("sandboxed", "unsandboxed"))
        print(f"{name:38} {inside:9.2f}s {outside:11.2f}s {inside / outside:6.2f}")


if __name__ == "__main__":
    main()
