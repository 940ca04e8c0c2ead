"""A grading run that was stopped (SIGSTOP, or Ctrl-Z) earns nothing, and a stop does not
stall it.

Every deadline of a run lives in its two grading processes: `course grade` holds the whole
run's time limit, pytest each check's. Without isolation learner code runs as the same user
and can stop either of them: while one is stopped none of its deadlines passes, so learner
code could work past its time limit and continue the process afterwards, or leave the run
hanging. So:
- each of the two notices when it is continued (SIGCONT ends every stop): `course grade` then
  ends the run at once, pytest fails every result it reports; either way the run earns
  nothing and says why (STOPPED);
- each watches the other: `course grade` ends the run as soon as it sees pytest stopped, and
  pytest continues a stopped `course grade` from a thread of its own, which makes it end the
  run instead of hanging.
What remains: stopping both at once (kill(-1, SIGSTOP) stops every process of the user)
stalls the run until someone continues it; it still earns nothing then.
"""

import os
import signal
import threading
import time

STOPPED = (
    "This run was stopped (SIGSTOP, or Ctrl-Z) while your code ran. No time limit passes "
    "while a run is stopped, so none of its results can be trusted and it earns nothing: "
    "grade again and let it finish."
)


class StopWatch:
    """Within `with`: whether this process was stopped and continued (noticed in the main
    thread only), or the process `watch(pid)` names was seen stopped."""

    def __init__(self) -> None:
        self._seen = False
        self._watched: int | None = None
        self._previous_handler = None

    def start(self) -> "StopWatch":
        """Notice from now on when this process is continued."""
        if threading.current_thread() is threading.main_thread():
            self._previous_handler = signal.signal(signal.SIGCONT, self._continued)
        return self

    def __enter__(self) -> "StopWatch":
        return self.start()

    def __exit__(self, *exception) -> None:
        if self._previous_handler is not None:
            signal.signal(signal.SIGCONT, self._previous_handler)

    def _continued(self, signum, frame) -> None:
        self._seen = True

    def watch(self, pid: int) -> None:
        """Count a stop of `pid` (a child of this process) as a stop of the run."""
        self._watched = pid

    @property
    def happened(self) -> bool:
        if self._watched is not None and is_stopped(self._watched):
            self._seen = True
        return self._seen


def is_stopped(pid: int) -> bool:
    """Whether process `pid` is stopped now (by a signal or a tracer); False if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in (b"T", b"t")


def keep_parent_running(interval: float = 0.1) -> None:
    """From a thread of this process: continue the parent whenever it is stopped, for as long
    as it is this process's parent."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            if is_stopped(parent):
                os.kill(parent, signal.SIGCONT)
            time.sleep(interval)

    threading.Thread(target=watch, name="keep-parent-running", daemon=True).start()
