"""Options that several commands share, declared once."""

from pathlib import Path
from typing import Annotated

import typer

from course.graders.kit.errors import UserError

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="DIR",
        help="Workspace folder (default: found from here upwards); before or after the command.",
    ),
]

DataOption = Annotated[
    Path | None,
    typer.Option(
        metavar="DIR",
        help="Dataset folder, for an exercise whose manifest entry declares a dataset (CIFAR-10: "
        "torchvision's cifar-10-batches-py, or train/<class>/*.jpg + test/<class>/*.jpg). "
        "Default: the download cache; for `course grade`, the folder the saved run was trained "
        "on, if it was given one.",
    ),
]


def existing_folder(path: Path | None, option: str) -> Path | None:
    """`path` if it is a folder that exists (or None); else a UserError naming the option."""
    if path is not None and not path.is_dir():
        what = "is a file, not a folder" if path.is_file() else "does not exist"
        raise UserError(f"{option} {path} {what}.")
    return path
