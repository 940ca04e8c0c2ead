"""The live bar `course train` and a notebook's training cell both show while a trainer runs."""

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from course.graders.kit.training import Reporter

REDRAW_SECONDS = 0.5
"""How often the bar is redrawn, by the training thread between two batches. rich's own
refresh thread redraws 10 times a second whenever it likes, and on a 2-core machine each
redraw stalls one of torch's threads while the other waits for it: 8% of an epoch."""


class TrainingBar(Reporter):
    """A rich progress bar fed by the trainer's Reporter calls (epoch, batch, train accuracy,
    img/s); rich draws it in place in a terminal and as a live widget in Jupyter."""

    def __init__(self, console: Console, epochs: int):
        self.console, self.epochs = console, epochs
        self.progress = Progress(
            TextColumn("[bold]epoch {task.fields[epoch]}/{task.fields[epochs]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("train acc {task.fields[acc]:.1%}"),
            TextColumn("{task.fields[speed]:,.0f} img/s"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
            auto_refresh=False,
        )
        self.task = None
        self._correct = self._seen = 0
        self._drawn_at = 0.0

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        self.progress.stop()

    def data_ready(self, description: str) -> None:
        self.console.print(description)

    def epoch_started(self, epoch: int, batches: int) -> None:
        self._correct, self._seen, self._start = 0, 0, time.perf_counter()
        fields = {"epoch": epoch, "epochs": self.epochs, "acc": 0.0, "speed": 0.0}
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task("train", total=batches, **fields)
        self._redraw()

    def batch_done(self, images: int, correct: int) -> None:
        self._correct += correct
        self._seen += images
        speed = self._seen / max(time.perf_counter() - self._start, 1e-9)
        self.progress.update(self.task, advance=1, acc=self._correct / self._seen, speed=speed)
        if time.perf_counter() - self._drawn_at >= REDRAW_SECONDS:
            self._redraw()

    def _redraw(self) -> None:
        self.progress.refresh()
        self._drawn_at = time.perf_counter()

    def epoch_done(self, epoch: int, val_accuracy: float) -> None:
        self.progress.console.print(
            f"epoch {epoch:2d}: train acc {self._correct / max(self._seen, 1):.1%}"
            f"  validation acc {val_accuracy:.1%}"
        )
