"""A correct cifar_challenge written differently: replicate padding and shifts drawn from
-4..4, a per-batch warm-up that starts at learning rate 0, then a linear decay (the first step changes nothing),
train accuracy from a second forward pass of each batch, validation summed with
reduction="sum" over a short last batch. Same layers as the reference."""

import torch
from early_stopping import EarlyStopping
from residual_block import ResidualBlock
from torch import nn
from torch.nn import functional as F

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)
CROP_PADDING = 4


def build_model(num_classes: int = 10) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        ResidualBlock(32),
        ResidualBlock(32, 64, stride=2),
        ResidualBlock(64, 96, stride=2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.1),
        nn.Linear(96, num_classes),
    )


def eval_transform():
    mean = torch.tensor(MEAN)[:, None, None]
    std = torch.tensor(STD)[:, None, None]
    return lambda images: (images.to(torch.float32).div(255) - mean) / std


def train_transform():
    normalise = eval_transform()

    def augment(images):
        padded = F.pad(images.float(), (CROP_PADDING,) * 4, mode="replicate")  # (B, 3, 40, 40)
        shifts = torch.randint(-CROP_PADDING, CROP_PADDING + 1, (len(images), 2))
        crops = torch.stack([
            padded[i, :, CROP_PADDING + dy : CROP_PADDING + dy + 32, CROP_PADDING + dx : CROP_PADDING + dx + 32]
            for i, (dy, dx) in enumerate(shifts.tolist())
        ])  # fmt: skip
        flip = torch.rand(len(images), 1, 1, 1) < 0.5
        return normalise(torch.where(flip, crops.flip(-1), crops))

    return augment


def train(model, train_loader, val_loader, epochs, device):
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    warmup, total = len(train_loader), epochs * len(train_loader) + 1
    schedule = torch.optim.lr_scheduler.LambdaLR(  # up from 0 for an epoch, then down to 0
        optimizer, lambda step: min(step / warmup, (total - step) / (total - warmup))
    )
    stopper = EarlyStopping(patience=4, mode="min")
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        train_loss = train_correct = train_seen = 0
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            loss = F.cross_entropy(model(images), labels, label_smoothing=0.1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            train_correct += (model(images).argmax(1) == labels).sum().item()
            train_loss += loss.item() * len(labels)
            train_seen += len(labels)
        model.eval()
        val_loss = val_correct = val_seen = 0
        with torch.no_grad():
            for images, labels in val_loader:
                images, labels = images.to(device), labels.to(device)
                logits = model(images)
                val_loss += F.cross_entropy(logits, labels, reduction="sum").item()
                val_correct += (logits.argmax(1) == labels).sum().item()
                val_seen += len(labels)
        history.append({
            "epoch": epoch, "train_loss": train_loss / train_seen,
            "train_acc": train_correct / train_seen, "val_loss": val_loss / val_seen,
            "val_acc": val_correct / val_seen, "lr": optimizer.param_groups[0]["lr"],
        })  # fmt: skip
        if stopper.step(val_loss / val_seen, model):
            break
    stopper.restore(model)
    return history
