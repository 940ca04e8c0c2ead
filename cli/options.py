"""Options that several commands share, declared once."""

from pathlib import Path
from typing import Annotated

import typer

WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Workspace folder (default: found from here upwards)."),
]

DataOption = Annotated[
    Path | None,
    typer.Option(
        help="Dataset folder, for an exercise whose manifest entry declares a dataset (CIFAR-10: "
        "torchvision's cifar-10-batches-py, or train/<class>/*.jpg + test/<class>/*.jpg). "
        "Default: the download cache."
    ),
]
