"""A correct cifar_challenge written differently: torchvision v2 normalisation, a crop loop per
image with zero padding, AdamW with a per-epoch cosine schedule, early stopping on the
validation loss. Same layers as the reference (so the reference's saved run fits it)."""

import torch
from early_stopping import EarlyStopping
from residual_block import ResidualBlock
from torch import nn
from torchvision.transforms import v2

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)
CROP_PADDING = 4


def build_model(num_classes: int = 10) -> nn.Module:
    stem = [
        nn.Conv2d(3, 32, kernel_size=3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(32),
        nn.ReLU(),
    ]
    blocks = [ResidualBlock(32, 32), ResidualBlock(32, 64, 2), ResidualBlock(64, 96, 2)]
    head = [
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(),
        nn.Dropout(p=0.2),
        nn.Linear(96, num_classes),
    ]
    return nn.Sequential(*stem, *blocks, *head)


def eval_transform():
    return v2.Compose([v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])


def train_transform():
    normalise = eval_transform()

    def augment(images):
        size = images.shape[-1]
        padded = nn.functional.pad(images, [CROP_PADDING] * 4)  # zeros around each image
        out = torch.empty_like(images)
        offsets = torch.randint(0, 2 * CROP_PADDING + 1, (len(images), 2)).tolist()
        for index, (top, left) in enumerate(offsets):
            out[index] = padded[index, :, top : top + size, left : left + size]
        mirrored = torch.rand(len(images)) < 0.5
        out[mirrored] = out[mirrored].flip(3)
        return normalise(out)

    return augment


def train(model, train_loader, val_loader, epochs, device):
    model = model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    stopper = EarlyStopping(patience=3)
    history = []
    for epoch in range(epochs):
        model.train()
        sums = [0.0, 0, 0]
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            loss = nn.functional.cross_entropy(logits, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            sums[0] += loss.item() * len(y)
            sums[1] += (logits.argmax(1) == y).sum().item()
            sums[2] += len(y)
        schedule.step()
        model.eval()
        val = [0.0, 0, 0]
        with torch.no_grad():
            for x, y in val_loader:
                x, y = x.to(device), y.to(device)
                logits = model(x)
                val[0] += nn.functional.cross_entropy(logits, y, reduction="sum").item()
                val[1] += (logits.argmax(1) == y).sum().item()
                val[2] += len(y)
        history.append(
            {
                "epoch": epoch + 1,
                "train_loss": sums[0] / sums[2],
                "train_acc": sums[1] / sums[2],
                "val_loss": val[0] / val[2],
                "val_acc": val[1] / val[2],
                "lr": optimizer.param_groups[0]["lr"],
            }
        )
        if stopper.step(val[0] / val[2], model):
            break
    stopper.restore(model)
    return history
