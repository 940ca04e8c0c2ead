"""What compiling the kit from source costs each process (graders/engine/source_only_import.py).

Two measures, in the same run:
- the wall time of `python -c "import course.cli.main"` (the start of every `course` command,
  with the kit compiled from source) against the same import with Python's cached bytecode
  (cli/__init__.py, which installs the policy, left out), median of --repeat runs each,
  interleaved, after one warm-up run of each that writes the cache;
- the compile time of the kit modules each grading process imports: `course grade` itself,
  pytest with every grader file, and the learner worker.

Usage: python bench/source_only_startup.py [--repeat 10]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

POLICY = "import course.cli.main"
CACHED = (  # course.cli as a bare package: its __init__, which installs the policy, never runs
    "import sys, types; from course.graders.kit.paths import package_folder; "
    "cli = types.ModuleType('course.cli'); cli.__path__ = [str(package_folder('cli'))]; "
    "sys.modules['course.cli'] = cli; import course.cli.main"
)
PROCESSES = {
    "course grade": ("course.cli.main", "course.graders.engine.grade"),
    "pytest grading process": ("course.graders.engine.plugin", "GRADER_FILES"),
    "learner worker": ("course.graders.engine.learner.worker", "course.graders.engine.forbidden"),
}
COMPILE_TIME = """
import importlib, importlib.util, sys, time
from course.graders.kit.paths import GRADERS_DIR
files = []
for name in sys.argv[1:]:
    if name != "GRADER_FILES":
        importlib.import_module(name)
        continue
    for path in sorted(GRADERS_DIR.glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
        files.append(str(path))
files += [m.__file__ for n, m in list(sys.modules.items()) if n.startswith("course.") and getattr(m, "__file__", None)]
started = time.perf_counter()
for path in files:
    compile(open(path, "rb").read(), path, "exec", dont_inherit=True)
print(len(files), 1000 * (time.perf_counter() - started))
"""


def wall_seconds(code: str, environment: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=environment, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each import")
    args = parser.parse_args()
    writes_cache = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wall_seconds(CACHED, writes_cache)
    wall_seconds(POLICY, writes_cache)
    times = {"source": [], "cached": []}
    for _ in range(args.repeat):
        times["cached"].append(wall_seconds(CACHED, writes_cache))
        times["source"].append(wall_seconds(POLICY, writes_cache))
    source, cached = (statistics.median(times[kind]) for kind in ("source", "cached"))
    print(
        f"import course.cli.main: {1000 * source:.0f} ms compiled from source, "
        f"{1000 * cached:.0f} ms from cached bytecode: +{1000 * (source - cached):.0f} ms "
        f"({source / cached:.2f}x)"
    )
    for process, imports in PROCESSES.items():
        done = subprocess.run(
            [sys.executable, "-c", COMPILE_TIME, *imports],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        modules, milliseconds = done.stdout.split()
        print(f"{process}: {modules} kit modules, compiled in {float(milliseconds):.0f} ms")


if __name__ == "__main__":
    main()
