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
from pathlib import Path

from cifar_runs import BASELINE_COMMIT, alternating_runs, peak_rss_mb


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
    return peak_rss_mb(usage)


def main() -> None:
    args = parse_args()
    peaks: dict[str, list[float]] = {"baseline": [], "current": []}
    for run, _ in alternating_runs(args.baseline, args.data, args.repeats, lambda _: args.epochs):
        peaks[run.label].append(run.peak_rss_mb)
        print(f"{run.label:>8}: peak {run.peak_rss_mb:6.0f} MB ({run.epochs_run} epochs)")
    floor = import_torch_peak_mb()
    baseline, current = max(peaks["baseline"]), max(peaks["current"])
    print(
        f"peak memory, current / baseline: {current / baseline:.2f}x "
        f"({current:.0f} MB / {baseline:.0f} MB); `import torch` alone: {floor:.0f} MB, "
        f"so beyond it: {(current - floor) / (baseline - floor):.2f}x"
    )


if __name__ == "__main__":
    main()
