"""Exercise: the CIFAR-10 mini challenge (course notes, "Mini Challenge: Build a Complete Vision System").

Build a ResNet-style network from YOUR ResidualBlock, with BatchNorm and Dropout; write the
data augmentation; write the training loop with an LR schedule and YOUR EarlyStopping. Then
`course train cifar_challenge` trains it on CIFAR-10 (45k train / 5k validation images, a
fixed split of the training set; the 10k test images are never shown to training) and saves
the best checkpoint, and `course grade cifar_challenge` evaluates that checkpoint on the test
set: the goal is >= 80% test accuracy within 30 epochs, on a laptop CPU.

How the kit calls your code:
    model = build_model()
    train_loader: batches of (train_transform()(images), labels), shuffled, 256 per batch
    val_loader:   batches of (eval_transform()(images), labels), in order
    history = train(model, train_loader, val_loader, epochs, device)
The transforms are applied to whole batches: images (B, 3, 32, 32) uint8 in [0, 255].
Decoding the images once and augmenting batches of tensors (instead of one PIL image at a
time) is what makes CPU training fast.

Do not use torchvision's ready-made models (torchvision.models): the point is your own network.
Keep build_model's forward and eval_transform to tensor operations: `course train` saves them
together with torch.export, so that the grader can evaluate your model without your code.
Fast-training ideas that help on a CPU: a small network that halves the image in its first
convolution (stride 2), so that every residual block works at 16x16 pixels or fewer (widths
32-64-96, about 0.2M parameters; channel counts that are multiples of 16 run fastest on
CPUs); SGD with Nesterov momentum and a one-cycle schedule with a high peak rate; label
smoothing; bfloat16 autocast; channels_last memory format.
"""

import torch
from early_stopping import EarlyStopping
from residual_block import ResidualBlock
from torch import nn
from torch.nn import functional as F

MEAN = (0.4914, 0.4822, 0.4465)
"""Per-channel mean of the CIFAR-10 training images, in [0, 1]."""
STD = (0.2470, 0.2435, 0.2616)
"""Per-channel standard deviation of the CIFAR-10 training images, in [0, 1]."""
CROP_PADDING = 4
"""Random crops may shift an image by up to this many pixels in each direction."""

WIDTHS = (32, 64, 96)
DROPOUT = 0.1
MAX_LR = 0.4
WEIGHT_DECAY = 5e-4
LABEL_SMOOTHING = 0.1
PATIENCE = 5


def build_model(num_classes: int = 10) -> nn.Module:
    """A ResNet-style classifier for normalised CIFAR-10 images.

    x: (B, 3, 32, 32) float32, as eval_transform makes it -> logits (B, num_classes).
    Must contain at least two of your ResidualBlocks (at least one with stride 2), BatchNorm,
    and Dropout (active in train mode, off in eval mode).
    """
    ### BEGIN SOLUTION
    layers: list[nn.Module] = [
        nn.Conv2d(3, WIDTHS[0], 3, stride=2, padding=1, bias=False),  # (B, 32, 16, 16)
        nn.BatchNorm2d(WIDTHS[0]),
        nn.ReLU(inplace=True),
    ]
    in_channels = WIDTHS[0]
    for index, width in enumerate(WIDTHS):  # 16x16 -> 16 -> 8 -> 4
        layers.append(ResidualBlock(in_channels, width, stride=1 if index == 0 else 2))
        in_channels = width
    layers += [
        nn.AdaptiveAvgPool2d(1),  # (B, 96, 1, 1)
        nn.Flatten(),  # (B, 96)
        nn.Dropout(DROPOUT),
        nn.Linear(in_channels, num_classes),  # (B, num_classes)
    ]
    return nn.Sequential(*layers)
    ### END SOLUTION


def eval_transform():
    """A callable: images (B, 3, 32, 32) uint8 -> (B, 3, 32, 32) float32, nothing random.

    Normalises every channel c: (x / 255 - MEAN[c]) / STD[c].
    """
    ### BEGIN SOLUTION
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)

    def normalise(images: torch.Tensor) -> torch.Tensor:
        return (images.float() / 255 - mean) / std

    return normalise
    ### END SOLUTION


def train_transform():
    """A callable: images (B, 3, 32, 32) uint8 -> (B, 3, 32, 32) float32, random.

    For each image independently: a random 32x32 crop of the image padded by CROP_PADDING
    pixels on every side (any padding mode; every shift from -CROP_PADDING to CROP_PADDING,
    in each direction, equally likely), then a horizontal flip with probability 1/2, then
    the normalisation of eval_transform. Nothing else.
    Careful: torchvision's v2.RandomCrop / v2.RandomHorizontalFlip called on a batch draw ONE
    crop and ONE flip for the whole batch; index the padded batch per image instead.
    """
    ### BEGIN SOLUTION
    normalise = eval_transform()

    def augment(images: torch.Tensor) -> torch.Tensor:
        batch, _, height, width = images.shape
        padded = F.pad(images, (CROP_PADDING,) * 4, mode="reflect")  # (B, 3, 40, 40)
        crops = padded.unfold(2, height, 1).unfold(3, width, 1)  # (B, 3, 9, 9, H, W), a view
        dy = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))
        dx = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))
        cropped = crops[torch.arange(batch), :, dy, dx]  # (B, 3, H, W): one crop per image
        flip = torch.rand(batch) < 0.5
        flipped = torch.where(flip[:, None, None, None], cropped.flip(-1), cropped)
        return normalise(flipped)  # (B, 3, H, W)

    return augment
    ### END SOLUTION


def train(model: nn.Module, train_loader, val_loader, epochs: int, device) -> list[dict]:
    """Train `model` on train_loader for at most `epochs` epochs; return the history.

    train_loader, val_loader: iterables of (images (B, 3, 32, 32) float32, labels (B,) int64),
        with len() = batches per pass. Train only on train_loader: val_loader only measures.
    device: a torch.device or "cpu"/"cuda"; move the model and every batch there.
    Each epoch: model.train() and one pass over train_loader with an optimizer and an LR
    schedule; then model.eval() and, under torch.no_grad(), one pass over val_loader.
    Any schedule that changes the rate counts, a warm-up within the first epoch followed
    by a constant rate included. A pass over val_loader before the first epoch that only
    measures the untrained weights (eval mode, torch.no_grad(); a baseline, like
    Lightning's sanity check) is allowed and is not an epoch: it gets no record, and early
    stopping starts with epoch 1.
    Early stopping with your EarlyStopping (patience at most 10) on the validation loss or
    accuracy; when training ends (stopped early or out of epochs), the model holds the
    weights of its best validation epoch.
    Returns one dict per epoch run, in order:
        {"epoch": 1, "train_loss": float, "train_acc": float, "val_loss": float,
         "val_acc": float, "lr": float}      (accuracies in [0, 1], lr at the epoch's end)
    val_loss is the mean cross-entropy over every validation image (no label smoothing),
    val_acc the fraction of them classified correctly.
    """
    ### BEGIN SOLUTION
    device = torch.device(device)
    model.to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(
        model.parameters(), lr=MAX_LR, momentum=0.9, nesterov=True, weight_decay=WEIGHT_DECAY
    )
    steps = epochs * len(train_loader)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(  # +1: the last step stays on the schedule
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
        history.append({
            "epoch": epoch, "train_loss": train_loss, "train_acc": train_acc,
            "val_loss": val_loss, "val_acc": val_acc, "lr": scheduler.get_last_lr()[0],
        })  # fmt: skip
        if stopper.step(val_acc, model):
            break
    stopper.restore(model)
    return history
    ### END SOLUTION


def run_epoch(model, loader, device, optimizer=None, scheduler=None) -> tuple[float, float]:
    """One pass over `loader`, with an update per batch when an optimizer is given.

    Returns (mean cross-entropy, accuracy). Training uses label smoothing; measuring does not.
    """
    ### BEGIN SOLUTION
    use_bf16 = device.type == "cuda" or torch.ops.mkldnn._is_mkldnn_bf16_supported()
    total_loss, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        images = images.to(device, memory_format=torch.channels_last, non_blocking=True)
        labels = labels.to(device, non_blocking=True)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
            logits = model(images).float()  # (B, classes)
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
    return total_loss / seen, correct / seen
    ### END SOLUTION
