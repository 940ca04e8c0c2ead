"""The trained model as one torch.export program: what the grader evaluates without learner code.

The program is eval_transform + model, taking uint8 images (B, 3, 32, 32) and giving
logits (B, classes).
"""

import warnings
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from course.graders.cifar import data as cifar_data
from course.graders.kit.errors import UserError


def export_model(model: nn.Module, transform: Callable, path: Path) -> None:
    """Save `transform` + `model` as one torch.export program taking uint8 batches."""
    deployed = Deployed(model, transform).eval()
    example = torch.zeros(4, *cifar_data.IMAGE_SHAPE, dtype=torch.uint8)
    batch = torch.export.Dim("batch", min=1, max=65536)
    try:
        with torch.no_grad():
            program = torch.export.export(deployed, (example,), dynamic_shapes=({0: batch},))
    except Exception as error:  # noqa: BLE001 - whatever torch.export cannot trace
        raise UserError(
            f"the trained model could not be saved for grading: torch.export failed on "
            f"eval_transform + model ({type(error).__name__}: {str(error)[:300]}). Keep the "
            "model's forward and the transform to plain tensor operations."
        ) from None
    with warnings.catch_warnings():  # a note about weights storage that concerns GPUs only
        warnings.simplefilter("ignore", UserWarning)
        torch.export.save(program, path)


def load_exported(path: Path) -> Callable[[torch.Tensor], torch.Tensor]:
    """The saved program as a function: uint8 images (B, 3, 32, 32) -> logits (B, classes)."""
    with warnings.catch_warnings():  # a note about weights storage that concerns GPUs only
        warnings.simplefilter("ignore", UserWarning)
        return torch.export.load(path).module()


def exported_parameter_shapes(path: Path) -> dict[str, list[int]]:
    """Names and shapes of the saved model's parameters and buffers (without the wrapper prefix)."""
    state = torch.export.load(path).state_dict
    prefix = "model."
    return {
        name[len(prefix) :]: list(tensor.shape)
        for name, tensor in state.items()
        if name.startswith(prefix)
    }


class Deployed(nn.Module):
    """eval_transform then the model: what the grader runs on raw uint8 test images."""

    def __init__(self, model: nn.Module, transform: Callable):
        super().__init__()
        self.model = model
        self.transform = transform

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.model(self.transform(images))
