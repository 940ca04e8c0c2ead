"""The live bar `course train` and a notebook's training cell both show while a trainer runs."""

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from course.graders.kit.training import Reporter


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
        )
        self.task = None
        self._correct = self._seen = 0

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
        import time

        self._correct, self._seen, self._start = 0, 0, time.perf_counter()
        fields = {"epoch": epoch, "epochs": self.epochs, "acc": 0.0, "speed": 0.0}
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task("train", total=batches, **fields)

    def batch_done(self, images: int, correct: int) -> None:
        import time

        self._correct += correct
        self._seen += images
        speed = self._seen / max(time.perf_counter() - self._start, 1e-9)
        self.progress.update(self.task, advance=1, acc=self._correct / self._seen, speed=speed)

    def epoch_done(self, epoch: int, val_accuracy: float) -> None:
        self.progress.console.print(
            f"epoch {epoch:2d}: train acc {self._correct / max(self._seen, 1):.1%}"
            f"  validation acc {val_accuracy:.1%}"
        )
