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
    # YOUR CODE HERE
    raise NotImplementedError("build_model")


def eval_transform():
    """A callable: images (B, 3, 32, 32) uint8 -> (B, 3, 32, 32) float32, nothing random.

    Normalises every channel c: (x / 255 - MEAN[c]) / STD[c].
    """
    # YOUR CODE HERE
    raise NotImplementedError("eval_transform")


def train_transform():
    """A callable: images (B, 3, 32, 32) uint8 -> (B, 3, 32, 32) float32, random.

    For each image independently: a random 32x32 crop of the image padded by CROP_PADDING
    pixels on every side (any padding mode; every shift from -CROP_PADDING to CROP_PADDING,
    in each direction, equally likely), then a horizontal flip with probability 1/2, then
    the normalisation of eval_transform. Nothing else.
    Careful: torchvision's v2.RandomCrop / v2.RandomHorizontalFlip called on a batch draw ONE
    crop and ONE flip for the whole batch; index the padded batch per image instead.
    """
    # YOUR CODE HERE
    raise NotImplementedError("train_transform")


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
    # YOUR CODE HERE
    raise NotImplementedError("train")


def run_epoch(model, loader, device, optimizer=None, scheduler=None) -> tuple[float, float]:
    """One pass over `loader`, with an update per batch when an optimizer is given.

    Returns (mean cross-entropy, accuracy). Training uses label smoothing; measuring does not.
    """
    # YOUR CODE HERE
    raise NotImplementedError("run_epoch")
