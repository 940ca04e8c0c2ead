"""The training bar is drawn by the training thread between batches, at most every
REDRAW_SECONDS, never by a thread of its own that would take a core from torch's threads
(graders/kit/training_bar.py)."""

import io
import threading

from rich.console import Console

from course.graders.kit import training_bar
from course.graders.kit.training_bar import TrainingBar


def test_no_thread_of_its_own_and_a_redraw_at_most_every_half_second(monkeypatch):
    clock = iter(float(tick) / 10 for tick in range(1000))  # 0.1 s per call
    monkeypatch.setattr(training_bar.time, "perf_counter", lambda: next(clock))
    threads_before = set(threading.enumerate())
    console = Console(file=io.StringIO(), force_terminal=True, width=100, highlight=False)
    with TrainingBar(console, epochs=2) as bar:
        assert set(threading.enumerate()) == threads_before
        redraws = []
        monkeypatch.setattr(bar.progress, "refresh", lambda: redraws.append(1))
        bar.epoch_started(1, batches=40)
        for _ in range(40):
            bar.batch_done(images=8, correct=4)
        bar.epoch_done(1, val_accuracy=0.5)
    # 40 batches take 80 clock readings (8 s at 0.1 s each): one redraw at the start of the
    # epoch, then one each 0.5 s
    assert 10 <= len(redraws) <= 20
    assert "validation acc 50.0%" in console.file.getvalue()


def test_the_bar_shows_the_epoch_and_the_training_accuracy():
    console = Console(file=io.StringIO(), force_terminal=True, width=120, highlight=False)
    with TrainingBar(console, epochs=3) as bar:
        bar.epoch_started(2, batches=4)
        for _ in range(4):
            bar.batch_done(images=10, correct=7)
    shown = console.file.getvalue()
    assert "epoch 2/3" in shown and "4/4" in shown and "train acc 70.0%" in shown
