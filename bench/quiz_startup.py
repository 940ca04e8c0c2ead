"""How fast `course quiz` starts, as ratios to `python -c pass` measured in the same run.

The quiz must never import torch and must start in well under a second. `python -c pass`
is the floor of any Python command on this machine, so the start-up is reported as a ratio
to it (and in milliseconds). `--list-topics` loads the whole bank; `--due` also opens the
history and replays it through FSRS (an empty history in a scratch folder here).

Usage: python bench/quiz_startup.py [--repeat 10] [--json results.json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COURSE = str(Path(sys.executable).with_name("course"))


def wall_seconds(command: list[str], env: dict[str, str], repeat: int) -> float:
    """Median wall time of `command` over `repeat` runs, after one warm-up run."""
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)  # fmt: skip
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per command")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "COURSE_QUIZ_HISTORY": str(Path(scratch) / "history.sqlite3")}
        floor = wall_seconds([sys.executable, "-c", "pass"], env, args.repeat)
        commands = {
            "quiz --list-topics": [COURSE, "quiz", "--list-topics"],
            "quiz --due": [COURSE, "quiz", "--due"],
        }
        results = {"python -c pass": {"seconds": floor, "ratio": 1.0}}
        for name, command in commands.items():
            seconds = wall_seconds(command, env, args.repeat)
            results[name] = {"seconds": seconds, "ratio": seconds / floor}
    for name, result in results.items():
        print(
            f"{name:<20} {1000 * result['seconds']:7.0f} ms  {result['ratio']:5.1f}x python -c pass"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
