"""How much the learner process of each exercise takes, graded unsandboxed: what the limits of
graders/engine/learner/limits.py (address space, processes) must leave room for.

Grades each reference solution as the kit's tests do and, meanwhile, polls /proc for this
kit's learner processes: VmPeak (the most address space; torch reserves far more than it
touches), VmHWM (the most memory in use) and threads.

Usage: python bench/learner_memory.py
"""

import os
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course.graders.engine.source_only_import import python_command  # noqa: E402
from course.graders.kit.paths import solution_path  # noqa: E402
from tests.kit import EXERCISE_NAMES, grade_file  # noqa: E402

WORKER = python_command("course.graders.engine.learner.worker")[-2:]  # this kit's, by path


def poll(seen: dict[int, dict], done: threading.Event) -> None:
    """Keep the latest /proc/PID/status figures of every learner process of this kit."""
    while not done.is_set():
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    command = [part.decode() for part in cmdline.read().split(b"\0")]
                if not all(part in command for part in WORKER):
                    continue
                with open(f"/proc/{entry}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
            except (OSError, UnicodeDecodeError):
                continue
            record = seen.setdefault(int(entry), {"threads": 0})
            record["peak"] = int(fields["VmPeak"].split()[0]) * 1024
            record["hwm"] = int(fields["VmHWM"].split()[0]) * 1024
            record["threads"] = max(record["threads"], int(fields["Threads"]))
        time.sleep(0.05)


def main() -> None:
    for name in EXERCISE_NAMES:
        seen: dict[int, dict] = {}
        done = threading.Event()
        watcher = threading.Thread(target=poll, args=(seen, done))
        watcher.start()
        result = grade_file(name, solution_path(name), isolated=False)
        done.set()
        watcher.join()
        peak = max((record["peak"] for record in seen.values()), default=0)
        hwm = max((record["hwm"] for record in seen.values()), default=0)
        threads = max((record["threads"] for record in seen.values()), default=0)
        print(
            f"{name:<16} {result.earned:>2}/{result.total:<2} points  VmPeak {peak / 2**30:.2f} GB"
            f"  VmHWM {hwm / 2**30:.2f} GB  threads {threads}  ({len(seen)} learner processes)"
        )


if __name__ == "__main__":
    main()
