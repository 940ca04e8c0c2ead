"""A correct cifar_challenge written differently: the reference, plus one last validation
pass after the loop that measures the restored best weights and prints their numbers (in
eval mode, without gradients). That pass measures; it is not an epoch of training."""

import torch
from early_stopping import EarlyStopping
from residual_block import ResidualBlock
from torch import nn
from torch.nn import functional as F

MEAN = (0.4914, 0.4822, 0.4465)
"Per-channel mean of the CIFAR-10 training images, in [0, 1]."
STD = (0.247, 0.2435, 0.2616)
"Per-channel standard deviation of the CIFAR-10 training images, in [0, 1]."
CROP_PADDING = 4
"Random crops may shift an image by up to this many pixels in each direction."
WIDTHS = (16, 32, 64, 128)
DROPOUT = 0.1
MAX_LR = 0.2
WEIGHT_DECAY = 0.0005
LABEL_SMOOTHING = 0.1
PATIENCE = 5


def build_model(num_classes: int = 10) -> nn.Module:
    layers: list[nn.Module] = [
        nn.Conv2d(3, WIDTHS[0], 3, padding=1, bias=False),
        nn.BatchNorm2d(WIDTHS[0]),
        nn.ReLU(inplace=True),
    ]
    in_channels = WIDTHS[0]
    for index, width in enumerate(WIDTHS):
        layers.append(ResidualBlock(in_channels, width, stride=1 if index == 0 else 2))
        in_channels = width
    layers += [
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(DROPOUT),
        nn.Linear(in_channels, num_classes),
    ]
    return nn.Sequential(*layers)


def eval_transform():
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)

    def normalise(images: torch.Tensor) -> torch.Tensor:
        return (images.float() / 255 - mean) / std

    return normalise


def train_transform():
    normalise = eval_transform()

    def augment(images: torch.Tensor) -> torch.Tensor:
        batch, _, height, width = images.shape
        padded = F.pad(images, (CROP_PADDING,) * 4, mode="reflect")
        dy = torch.randint(0, 2 * CROP_PADDING + 1, (batch, 1))
        dx = torch.randint(0, 2 * CROP_PADDING + 1, (batch, 1))
        rows = (dy + torch.arange(height))[:, None, :, None]
        cols = (dx + torch.arange(width))[:, None, None, :]
        flip = torch.rand(batch) < 0.5
        cols = torch.where(flip[:, None, None, None], cols.flip(-1), cols)
        batch_index = torch.arange(batch)[:, None, None, None]
        channel_index = torch.arange(images.shape[1])[None, :, None, None]
        return normalise(padded[batch_index, channel_index, rows, cols])

    return augment


def train(model: nn.Module, train_loader, val_loader, epochs: int, device) -> list[dict]:
    device = torch.device(device)
    model.to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(
        model.parameters(), lr=MAX_LR, momentum=0.9, nesterov=True, weight_decay=WEIGHT_DECAY
    )
    steps = epochs * len(train_loader)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=MAX_LR, total_steps=steps + 1, pct_start=0.25, anneal_strategy="linear"
    )
    stopper = EarlyStopping(patience=PATIENCE, mode="max")
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        train_loss, train_acc = run_epoch(model, train_loader, device, optimizer, scheduler)
        model.eval()
        with torch.no_grad():
            val_loss, val_acc = run_epoch(model, val_loader, device)
        history.append(
            {
                "epoch": epoch,
                "train_loss": train_loss,
                "train_acc": train_acc,
                "val_loss": val_loss,
                "val_acc": val_acc,
                "lr": scheduler.get_last_lr()[0],
            }
        )
        if stopper.step(val_acc, model):
            break
    stopper.restore(model)
    model.eval()
    with torch.no_grad():
        best_loss, best_acc = run_epoch(model, val_loader, device)
    print(f"restored weights: val_loss {best_loss:.4f}, val_acc {best_acc:.2%}")
    return history


def run_epoch(model, loader, device, optimizer=None, scheduler=None) -> tuple[float, float]:
    use_bf16 = device.type == "cuda" or torch.ops.mkldnn._is_mkldnn_bf16_supported()
    total_loss, correct, seen = (0.0, 0, 0)
    for images, labels in loader:
        images = images.to(device, memory_format=torch.channels_last, non_blocking=True)
        labels = labels.to(device, non_blocking=True)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
            logits = model(images).float()
        smoothing = LABEL_SMOOTHING if optimizer is not None else 0.0
        loss = F.cross_entropy(logits, labels, label_smoothing=smoothing)
        if optimizer is not None:
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
        total_loss += loss.item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        seen += len(labels)
    return (total_loss / seen, correct / seen)
