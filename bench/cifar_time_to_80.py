"""CIFAR-10 time to 80%: the reference trained by `course train`, now and at the baseline commit.

Trains the baseline's reference with the baseline's kit (bench/cifar_runs.py: BASELINE_COMMIT)
for its default 10 epochs, as the issue measured it, and this checkout's reference with this
checkout's kit for CURRENT_EPOCHS, the budget in which it passes 80%, in turn (baseline
first, then the other order on each repeat), and evaluates each
saved model on the 10k test images without test-time augmentation. Prints the training time
of each (train() alone, as run.json records it; the whole command too), the test accuracy,
and current / baseline. Target (issue 19): >= 80% test accuracy in at most 0.5x the baseline's
training time. The runs share the machine with whatever else runs on it: compare the ratios,
and read the load averages printed beside them.

Usage:
    python bench/cifar_time_to_80.py --data /tmp/cifar10-jpeg             # the full comparison
    python bench/cifar_time_to_80.py --data /tmp/cifar10-jpeg --epochs 1  # quick: one epoch each
The data: ../shared/data/cifar10-jpeg.tar.gz unpacked (train/<class>/*.jpg, test/<class>/*.jpg),
or torchvision's cifar-10-batches-py folder.
"""

import argparse
import statistics
from pathlib import Path

from cifar_runs import BASELINE_COMMIT, TrainRun, alternating_runs, load_average, test_accuracy

TARGET_RATIO = 0.5
TARGET_ACCURACY = 0.80
CURRENT_EPOCHS = 8
"""The budget in which this checkout's reference passes 80% (README: the CIFAR-10 section)."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/cifar10-jpeg"))
    parser.add_argument(
        "--epochs",
        type=int,
        help=f"one budget for both, e.g. 1 for a quick look at the speed per epoch (default: "
        f"{CURRENT_EPOCHS} for the current reference, the baseline's own default for it)",
    )
    parser.add_argument("--repeats", type=int, default=1, help="pairs of runs, order alternating")
    parser.add_argument("--baseline", default=BASELINE_COMMIT, help="the commit to compare with")
    return parser.parse_args()


def describe(run: TrainRun) -> str:
    accuracy = "" if run.test_accuracy is None else f", test accuracy {run.test_accuracy:.2%}"
    return (
        f"{run.label:>8}: {run.epochs_run} epochs, train() {run.train_seconds:6.1f} s "
        f"({run.train_seconds / run.epochs_run:5.1f} s/epoch), whole command "
        f"{run.command_seconds:6.1f} s, CPU {run.cpu_seconds:6.1f} s{accuracy}"
    )


def main() -> None:
    args = parse_args()
    runs: dict[str, list[TrainRun]] = {"baseline": [], "current": []}

    def epochs(label: str) -> int | None:
        return args.epochs or (CURRENT_EPOCHS if label == "current" else None)

    for run, workspace in alternating_runs(args.baseline, args.data, args.repeats, epochs):
        run.test_accuracy = test_accuracy(workspace, args.data)
        runs[run.label].append(run)
        print(f"{describe(run)}   (load average {load_average()})", flush=True)
    baseline = statistics.median(run.train_seconds for run in runs["baseline"])
    current = statistics.median(run.train_seconds for run in runs["current"])
    per_epoch = [statistics.median(r.train_seconds / r.epochs_run for r in runs[k]) for k in runs]
    reached = all(run.test_accuracy >= TARGET_ACCURACY for run in runs["current"])
    print(
        f"train() time, current / baseline: {current / baseline:.2f}x "
        f"(target <= {TARGET_RATIO}x, with >= {TARGET_ACCURACY:.0%} test accuracy: "
        f"{'reached' if reached else 'NOT reached'} by every current run); "
        f"per epoch: {per_epoch[1] / per_epoch[0]:.2f}x"
    )


if __name__ == "__main__":
    main()
