"""CIFAR-10 for the mini challenge: find or download it, decode it once, split it, batch it.

Where the images come from (`--data DIR` of `course train` and `course grade`):
  - no DIR: torchvision's `CIFAR10(download=True)` into the user cache (default_data_dir());
  - DIR holding torchvision's `cifar-10-batches-py/` folder (or that folder itself);
  - DIR in ImageFolder layout: DIR/train/<class>/*.jpg and DIR/test/<class>/*.jpg (.png too),
    with the ten class folders named as in CLASSES.
Images are decoded once into uint8 tensors and cached under the user cache, so a later run
starts in a second. The test split is only ever loaded by the grader and by nothing in training.
"""

import hashlib
import os
import pickle
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import torch

from course.graders.kit.errors import UserError

CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip
IMAGE_SHAPE = (3, 32, 32)
VAL_FRACTION = 0.1
"""Of the training set, kept for validation: 5k of 50k, so training sees 45k."""
SPLIT_SEED = 0
BATCHES_FOLDER = "cifar-10-batches-py"
PICKLE_FILES = {"train": [f"data_batch_{n}" for n in range(1, 6)], "test": ["test_batch"]}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass
class Split:
    """Images and labels of one split."""

    images: torch.Tensor
    """(N, 3, 32, 32) uint8"""
    labels: torch.Tensor
    """(N,) int64, class indices into CLASSES"""

    def __len__(self) -> int:
        return len(self.labels)


@dataclass
class Loaded:
    """A split and what it cost to get it."""

    split: Split
    seconds: float
    """Time spent decoding (or loading the decoded cache)."""
    from_cache: bool
    source: str
    """Where the images were read from, for messages and the run record."""


class DataMissing(UserError):
    """No dataset where one was expected; the message says what was looked for and how to get it."""


def default_data_dir() -> Path:
    """Where `course train` downloads CIFAR-10 when no --data is given."""
    return Path(platformdirs.user_cache_dir("course-kit", appauthor=False)) / "cifar10"


def load_split(data: Path | None, split: str, download: bool = False) -> Loaded:
    """The `split` ("train" or "test") of the dataset at `data` (None: the default download).

    Raises DataMissing (a UserError) when there is no dataset, UserError when it is malformed.
    """
    kind, root = locate(data, download)
    cache = _cache_path(kind, root, split)
    start = time.perf_counter()
    if cache.is_file():
        try:  # mapped, not read: the pages are the page cache's, shared, and never copied
            tensors = torch.load(cache, weights_only=True, mmap=True)
            split_data = Split(tensors["images"], tensors["labels"])
            return Loaded(split_data, time.perf_counter() - start, True, str(root))
        except (OSError, RuntimeError, KeyError, pickle.UnpicklingError):
            pass  # a damaged cache is decoded again
    reader = _read_pickles if kind == "pickles" else _read_image_folder
    split_data = reader(root, split)
    seconds = time.perf_counter() - start
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(".tmp")
        torch.save({"images": split_data.images, "labels": split_data.labels}, temporary)
        os.replace(temporary, cache)
    except OSError:
        pass  # no cache: the next run decodes again
    return Loaded(split_data, seconds, False, str(root))


def locate(data: Path | None, download: bool) -> tuple[str, Path]:
    """("pickles", folder of the batch files) or ("images", ImageFolder root)."""
    if data is None:
        root = default_data_dir()
        if not (root / BATCHES_FOLDER / "test_batch").is_file():
            if not download:
                raise DataMissing(
                    f"CIFAR-10 is not in {root} yet: `course train cifar_challenge` downloads it "
                    "there, or pass --data DIR pointing at a copy you have."
                )
            _download(root)
        return "pickles", root / BATCHES_FOLDER
    data = Path(data).expanduser()
    if not data.is_dir():
        raise DataMissing(f"--data {data}: no such folder.")
    if (data / BATCHES_FOLDER).is_dir():
        return "pickles", data / BATCHES_FOLDER
    if (data / "test_batch").is_file() or (data / "data_batch_1").is_file():
        return "pickles", data
    if (data / "train").is_dir() or (data / "test").is_dir():
        return "images", data
    raise DataMissing(
        f"--data {data}: expected torchvision's {BATCHES_FOLDER}/ folder (data_batch_1..5, "
        "test_batch) or an ImageFolder layout (train/<class>/*.jpg, test/<class>/*.jpg), "
        "and found neither."
    )


def fetch_test_set(folder: Path) -> None:
    """Download CIFAR-10 into folder/cifar-10-batches-py/ and keep only the test batch: what a
    grader that runs offline reads (the Gradescope image; kit/training.py's trainer protocol).
    A folder that already holds the test batch is left as it is."""
    from torchvision.datasets import CIFAR10

    folder = Path(folder)
    if (folder / BATCHES_FOLDER / PICKLE_FILES["test"][0]).is_file():
        return
    _download(folder)
    for name in PICKLE_FILES["train"]:
        (folder / BATCHES_FOLDER / name).unlink(missing_ok=True)
    (folder / CIFAR10.filename).unlink(missing_ok=True)  # the downloaded archive


def train_val_split(train: Split) -> tuple[Split, Split]:
    """A fixed, seeded split of the training set into (train, val): 45k/5k on CIFAR-10."""
    order = torch.randperm(len(train), generator=torch.Generator().manual_seed(SPLIT_SEED))
    val_size = round(len(train) * VAL_FRACTION)
    val, rest = order[:val_size], order[val_size:]
    return Split(train.images[rest], train.labels[rest]), Split(
        train.images[val], train.labels[val]
    )


class BatchLoader:
    """Batches `(transform(images), labels)` of a split, one pass per `iter()`.

    images go in as (B, 3, 32, 32) uint8 and come out as the transform makes them;
    labels: (B,) int64. The transform is applied to the whole batch at once.
    """

    def __init__(
        self,
        split: Split,
        batch_size: int,
        transform: Callable[[torch.Tensor], torch.Tensor],
        shuffle: bool,
        seed: int = 0,
    ):
        self.split, self.batch_size, self.transform = split, batch_size, transform
        self.shuffle = shuffle
        self.generator = torch.Generator().manual_seed(seed)
        self.on_batch: Callable[[int, torch.Tensor], None] | None = None
        """Called with (batch number, labels) before each batch is handed out (for progress)."""

    def __len__(self) -> int:
        if self.shuffle:  # training drops the incomplete last batch: equal steps, stable BN
            return max(len(self.split) // self.batch_size, 1)
        return -(-len(self.split) // self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        count = len(self.split)
        order = torch.randperm(count, generator=self.generator) if self.shuffle else None
        for number in range(len(self)):
            index = slice(number * self.batch_size, (number + 1) * self.batch_size)
            index = order[index] if order is not None else index
            labels = self.split.labels[index]
            if self.on_batch is not None:
                self.on_batch(number, labels)
            yield self.transform(self.split.images[index]), labels


# -- reading ---------------------------------------------------------------------------
def _read_pickles(root: Path, split: str) -> Split:
    images, labels = [], []
    for name in PICKLE_FILES[split]:
        path = root / name
        if not path.is_file():
            raise DataMissing(
                f"{path} is missing: a torchvision CIFAR-10 folder holds data_batch_1..5 and "
                "test_batch."
            )
        batch_images, batch_labels = _read_pickle_batch(path)
        images.append(batch_images)
        labels.append(batch_labels)
    return Split(torch.cat(images), torch.cat(labels))


def _read_pickle_batch(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """One batch file: a pickled dict with 'data' (N, 3072) uint8 and 'labels' (N,)."""
    malformed = f"{path} is not a CIFAR-10 batch file (a pickled dict with 'data' (N, 3072) uint8 and 'labels')"
    try:
        with open(path, "rb") as file:
            entry = pickle.load(file, encoding="latin1")
        data, labels = entry["data"], entry.get("labels", entry.get("fine_labels"))
        images = torch.as_tensor(data).reshape(-1, *IMAGE_SHAPE)
        labels = torch.as_tensor(labels, dtype=torch.int64)
    except Exception as error:  # noqa: BLE001 - any unreadable file gets the same message
        raise UserError(f"{malformed}: {type(error).__name__}: {error}") from None
    if images.dtype != torch.uint8 or len(images) != len(labels):
        raise UserError(
            f"{malformed}: got {len(images)} images of {images.dtype} and {len(labels)} labels."
        )
    _check_labels(labels, path)
    return images.contiguous(), labels


def _read_image_folder(root: Path, split: str) -> Split:
    from torchvision.io import ImageReadMode, decode_image, decode_jpeg, read_file

    folder = root / split
    missing = [name for name in CLASSES if not (folder / name).is_dir()]
    if missing:
        raise DataMissing(
            f"{folder} lacks the class folders {', '.join(missing)}: an ImageFolder copy of "
            f"CIFAR-10 has {split}/<class>/*.jpg for the classes {', '.join(CLASSES)}."
        )
    images, labels = [], []
    for label, name in enumerate(CLASSES):
        files = sorted(p for p in (folder / name).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        jpegs = [p for p in files if p.suffix.lower() in (".jpg", ".jpeg")]
        others = [p for p in files if p.suffix.lower() not in (".jpg", ".jpeg")]
        try:
            with warnings.catch_warnings():  # torchvision 0.29 announces a move to torchcodec
                warnings.simplefilter("ignore", DeprecationWarning)
                decoded = decode_jpeg([read_file(str(p)) for p in jpegs], mode=ImageReadMode.RGB)
                decoded += [decode_image(read_file(str(p)), mode=ImageReadMode.RGB) for p in others]
        except RuntimeError as error:
            raise UserError(f"cannot decode an image in {folder / name}: {error}") from None
        wrong = next((i for i, image in enumerate(decoded) if image.shape != IMAGE_SHAPE), None)
        if wrong is not None:
            raise UserError(
                f"{(jpegs + others)[wrong]} is {tuple(decoded[wrong].shape)}: CIFAR-10 images "
                "are 32x32 RGB."
            )
        images.extend(decoded)
        labels.extend([label] * len(decoded))
    if not images:
        raise DataMissing(f"{folder} holds no .jpg or .png images.")
    return Split(torch.stack(images), torch.tensor(labels, dtype=torch.int64))


def _check_labels(labels: torch.Tensor, where: Path) -> None:
    if len(labels) and (labels.min() < 0 or labels.max() >= len(CLASSES)):
        raise UserError(f"{where}: labels must be class indices 0..{len(CLASSES) - 1}.")


def _download(root: Path) -> None:
    from torchvision.datasets import CIFAR10

    try:
        CIFAR10(str(root), train=True, download=True)
    except Exception as error:  # noqa: BLE001 - network and disk errors alike
        raise DataMissing(
            f"downloading CIFAR-10 into {root} failed ({type(error).__name__}: {error}). "
            "Pass --data DIR pointing at a copy you have."
        ) from None


def _cache_path(kind: str, root: Path, split: str) -> Path:
    """The decoded cache of one split, keyed by the source folder and its files' sizes and times."""
    if kind == "pickles":
        names = PICKLE_FILES[split]
        stats = [(n, *_size_and_time(root / n)) for n in names]
    else:
        stats = [(n, *_size_and_time(root / split / n)) for n in CLASSES]
    key = hashlib.sha1(repr((kind, str(root.resolve()), split, stats)).encode()).hexdigest()[:16]
    cache = Path(platformdirs.user_cache_dir("course-kit", appauthor=False))
    return cache / "cifar10-decoded" / f"{split}-{key}.pt"


def _size_and_time(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (-1, -1)
    return (status.st_size, status.st_mtime_ns)
