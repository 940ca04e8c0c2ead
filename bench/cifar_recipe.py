"""Measure the CIFAR-10 mini-challenge recipe on CPU: a small ResNet to >= 80% test accuracy.

The script loads CIFAR-10 with the kit's own loader (graders/engine/cifar_data.py: decoded
once into cached uint8 tensors, the kit's fixed, seeded 45k/5k train/val split), trains a
~0.3M-parameter ResNet-style network with batched tensor augmentation, a one-cycle LR
schedule, label smoothing and early stopping on validation accuracy, then evaluates the best
weights once on the 10k test set (with horizontal-flip averaging). The test set is never used for training or selection.

Usage:
    python bench/cifar_recipe.py --data /tmp/cifar10-jpeg --epochs 10 --seed 0 --json out.json
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from course.graders.cifar import data as cifar_data
from course.graders.cifar.run import cpu_model
from course.graders.kit.errors import UserError
from course.solutions.early_stopping import EarlyStopping
from course.solutions.residual_block import ResidualBlock

MEAN = (0.4914, 0.4822, 0.4465)  # the challenge's normalisation (exercises/cifar_challenge.py)
STD = (0.2470, 0.2435, 0.2616)


# --------------------------------------------------------------------------- data


def random_crop_flip(
    images: torch.Tensor, padding: int, generator: torch.Generator
) -> torch.Tensor:
    """Random `padding`-pixel translation (reflect-padded crop) and horizontal flip of a batch.

    `images: (B, 3, H, W) uint8` -> `(B, 3, H, W) uint8`, one crop offset and flip per image.
    """
    batch, _, height, width = images.shape
    padded = F.pad(images, (padding,) * 4, mode="reflect") if padding else images
    dy = torch.randint(0, 2 * padding + 1, (batch, 1), generator=generator)
    dx = torch.randint(0, 2 * padding + 1, (batch, 1), generator=generator)
    rows = (dy + torch.arange(height))[:, None, :, None]
    cols = (dx + torch.arange(width))[:, None, None, :]
    flip = torch.rand(batch, generator=generator) < 0.5
    cols = torch.where(flip[:, None, None, None], cols.flip(-1), cols)
    batch_index = torch.arange(batch)[:, None, None, None]
    channel_index = torch.arange(images.shape[1])[None, :, None, None]
    return padded[batch_index, channel_index, rows, cols]


class Normalize(nn.Module):
    """`(B, 3, H, W) uint8` -> `(B, 3, H, W) float32`, scaled to [0, 1] and standardised."""

    def __init__(self, mean: tuple[float, ...], std: tuple[float, ...]) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1) * 255)
        self.register_buffer("inv_std", 1 / (torch.tensor(std).view(1, -1, 1, 1) * 255))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return (images.float() - self.mean) * self.inv_std


# --------------------------------------------------------------------------- model


def build_model(widths: tuple[int, ...], dropout: float, num_classes: int = 10) -> nn.Sequential:
    """Small ResNet: normalise, 3x3 stem, one ResidualBlock per width, pool, dropout, linear.

    `(B, 3, 32, 32) uint8` -> `(B, num_classes)` logits. The first block keeps the resolution,
    each later block halves it (32 -> 16 -> 8 -> 4 for four widths).
    """
    layers: list[nn.Module] = [
        Normalize(MEAN, STD),
        nn.Conv2d(3, widths[0], 3, padding=1, bias=False),
        nn.BatchNorm2d(widths[0]),
        nn.ReLU(inplace=True),
    ]
    for index, width in enumerate(widths):
        previous = widths[max(index - 1, 0)]
        layers.append(ResidualBlock(previous, width, stride=1 if index == 0 else 2))
    layers += [
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(dropout),
        nn.Linear(widths[-1], num_classes),
    ]
    return nn.Sequential(*layers)


# --------------------------------------------------------------------------- training


@dataclass
class Recipe:
    """Hyper-parameters of one run; the defaults are the measured recipe."""

    widths: tuple[int, ...] = (16, 32, 64, 128)  # 8-16-32-64 underfits: 78.9% in 15 epochs
    dropout: float = 0.1
    batch_size: int = 256
    max_lr: float = 0.2
    momentum: float = 0.9
    weight_decay: float = 5e-4
    label_smoothing: float = 0.1
    crop_padding: int = 4
    patience: int = 3
    eval_batch_size: int = 1000
    bf16: bool = True


def train_epoch(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    recipe: Recipe,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    generator: torch.Generator,
) -> tuple[float, float]:
    """One pass over shuffled `images: (N, 3, 32, 32) uint8`; returns (mean loss, accuracy)."""
    model.train()
    order = torch.randperm(len(images), generator=generator)
    total_loss, correct = 0.0, 0
    for start in range(0, len(order) - recipe.batch_size + 1, recipe.batch_size):
        index = order[start : start + recipe.batch_size]
        batch = random_crop_flip(images[index], recipe.crop_padding, generator)
        batch = batch.contiguous(memory_format=torch.channels_last)
        target = labels[index]
        with autocast(recipe.bf16):
            logits = model(batch).float()
        loss = F.cross_entropy(logits, target, label_smoothing=recipe.label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        total_loss += loss.item() * len(index)
        correct += (logits.argmax(1) == target).sum().item()
    seen = len(order) // recipe.batch_size * recipe.batch_size
    return total_loss / seen, correct / seen


def autocast(bf16: bool) -> torch.autocast:
    """CPU autocast context: bfloat16 convolutions when `bf16`, else plain float32."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)


@torch.no_grad()
def evaluate(
    model: nn.Module, images: torch.Tensor, labels: torch.Tensor, recipe: Recipe, flip: bool
) -> tuple[float, float]:
    """Mean cross-entropy and accuracy on `images: (N, 3, 32, 32) uint8`.

    With `flip`, the logits of each image and its mirror image are averaged.
    """
    model.eval()
    total_loss, correct = 0.0, 0
    for start in range(0, len(images), recipe.eval_batch_size):
        stop = start + recipe.eval_batch_size
        batch = images[start:stop].contiguous(memory_format=torch.channels_last)
        target = labels[start:stop]
        with autocast(recipe.bf16):
            logits = model(batch).float()
            if flip:
                logits = (logits + model(batch.flip(-1)).float()) / 2
        total_loss += F.cross_entropy(logits, target, reduction="sum").item()
        correct += (logits.argmax(1) == target).sum().item()
    return total_loss / len(images), correct / len(images)


def fit(
    model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    val: tuple[torch.Tensor, torch.Tensor],
    recipe: Recipe,
    epochs: int,
    seed: int,
) -> list[dict[str, float]]:
    """Train with SGD + Nesterov, one-cycle LR and early stopping; keeps the best weights.

    Returns one record per epoch run: train/val loss and accuracy, LR at the end, seconds.
    """
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.SGD(
        model.parameters(),
        lr=recipe.max_lr,
        momentum=recipe.momentum,
        nesterov=True,
        weight_decay=recipe.weight_decay,
    )
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=recipe.max_lr,
        epochs=epochs,
        steps_per_epoch=-(-len(train[0]) // recipe.batch_size),  # ceil: the last, partial batch too
        pct_start=0.25,
        anneal_strategy="linear",
    )
    stopper = EarlyStopping(patience=recipe.patience, mode="max")
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        train_loss, train_acc = train_epoch(model, *train, recipe, optimizer, scheduler, generator)
        val_loss, val_acc = evaluate(model, *val, recipe, flip=False)
        seconds = time.perf_counter() - start
        record = {
            "epoch": epoch, "train_loss": train_loss, "train_acc": train_acc,
            "val_loss": val_loss, "val_acc": val_acc,
            "lr": scheduler.get_last_lr()[0], "seconds": seconds,
        }  # fmt: skip
        history.append(record)
        print(
            f"epoch {epoch:2d}  train loss {train_loss:.3f} acc {train_acc:.4f}  "
            f"val loss {val_loss:.3f} acc {val_acc:.4f}  lr {record['lr']:.4f}  "
            f"{seconds:5.1f}s  {len(train[0]) / seconds:6.0f} img/s",
            flush=True,
        )
        if stopper.step(val_acc, model):
            print(f"early stop: no val improvement since epoch {stopper.best_epoch + 1}")
            break
    stopper.restore(model)
    return history


# --------------------------------------------------------------------------- report


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("/tmp/cifar10-jpeg"),
        help="ImageFolder copy: DIR/train/<class>/*.jpg, DIR/test/<class>/*.jpg",
    )
    parser.add_argument("--epochs", type=int, default=10, help="epoch budget of the schedule")
    parser.add_argument("--seed", type=int, default=0, help="init, shuffling, augmentation")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--json", type=Path, help="write the summary here")
    return parser.parse_args()  # fmt: skip


def main() -> None:
    """Decode, split, train, test, print and optionally save the summary."""
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    recipe = Recipe()

    try:
        loaded = {name: cifar_data.load_split(args.data, name) for name in ("train", "test")}
    except UserError as error:
        raise SystemExit(f"error: {error}") from None
    load_seconds = sum(part.seconds for part in loaded.values())
    cached = all(part.from_cache for part in loaded.values())
    source = "cache load" if cached else "decode"
    test = loaded["test"].split
    print(f"data: {source} {load_seconds:.1f}s  train {tuple(loaded['train'].split.images.shape)}  "
          f"test {tuple(test.images.shape)}")  # fmt: skip
    train_split, val_split = cifar_data.train_val_split(loaded["train"].split)
    train = (train_split.images, train_split.labels)
    val = (val_split.images, val_split.labels)

    model = build_model(recipe.widths, recipe.dropout).to(memory_format=torch.channels_last)
    parameters = sum(p.numel() for p in model.parameters())
    print(f"model: widths {recipe.widths}  {parameters:,} parameters  recipe {recipe}")

    start = time.perf_counter()
    history = fit(model, train, val, recipe, args.epochs, args.seed)
    train_seconds = time.perf_counter() - start

    start = time.perf_counter()
    _, test_acc = evaluate(model, test.images, test.labels, recipe, flip=True)
    _, test_acc_plain = evaluate(model, test.images, test.labels, recipe, flip=False)
    test_seconds = time.perf_counter() - start

    summary = {
        "test_acc": test_acc,
        "test_acc_no_flip": test_acc_plain,
        "epochs_run": len(history),
        "best_epoch": max(history, key=lambda r: r["val_acc"])["epoch"],
        "best_val_acc": max(r["val_acc"] for r in history),
        "train_seconds": train_seconds,
        "test_seconds": test_seconds,
        "data_seconds": load_seconds,
        "data_from_cache": cached,
        "train_images_per_second": len(history) * len(train[0]) / train_seconds,
        "parameters": parameters,
        "seed": args.seed,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "cpu": cpu_model(),
        "recipe": asdict(recipe),
        "history": history,
    }
    print(
        f"\nsummary: test acc {test_acc:.4f} (flip TTA; {test_acc_plain:.4f} without)  "
        f"epochs {len(history)} (best {summary['best_epoch']})  train {train_seconds:.1f}s  "
        f"{source} {load_seconds:.1f}s  {summary['train_images_per_second']:.0f} img/s  "
        f"threads {summary['threads']}  torch {torch.__version__}  cpu {summary['cpu']}"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
