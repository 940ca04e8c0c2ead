"""How the kit's torch work shares the CPU: alone, and beside one busy process, as ratios.

Measures, each alone and beside `python -c "while True: pass"` (interleaved, median of
--repeat runs), and prints busy / alone:
- a fixed amount of training work: --batches batches of 256 synthetic CIFAR-sized images
  through the reference cifar_challenge's model, augmentation and training step, in a fresh
  process run as `course train` runs it (the kit's OpenMP waiting and ThreadGovernor,
  core_sharing.py) and as torch's defaults run it (what `course train` did before);
- `course grade lstm_cell` on the reference, with this environment's `course`, and with
  `--baseline-course PATH` another installation's (e.g. an older checkout's venv/bin/course).
Targets (issue 19): beside one busy process on 2 cores, training and grading at most 2.2x
slower than alone; alone, the kit's training no slower than torch's defaults.

Usage: python bench/cpu_sharing.py [--quick] [--repeat 3] [--batches 40]
           [--baseline-course PATH] [--json results.json]
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from course.graders.kit.core_sharing import OPENMP_WAITING
from course.graders.kit.paths import SOLUTIONS_DIR, solution_path

COURSE = str(Path(sys.executable).with_name("course"))
BATCH = 256


def train_fixed_work(batches: int, as_the_kit: bool) -> float:
    """In this (fresh) process: seconds for `batches` training steps of the reference."""
    if as_the_kit:
        from course.graders.kit.core_sharing import wait_briefly_in_this_process

        wait_briefly_in_this_process()
    import torch

    from course.graders.kit.core_sharing import CoreSharingReporter
    from course.graders.kit.training import Reporter

    sys.path.insert(0, str(SOLUTIONS_DIR))  # the reference imports its sibling exercises
    import cifar_challenge as reference

    torch.manual_seed(0)
    model = reference.build_model().to(memory_format=torch.channels_last)
    augment = reference.train_transform()
    images = torch.randint(0, 256, (batches * BATCH, 3, 32, 32), dtype=torch.uint8)
    labels = torch.randint(0, 10, (batches * BATCH,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.2, total_steps=batches + 3)
    reporter = CoreSharingReporter(Reporter()) if as_the_kit else Reporter()

    def loader(start: int, stop: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        for number in range(start, stop):
            rows = slice(number * BATCH, (number + 1) * BATCH)
            yield augment(images[rows]), labels[rows]  # (B, 3, 32, 32), (B,)
            reporter.batch_done(BATCH, 0)

    model.train()
    cpu = torch.device("cpu")
    reference.run_epoch(model, loader(0, 2), cpu, optimizer, schedule)  # warm-up
    started = time.perf_counter()
    reference.run_epoch(model, loader(0, batches), cpu, optimizer, schedule)
    return time.perf_counter() - started


@contextlib.contextmanager
def busy_process(busy: bool) -> Iterator[None]:
    """One process spinning on a core meanwhile (or nothing)."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        yield
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def training_seconds(batches: int, as_the_kit: bool) -> float:
    """The training work in a fresh process (torch's defaults: no OpenMP setting inherited)."""
    environment = {k: v for k, v in os.environ.items() if k not in OPENMP_WAITING}
    mode = "--kit" if as_the_kit else "--torch-defaults"
    output = subprocess.run(
        [sys.executable, __file__, "--train-child", str(batches), mode],
        env=environment, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(output.stdout.split()[-1])


def command_seconds(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def solved_workspace(root: Path) -> Path:
    subprocess.run([COURSE, "init", str(root)], check=True, stdout=subprocess.DEVNULL)
    shutil.copy(solution_path("lstm_cell"), root / "exercises" / "lstm_cell.py")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="--repeat 1 --batches 10")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved")
    parser.add_argument("--batches", type=int, default=40, help="training work, in batches")
    parser.add_argument("--baseline-course", help="another installation's `course` to compare")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--train-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--kit", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--torch-defaults", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.train_child:
        print(f"{train_fixed_work(args.train_child, as_the_kit=args.kit):.3f}")
        return
    if args.quick:
        args.repeat, args.batches = 1, 10
    with tempfile.TemporaryDirectory() as scratch:
        workspace = solved_workspace(Path(scratch) / "ws")
        measured = {
            "train, as the kit does": lambda: training_seconds(args.batches, True),
            "train, torch's defaults": lambda: training_seconds(args.batches, False),
            "course grade lstm_cell": lambda: command_seconds([COURSE, "grade", "lstm_cell"], workspace),
        }  # fmt: skip
        if args.baseline_course:
            baseline = [args.baseline_course, "grade", "lstm_cell"]
            measured["baseline: course grade"] = lambda: command_seconds(baseline, workspace)
        times: dict[str, dict[str, list[float]]] = {
            label: {"alone": [], "busy": []} for label in measured
        }
        for _ in range(args.repeat):
            for busy in (False, True):
                with busy_process(busy):
                    for label, measure in measured.items():
                        times[label]["busy" if busy else "alone"].append(measure())
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.2f} at the end; median of {args.repeat}")
    print(f"{'':<26}{'alone s':>9}{'busy s':>9}{'busy/alone':>12}")
    results = {"load_average": load, "cores": os.cpu_count(), "rows": {}}
    for label, runs in times.items():
        alone, busy = statistics.median(runs["alone"]), statistics.median(runs["busy"])
        print(f"{label:<26}{alone:>9.2f}{busy:>9.2f}{busy / alone:>12.2f}")
        results["rows"][label] = {"alone": runs["alone"], "busy": runs["busy"],
                                  "ratio": busy / alone}  # fmt: skip
    kit, default = times["train, as the kit does"], times["train, torch's defaults"]
    print(
        f"kit / torch's defaults, alone: {statistics.median(kit['alone']) / statistics.median(default['alone']):.2f}"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
