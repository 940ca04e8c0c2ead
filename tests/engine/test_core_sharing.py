"""torch work shares the cores: OpenMP threads wait briefly, and training uses as many
threads as the cores other processes leave idle (graders/kit/core_sharing.py)."""

import os

import pytest
import torch

from course.graders.kit.core_sharing import (
    OPENMP_WAITING,
    CoreSharingReporter,
    CpuSample,
    ThreadGovernor,
    cores_busy_elsewhere,
    threads_for,
    with_openmp_waiting,
)
from course.graders.kit.training import Reporter

TICKS = os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize(
    ("cores", "busy_elsewhere", "most", "threads"),
    [
        (2, 0.0, 2, 2),  # alone: every core
        (2, 0.3, 2, 2),  # a little background work does not cost a core
        (2, 0.67, 2, 1),  # one busy process beside two threads of ours
        (2, 1.0, 2, 1),  # one busy process beside one thread of ours
        (2, 6.0, 2, 1),  # never fewer than one
        (8, 0.0, 2, 2),  # never more than torch had
    ],
)
def test_threads_are_the_cores_left_idle_rounded(cores, busy_elsewhere, most, threads):
    assert threads_for(cores, busy_elsewhere, most) == threads


def test_cores_busy_elsewhere_leave_out_this_process_own_time():
    before = CpuSample(moment=10.0, busy_ticks=1000, own_ticks=500)
    after = CpuSample(moment=12.0, busy_ticks=1000 + 3 * TICKS, own_ticks=500 + 2 * TICKS)
    assert cores_busy_elsewhere(before, after) == pytest.approx(0.5)


class _Machine:
    """CPU samples of a 2-core machine where other processes keep `busy` cores busy and
    this process runs torch's threads, a second apart."""

    def __init__(self):
        self.busy, self.moment, self.busy_ticks, self.own_ticks = 0.0, 0.0, 0, 0

    def sample(self, cores: set[int]) -> CpuSample:
        own = torch.get_num_threads()
        self.moment += 1.0
        self.busy_ticks += int((self.busy + own) * TICKS)
        self.own_ticks += own * TICKS
        return CpuSample(self.moment, self.busy_ticks, self.own_ticks)


@pytest.fixture
def two_torch_threads():
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(threads)


def test_the_governor_gives_a_core_up_while_another_process_is_busy(two_torch_threads):
    machine = _Machine()
    governor = ThreadGovernor(interval=0.0, sample=machine.sample, cores={0, 1})
    assert governor.adapt() == 2
    machine.busy = 1.0
    assert governor.adapt() == 1
    assert torch.get_num_threads() == 1
    assert governor.adapt() == 1  # the busy process now has a core of its own: still busy
    machine.busy = 0.0
    assert governor.adapt() == 2
    assert torch.get_num_threads() == 2


def test_without_cpu_figures_the_governor_leaves_torch_threads_alone(two_torch_threads):
    governor = ThreadGovernor(interval=0.0, sample=lambda cores: None, cores={0, 1})
    assert governor.adapt() == 2
    assert torch.get_num_threads() == 2


def test_the_reporter_passes_every_call_on_and_adapts_at_each_batch():
    calls = []

    class Recording(Reporter):
        def data_ready(self, description):
            calls.append(("data_ready", description))

        def epoch_started(self, epoch, batches):
            calls.append(("epoch_started", epoch, batches))

        def batch_done(self, images, correct):
            calls.append(("batch_done", images, correct))

        def epoch_done(self, epoch, val_accuracy):
            calls.append(("epoch_done", epoch, val_accuracy))

    class CountingGovernor:
        adapted = 0

        def adapt(self):
            self.adapted += 1

    governor = CountingGovernor()
    reporter = CoreSharingReporter(Recording(), governor)
    reporter.data_ready("45000 images")
    reporter.epoch_started(1, 2)
    reporter.batch_done(256, 30)
    reporter.batch_done(256, 40)
    reporter.epoch_done(1, 0.5)
    assert calls == [
        ("data_ready", "45000 images"),
        ("epoch_started", 1, 2),
        ("batch_done", 256, 30),
        ("batch_done", 256, 40),
        ("epoch_done", 1, 0.5),
    ]
    assert governor.adapted == 3


def test_processes_the_kit_starts_wait_briefly_unless_the_user_said_otherwise():
    assert with_openmp_waiting({"PATH": "/bin"}) == {"PATH": "/bin", **OPENMP_WAITING}
    assert with_openmp_waiting({"GOMP_SPINCOUNT": "INFINITE"})["GOMP_SPINCOUNT"] == "INFINITE"
