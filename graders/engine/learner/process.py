"""The grader's handle on the learner process: requests, time limits, restarts.

Learner code never runs in the grader process. Each call sends a probe (a small function
of the grader file, sent as source) and waits for its reply until the check's deadline.
A probe that runs out of time, or a process that dies, costs only the check that was
waiting: the process is killed with its whole group and a fresh one serves the next check.
"""

import inspect
import os
import signal
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from course.graders.engine.forbidden import static_use_message, static_uses_of_learner_files
from course.graders.engine.learner import wire
from course.graders.engine.learner.limits import OUTPUT_LIMIT_BYTES, TORCH_IMPORT_SECONDS
from course.graders.engine.learner.sandbox import Sandbox, SandboxGroup, sandboxed
from course.graders.engine.source_only_import import python_command
from course.graders.kit.manifest import Exercise
from course.graders.kit.staging import builds_on_missing_message, missing_beside


class LearnerFailure(Exception):
    """Learner code did not produce a result; the message says why, for the learner."""


class NotImplementedYet(LearnerFailure):
    """The learner has not written this part yet (the stub's NotImplementedError)."""


class LearnerRaised(LearnerFailure):
    """Learner code raised an exception."""


class LearnerTimedOut(LearnerFailure):
    """Learner code did not finish within the check's time limit."""


class LearnerCrashed(LearnerFailure):
    """The learner process ended or garbled its replies."""


class ForbiddenCallUsed(LearnerFailure):
    """Learner code used PyTorch's own version of what the exercise teaches."""


class LearnerProcess:
    """One learner file, served by a child process that is restarted when it dies."""

    def __init__(self, impl_path: Path, exercise: Exercise, sandbox: Sandbox | None = None):
        self.impl_path = Path(impl_path).resolve()
        self.exercise = exercise
        self.sandbox = sandbox
        self._group: SandboxGroup | None = None
        self._worker_pid: int | None = None
        self._scratch = tempfile.TemporaryDirectory(prefix=f"course-{exercise.name}-")
        self._process: subprocess.Popen | None = None
        self._import_failure: LearnerFailure | None = None
        self._static_failure = self._find_static_failure()
        if self._static_failure is None:
            self._start()

    # -- public -----------------------------------------------------------------------
    def run(self, probe: Callable, args: tuple, kwargs: dict, deadline: float) -> object:
        """Run `probe(learner_module, *args, **kwargs)` in the learner process."""
        self.ensure_ready()
        request = {
            "source": textwrap.dedent(inspect.getsource(probe)),
            "name": probe.__name__,
            "args": args,
            "kwargs": kwargs,
        }
        try:
            wire.write_message(self._request_fd, request, deadline)
            reply = self._read_reply(deadline)
        except wire.ChannelTimeout:
            self._stop()
            raise LearnerTimedOut(self._timeout_message()) from None
        except (wire.ChannelClosed, wire.ChannelGarbled) as error:
            raise LearnerCrashed(self._crash_message(error)) from None
        if reply.get("forbidden"):
            raise ForbiddenCallUsed(forbidden_message(reply["forbidden"]))
        if reply["kind"] == "raised":
            raise raised_failure(reply["error"], self.impl_path.name)
        return reply["value"]

    def ensure_ready(self) -> None:
        """Start the learner process if needed and wait until the learner file imported."""
        if self._static_failure:
            raise self._static_failure
        if self._import_failure:
            raise self._import_failure
        if self._process is None:
            self._start()
        if self._ready:
            return
        try:
            self._expect("torch_ready", time.monotonic() + TORCH_IMPORT_SECONDS)
            import_deadline = time.monotonic() + self.exercise.check_timeout
            wire.write_message(self._request_fd, {"kind": "import"}, import_deadline)
            reply = self._expect(("ready", "import_failed"), import_deadline)
        except wire.ChannelTimeout:
            self._stop()
            self._import_failure = LearnerTimedOut(
                f"Importing {self.impl_path.name} did not finish within "
                f"{self.exercise.check_timeout:g} s: is there a loop or a long computation "
                "at the top level of the file?"
            )
            raise self._import_failure from None
        except (wire.ChannelClosed, wire.ChannelGarbled) as error:
            self._import_failure = LearnerCrashed(
                f"Importing {self.impl_path.name} ended the process. " + self._crash_message(error)
            )
            raise self._import_failure from None
        if reply["kind"] == "import_failed":
            failure = raised_failure(reply["error"], self.impl_path.name)
            self._import_failure = type(failure)(f"Importing your file failed. {failure}")
            self._stop()
            raise self._import_failure
        if reply.get("forbidden"):
            self._import_failure = ForbiddenCallUsed(forbidden_message(reply["forbidden"]))
            raise self._import_failure
        self._ready = True

    def close(self) -> None:
        """Stop the learner process and remove its scratch folder."""
        self._stop()
        self._remove_group()
        self._scratch.cleanup()

    # -- process lifecycle -------------------------------------------------------------
    def _start(self) -> None:
        request_read, self._request_fd = os.pipe()
        self._reply_fd, reply_write = os.pipe()
        os.set_blocking(self._request_fd, False)
        self._log_path = Path(self._scratch.name) / "output.log"
        command = [
            *python_command("course.graders.engine.learner.worker"),
            str(self.impl_path), self.exercise.name, str(request_read), str(reply_write),
            "0" if self.sandbox else str(os.getpid()),
        ]  # fmt: skip
        if self.sandbox:
            self._remove_group()
            self._group = SandboxGroup(self.sandbox.limits)
            command = self._group.command(
                sandboxed(
                    command + self.sandbox.worker_options(), self.impl_path.parent, self.sandbox
                )
            )
        with open(self._log_path, "ab") as log:
            self._process = subprocess.Popen(
                command,
                pass_fds=(request_read, reply_write),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self._scratch.name,
                start_new_session=True,  # no preexec_fn: the worker limits itself (worker.py)
            )
        os.close(request_read)
        os.close(reply_write)
        self._ready = False
        # In a sandbox the worker has a pid of its own namespace: its first message says it.
        self._worker_pid = None if self.sandbox else self._process.pid

    def _stop(self) -> None:
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process.wait()
        for fd in (self._request_fd, self._reply_fd):
            os.close(fd)
        self._process = None

    def _remove_group(self) -> None:
        if self._group is not None:
            self._group.remove()
            self._group = None

    def _expect(self, kinds: str | tuple[str, ...], deadline: float) -> dict:
        reply = self._read_reply(deadline)
        if reply.get("kind") not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            raise wire.ChannelGarbled(f"unexpected message {reply.get('kind')!r}")
        return reply

    def _read_reply(self, deadline: float) -> dict:
        """The next reply sent by the learner process itself (not by a process it forked)."""
        while True:
            reply = wire.read_message(self._reply_fd, deadline)
            if not isinstance(reply, dict) or "kind" not in reply:
                raise wire.ChannelGarbled("a reply without a kind")
            if self._worker_pid is None and reply.get("kind") == "torch_ready":
                self._worker_pid = reply.get("pid")  # sent before any learner code ran
            if reply.get("pid") == self._worker_pid:
                return reply

    # -- messages ----------------------------------------------------------------------
    def _find_static_failure(self) -> LearnerFailure | None:
        if not self.impl_path.is_file():
            return LearnerFailure(f"{self.impl_path} does not exist.")
        missing = missing_beside(self.exercise, self.impl_path)
        if missing:
            where = (
                f"beside {self.impl_path.name} (in a workspace, exercises/: `course init` "
                "restores a missing stub)"
            )
            return LearnerFailure(builds_on_missing_message(self.exercise, missing, where))
        uses = static_uses_of_learner_files(self.impl_path, self.exercise.forbidden)
        if not uses:
            return None
        return ForbiddenCallUsed(static_use_message(uses))

    def _timeout_message(self) -> str:
        return (
            "Your code did not finish in time: the check stopped it after its time limit. "
            "Look for a loop that never ends or far more work than the task needs."
            + self._output_tail()
        )

    def _crash_message(self, error: Exception) -> str:
        code = None
        if self._process is not None:
            try:
                code = self._process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                code = None
        self._stop()
        if self.sandbox and code is not None and code > 128:
            code = 128 - code  # bwrap, the worker's parent there, passes a signal on as 128 + N
        if self._group is not None and self._group.ran_out_of_memory():
            reason = (
                f"it used more than the {self.sandbox.limits.memory_bytes // 2**30} GB of memory "
                "a learner's code may use"
            )
        elif code == -signal.SIGXFSZ:
            reason = f"it printed or wrote more than {OUTPUT_LIMIT_BYTES // 2**20} MB"
        elif code is not None and code < 0:
            reason = f"it was killed by signal {signal.Signals(-code).name}"
        elif code is not None:
            reason = f"it exited with code {code} (sys.exit() or os._exit() in your code?)"
        else:
            reason = f"its replies were unreadable ({error})"
        return f"Your code ended the grading process before the check finished: {reason}." + (
            self._output_tail()
        )

    def _output_tail(self, lines: int = 5) -> str:
        try:
            with open(self._log_path, "rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - 2000))
                tail = log.read().decode("utf-8", errors="replace").strip().splitlines()
        except OSError:
            return ""
        return ("\nLast lines it printed:\n  " + "\n  ".join(tail[-lines:])) if tail else ""


def raised_failure(error: dict, file_name: str) -> LearnerFailure:
    """A teaching failure for an exception the learner's code raised."""
    where = "".join(
        f"\n  {file}, line {line}, in {function}\n    {text}"
        for file, line, function, text in error["frames"]
    )
    if error["type"] == "NotImplementedError":
        file, line, function = error["frames"][-1][:3] if error["frames"] else (file_name, None, "")
        location = f" ({file}, line {line})" if line else ""
        # a bare `raise NotImplementedError()` (nbgrader's cleared cell) still names its function
        what = error["message"].strip() or (function if function != "<module>" else "")
        return NotImplementedYet(f"Not implemented yet:{' ' + what if what else ''}{location}.")
    hint = ""
    if error["type"] in ("SystemExit", "KeyboardInterrupt"):
        hint = " Your code must return a result, not end the program."
    if not error["frames"]:
        return LearnerRaised(f"Calling your code failed: {error['type']}: {error['message']}{hint}")
    return LearnerRaised(f"Your code raised {error['type']}: {error['message']}{hint}{where}")


def forbidden_message(names: list[str]) -> str:
    """Why a check gives nothing to code that calls PyTorch's own version."""
    return (
        f"Your code called {', '.join(names)}: that is PyTorch's own version of what this "
        "exercise asks you to write, so this check cannot give points for it."
    )
