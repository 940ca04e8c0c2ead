"""How the kit's torch work shares the CPU cores with other processes.

Beside one other busy process on two cores, torch with its defaults trained 3x slower
instead of 2x at most, for two reasons, each with its remedy here:

- Waiting threads spin. An OpenMP thread (libgomp, which torch's CPU builds use) that waits
  for its team-mates spins for 300,000 rounds, milliseconds, before it sleeps; while one of
  them is descheduled, the others burn the core it needs. `OPENMP_WAITING` spins briefly
  instead (about as long as the gap between two torch operations), then sleeps. libgomp
  reads it once, when torch loads it: processes the kit starts get it in their environment
  (`with_openmp_waiting`), and `course train` sets it in its own before importing torch.
- More busy threads than cores. A parallel region ends when its last thread is done; with
  the cores taken by other work, every region waits for a thread that is not running, and
  hundreds of regions make one training step. `ThreadGovernor` keeps torch's threads at the
  number of cores the other processes leave idle, measured again every second.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from course.graders.kit.training import Reporter

OPENMP_WAITING = {"GOMP_SPINCOUNT": "10000"}
"""libgomp's spins before a waiting thread sleeps (its default: 300,000); a setting of the
user's own is kept."""


def with_openmp_waiting(environment: dict[str, str] | os._Environ) -> dict[str, str]:
    """`environment` with OPENMP_WAITING added where it sets nothing of its own."""
    return {**OPENMP_WAITING, **environment}


def wait_briefly_in_this_process() -> None:
    """OPENMP_WAITING for this process; only effective before torch is imported."""
    for name, value in OPENMP_WAITING.items():
        os.environ.setdefault(name, value)


@dataclass(frozen=True)
class CpuSample:
    """CPU time, in clock ticks, used by everything on this process's cores and by this
    process alone, at a moment (time.monotonic seconds)."""

    moment: float
    busy_ticks: int
    own_ticks: int


def sample_cpu(cores: set[int]) -> CpuSample | None:
    """Now's CpuSample for `cores` (Linux's /proc); None where it cannot be read."""
    busy = 0
    try:
        with open("/proc/stat") as stat:
            for line in stat:
                name, *fields = line.split()
                if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
                    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
                    busy += user + nice + system + irq + softirq + steal
        with open("/proc/self/stat") as stat:
            own = stat.read().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None
    return CpuSample(time.monotonic(), busy, int(own[11]) + int(own[12]))  # utime + stime


def cores_busy_elsewhere(before: CpuSample, after: CpuSample) -> float:
    """How many cores other processes kept busy, on average, between two samples."""
    seconds = after.moment - before.moment
    ticks = (after.busy_ticks - before.busy_ticks) - (after.own_ticks - before.own_ticks)
    return max(0.0, ticks / os.sysconf("SC_CLK_TCK") / seconds) if seconds > 0 else 0.0


def threads_for(cores: int, busy_elsewhere: float, most: int) -> int:
    """Threads for torch: the cores left idle, rounded to the nearest, 1 to `most`."""
    return max(1, min(most, int(cores - busy_elsewhere + 0.5)))


class ThreadGovernor:
    """Sets torch's threads to the cores other processes leave idle, re-measured every
    `interval` seconds (at most `most` threads: torch's number when it was made).

    Call `adapt()` often, from the thread that runs the torch work (torch's thread count
    is a setting of the calling thread under OpenMP): it costs a clock read in between.
    """

    def __init__(
        self,
        interval: float = 1.0,
        sample: Callable[[set[int]], CpuSample | None] = sample_cpu,
        cores: set[int] | None = None,
    ):
        """`cores`: the cores to share (default: those this process may run on)."""
        import torch

        self._torch = torch
        if cores is None:
            cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
        self._cores = cores
        self.most = torch.get_num_threads()
        self._interval = interval
        self._sample = sample
        self._last = sample(self._cores)

    def adapt(self) -> int:
        """torch's thread count, changed if the last `interval` seconds call for it."""
        threads = self._torch.get_num_threads()
        if self._last is None or time.monotonic() - self._last.moment < self._interval:
            return threads
        now = self._sample(self._cores)
        if now is None:
            return threads
        wanted = threads_for(len(self._cores), cores_busy_elsewhere(self._last, now), self.most)
        self._last = now
        if wanted != threads:
            self._torch.set_num_threads(wanted)
        return wanted


class CoreSharingReporter(Reporter):
    """A trainer's Reporter that passes every call on to `reporter` and lets a
    ThreadGovernor adapt torch's threads at each batch (the trainer reports from the
    training thread)."""

    def __init__(self, reporter: Reporter, governor: ThreadGovernor | None = None):
        self.reporter = reporter
        self.governor = governor or ThreadGovernor()

    def data_ready(self, description: str) -> None:
        self.reporter.data_ready(description)

    def epoch_started(self, epoch: int, batches: int) -> None:
        self.governor.adapt()
        self.reporter.epoch_started(epoch, batches)

    def batch_done(self, images: int, correct: int) -> None:
        self.governor.adapt()
        self.reporter.batch_done(images, correct)

    def epoch_done(self, epoch: int, val_accuracy: float) -> None:
        self.reporter.epoch_done(epoch, val_accuracy)
