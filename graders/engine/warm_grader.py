"""A grading process kept warm: pytest, torch and the engine imported once, then one
grading run per request, each in a fork of it, so many submissions in a row do not pay
Python's and torch's start-up each (class grading uses one per slot).

Run as `python -m course.graders.engine.warm_grader`: reads one JSON request per line on
stdin, {"workspace": DIR, "exercises": [names], "impl": FILE or null, "data": DIR or null,
"isolated": true/false/null, "isolate_slot": N or null}, and writes one JSON line per request on stdout: the results of grade_exercises.
It starts no thread and runs no torch operation itself, so each fork starts clean.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from course.graders.engine.source_only_import import python_command
from course.graders.kit.core_sharing import with_openmp_waiting


def main() -> None:
    import pytest  # noqa: F401 - imported once here, used by every fork
    import torch  # noqa: F401

    import course.graders.engine.compare  # noqa: F401 - the graders' helpers, imported once
    import course.graders.engine.plugin  # noqa: F401
    from course.graders.engine.grade import grade_exercises
    from course.graders.kit.manifest import find_exercise

    output = sys.stdout
    sys.stdout = sys.stderr  # nothing but results on the channel
    for line in sys.stdin:
        request = json.loads(line)
        results = grade_exercises(
            Path(request["workspace"]),
            [find_exercise(name) for name in request["exercises"]],
            impl=Path(request["impl"]) if request.get("impl") else None,
            data=Path(request["data"]) if request.get("data") else None,
            isolated=request.get("isolated"),
            isolate_slot=request.get("isolate_slot"),
            fork=True,
        )
        output.write(json.dumps([result.to_json() for result in results]) + "\n")
        output.flush()


if __name__ == "__main__":
    main()


class WarmGrader:
    """The caller's handle on one warm grading process (started on first use)."""

    def __init__(self, threads: int | None = None) -> None:
        """`threads`: how many threads torch may use in each grading (None: its default)."""
        self._process: subprocess.Popen | None = None
        threads_setting = {} if threads is None else {"OMP_NUM_THREADS": str(threads)}
        self._environment = with_openmp_waiting({**os.environ, **threads_setting})

    def grade(
        self,
        workspace: Path,
        exercises: list[str],
        data: Path | None = None,
        isolate_slot: int | None = None,
        impl: Path | None = None,
        isolated: bool | None = None,
    ) -> list[dict]:
        """grade_exercises' results, as JSON, graded in a fork of the warm process."""
        request = {"workspace": str(workspace), "exercises": exercises, "impl": str(impl) if impl else None,
                   "data": str(data) if data else None, "isolated": isolated,
                   "isolate_slot": isolate_slot}  # fmt: skip
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                python_command("course.graders.engine.warm_grader"),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                start_new_session=True,  # Ctrl-C stops the caller, which closes this process
                env=self._environment,
            )  # fmt: skip
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            self.close()
            raise RuntimeError("the warm grading process ended unexpectedly")
        return json.loads(line)

    def close(self) -> None:
        if self._process is not None:
            self._process.stdin.close()
            self._process.kill()
            self._process.wait()
            self._process = None
