"""A tiny CIFAR-10 look-alike written in the real on-disk formats, so CI needs no download.

Each class has its own colour, under per-pixel noise and a per-image brightness change: a
small ResNet learns it to well above the challenge's 80% in a few epochs, and random crops
and flips keep the class, as on the real data.
"""

import atexit
import functools
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import torch

from course.graders.cifar.data import BATCHES_FOLDER, CLASSES, PICKLE_FILES
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import solution_path
from course.graders.kit.staging import needed_exercises
from course.graders.kit.workspace import run_folder

COURSE = Path(sys.executable).with_name("course")
REFERENCE_EPOCHS, REFERENCE_BATCH_SIZE = 3, 64

PALETTE = torch.tensor([
    [230, 40, 40], [40, 200, 40], [40, 60, 230], [230, 220, 40], [200, 40, 220],
    [40, 210, 220], [240, 140, 30], [120, 120, 120], [250, 250, 250], [20, 20, 20],
])  # fmt: skip


def synthetic_images(count: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """images (count, 3, 32, 32) uint8 and labels (count,) int64, classes in turn."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(count) % len(CLASSES)
    base = PALETTE[labels].float()[:, :, None, None]  # (N, 3, 1, 1)
    brightness = 0.8 + 0.4 * torch.rand(count, 1, 1, 1, generator=generator)
    noise = 40 * torch.randn(count, 3, 32, 32, generator=generator)
    return (base * brightness + noise).clamp(0, 255).to(torch.uint8), labels


def write_pickles(root: Path, train_size: int = 2000, test_size: int = 500) -> Path:
    """root/cifar-10-batches-py/ as torchvision's CIFAR10 reads it; returns root."""
    folder = root / BATCHES_FOLDER
    folder.mkdir(parents=True)
    train_images, train_labels = synthetic_images(train_size, seed=1)
    parts = zip(torch.chunk(train_images, 5), torch.chunk(train_labels, 5))
    for name, (images, labels) in zip(PICKLE_FILES["train"], parts):
        _write_batch(folder / name, images, labels)
    _write_batch(folder / "test_batch", *synthetic_images(test_size, seed=2))
    with open(folder / "batches.meta", "wb") as file:
        pickle.dump({"label_names": list(CLASSES), "num_vis": 3072}, file)
    return root


def write_image_folder(root: Path, train_size: int = 2000, test_size: int = 500) -> Path:
    """root/train/<class>/*.jpg and root/test/<class>/*.jpg; returns root."""
    from torchvision.io import encode_jpeg, write_file

    for split, (images, labels) in (
        ("train", synthetic_images(train_size, seed=1)),
        ("test", synthetic_images(test_size, seed=2)),
    ):
        for name in CLASSES:
            (root / split / name).mkdir(parents=True)
        with warnings.catch_warnings():  # torchvision 0.29 announces a move to torchcodec
            warnings.simplefilter("ignore", DeprecationWarning)
            for number, (image, label) in enumerate(zip(images, labels)):
                path = root / split / CLASSES[label] / f"{number:05d}.jpg"
                write_file(str(path), encode_jpeg(image, quality=95))
    return root


def _write_batch(path: Path, images: torch.Tensor, labels: torch.Tensor) -> None:
    entry = {
        "batch_label": path.name,
        "labels": labels.tolist(),
        "data": images.reshape(len(images), -1).numpy(),  # (N, 3072): all R, then G, then B
        "filenames": [f"{path.name}_{n}.png" for n in range(len(images))],
    }
    with open(path, "wb") as file:
        pickle.dump(entry, file)


def train_in_workspace(workspace: Path, data: Path, *options: str) -> subprocess.CompletedProcess:
    """`course train cifar_challenge` on `data` in `workspace`, as a learner runs it."""
    return subprocess.run(
        [str(COURSE), "train", "cifar_challenge", "--data", str(data), "--workspace", str(workspace),
         "--epochs", str(REFERENCE_EPOCHS), "--batch-size", str(REFERENCE_BATCH_SIZE), *options],
        capture_output=True, text=True, timeout=900, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


def reference_workspace(folder: Path) -> Path:
    """folder/exercises/ holding the reference cifar_challenge and what it builds on."""
    (folder / "exercises").mkdir(parents=True)
    for name in needed_exercises(find_exercise("cifar_challenge")):
        shutil.copy(solution_path(name), folder / "exercises" / f"{name}.py")
    return folder


TRAIN_OUTPUT = "course-train.out"
"""What `course train` printed for the reference run, beside the run's workspace."""


@functools.cache
def reference_run() -> tuple[Path, Path]:
    """(dataset folder, run folder) of the reference trained by `course train` on synthetic data.

    Made once per test session, in a folder removed when the session ends; what the command
    printed is in reference_train_output().
    """
    folder = Path(tempfile.mkdtemp(prefix="course-cifar-run-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    data = write_pickles(folder / "data")
    workspace = reference_workspace(folder / "workspace")
    result = train_in_workspace(workspace, data)
    assert result.returncode == 0, result.stdout + result.stderr
    (folder / TRAIN_OUTPUT).write_text(result.stdout)
    return data, run_folder(workspace, "cifar_challenge")


def reference_train_output() -> str:
    """The standard output of `course train` for the reference run."""
    data, _ = reference_run()
    return (data.parent / TRAIN_OUTPUT).read_text()
