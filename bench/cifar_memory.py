"""Peak memory of `course train cifar_challenge`, now and at the baseline commit.

Runs the baseline's kit on its reference and this checkout's kit on its own (bench/cifar_runs.py),
in turn, for the same number of epochs (default 1: the peak is reached in the first epoch and
at the export after it), and prints each command's maximum resident set size (from the OS,
for the command's own process), current / baseline, and the floor: a Python process that
only imports torch, measured the same way in the same run.

Usage:
    python bench/cifar_memory.py --data /tmp/cifar10-jpeg
    python bench/cifar_memory.py --data /tmp/cifar10-jpeg --epochs 10 --repeats 2
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cifar_runs import (
    BASELINE_COMMIT,
    REPO,
    course_train,
    extract_commit,
    kit_tree,
    load_average,
    reference_workspace,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/cifar10-jpeg"))
    parser.add_argument("--epochs", type=int, default=1, help="epochs of each run")
    parser.add_argument("--repeats", type=int, default=1, help="pairs of runs, order alternating")
    parser.add_argument("--baseline", default=BASELINE_COMMIT, help="the commit to compare with")
    return parser.parse_args()


def import_torch_peak_mb() -> float:
    """Peak resident memory of `python -c "import torch"`: what any torch process starts with."""
    process = subprocess.Popen([sys.executable, "-c", "import torch"])
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024) / 2**20


def main() -> None:
    args = parse_args()
    peaks: dict[str, list[float]] = {"baseline": [], "current": []}
    with tempfile.TemporaryDirectory(prefix="cifar-memory-") as scratch:
        scratch = Path(scratch)
        trees = {
            "baseline": kit_tree("baseline", extract_commit(args.baseline, scratch / "b"), scratch),
            "current": kit_tree("current", REPO, scratch),
        }
        print(f"baseline: {args.baseline}; current: {REPO}; load average {load_average()}")
        for repeat in range(args.repeats):
            order = ["baseline", "current"] if repeat % 2 == 0 else ["current", "baseline"]
            for label in order:
                workspace = reference_workspace(trees[label], scratch / f"ws-{label}-{repeat}")
                run = course_train(trees[label], workspace, args.data, args.epochs)
                peaks[label].append(run.peak_rss_mb)
                print(f"{label:>8}: peak {run.peak_rss_mb:6.0f} MB ({run.epochs_run} epochs)")
    floor = import_torch_peak_mb()
    baseline, current = max(peaks["baseline"]), max(peaks["current"])
    print(
        f"peak memory, current / baseline: {current / baseline:.2f}x "
        f"({current:.0f} MB / {baseline:.0f} MB); `import torch` alone: {floor:.0f} MB, "
        f"so beyond it: {(current - floor) / (baseline - floor):.2f}x"
    )


if __name__ == "__main__":
    main()
