"""`course train NAME`: train the learner's model with a live progress bar, save the run.

Which exercises train, and how, is the manifest's to say (`trainer = "module"`; see
graders/kit/training.py): nothing here is about one exercise. The training shares the cores
with whatever else runs (graders/kit/core_sharing.py): OpenMP threads that wait briefly, set
before torch is imported, and torch's threads following the cores other processes leave idle.
"""

from typing import Annotated

import typer
from rich.console import Console

from course.cli.options import DataOption, WorkspaceOption, existing_folder
from course.graders.kit.errors import UserError
from course.graders.kit.training_bar import TrainingBar


def train_command(
    name: Annotated[str, typer.Argument(help="Exercise to train, e.g. cifar_challenge.")],
    data: DataOption = None,
    epochs: Annotated[
        int | None, typer.Option(min=1, help="Epoch budget (default and limit: the exercise's).")
    ] = None,
    device: Annotated[str, typer.Option(help="cpu, cuda, or auto (cuda when available).")] = "auto",
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Training batch size (default: the exercise's).")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Train your model for an exercise that trains (e.g. on CIFAR-10) and save it for `course grade`."""
    from course.graders.kit.core_sharing import CoreSharingReporter, wait_briefly_in_this_process

    wait_briefly_in_this_process()  # before anything imports torch
    from course.graders.engine.forbidden import static_use_message, static_uses
    from course.graders.engine.learner.loading import import_learner_file, learner_frames
    from course.graders.kit.manifest import find_exercise
    from course.graders.kit.training import load_trainer
    from course.graders.kit.workspace import exercise_file, find_workspace, run_folder

    exercise = find_exercise(name)
    existing_folder(data, "--data")
    trainer = load_trainer(exercise)
    epochs = trainer.DEFAULT_EPOCHS if epochs is None else epochs
    root = find_workspace(explicit=workspace)
    path = exercise_file(root, exercise.name)
    if not path.is_file():
        raise UserError(f"{path} does not exist: run `course init` to restore missing stubs.")
    uses = static_uses(path.read_text(encoding="utf-8"), exercise.forbidden)
    if uses:
        raise UserError(f"{path}: {static_use_message(uses)}")
    console = Console()
    if epochs > trainer.MAX_EPOCHS:
        console.print(
            f"[yellow]{epochs} epochs: this exercise counts only runs of at most {trainer.MAX_EPOCHS}.[/]"
        )
    chosen_device = _device(device)
    with TrainingBar(console, epochs) as reporter:
        try:
            module = import_learner_file(path)
            result = trainer.train_and_save(
                module, data, epochs, chosen_device, run_folder(root, exercise.name),
                batch_size=batch_size or trainer.TRAIN_BATCH_SIZE,
                reporter=CoreSharingReporter(reporter),
            )  # fmt: skip
        except (UserError, KeyboardInterrupt):
            raise
        except Exception as error:  # the learner's own code failed: show them their traceback
            reporter.stop()
            console.print(_learner_traceback(error, learner_frames(error, path.parent)))
            raise typer.Exit(1) from None
    console.print(result.message)
    console.print(
        f"Next: course grade {name}" + (" (it grades on the same --data)" if data else "")
    )


def _device(choice: str) -> str:
    import torch

    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice not in ("cpu", "cuda"):
        raise UserError(f"--device {choice}: choose cpu, cuda or auto.")
    if choice == "cuda" and not torch.cuda.is_available():
        raise UserError("--device cuda: no CUDA device is available here; use --device cpu.")
    return choice


def _learner_traceback(error: Exception, frames: list) -> str:
    """The learner's exception with the frames of their own files only."""
    import traceback

    lines = "".join(traceback.format_list(frames))
    return f"[red]Your code raised {type(error).__name__}: {error}[/]\n{lines}"
