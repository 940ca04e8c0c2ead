"""Exercise: a ResNet residual block with BatchNorm (course notes §2 ResNet, §3 BatchNorm).

A residual block adds its input back to what its layers computed, so the layers only have
to learn the residual F(x) = desired - x, and gradients get an express lane backwards:

    main path:  conv1 (3x3, stride, padding 1) -> bn1 -> ReLU -> conv2 (3x3, padding 1) -> bn2
    skip path:  shortcut(x): identity, or a 1x1 conv (same stride) + BatchNorm when the
                shape changes (stride != 1 or in_channels != out_channels)
    output   =  ReLU(main(x) + shortcut(x))        (the ReLU comes AFTER the addition)

The attribute names conv1, bn1, conv2, bn2 and shortcut are part of the contract: the
grader loads the same weights into your block and a reference by these names.
Convolutions have no bias (bias=False): the BatchNorm after each one has its own shift.
"""

import torch
from torch import nn


class ResidualBlock(nn.Module):
    """Two 3x3 convolutions with BatchNorm and a skip connection.

    ResidualBlock(in_channels, out_channels=None, stride=1); out_channels=None means
    in_channels.
    x: (N, C_in, H, W) -> (N, C_out, H', W') with H' = floor((H - 1) / stride) + 1
    (the same for W'): stride 1 keeps the size, stride 2 halves it (rounding up).

    Attributes:
        conv1: nn.Conv2d(C_in, C_out, 3, stride=stride, padding=1, bias=False)
        bn1: nn.BatchNorm2d(C_out)
        conv2: nn.Conv2d(C_out, C_out, 3, stride=1, padding=1, bias=False)
        bn2: nn.BatchNorm2d(C_out)
        shortcut: nn.Identity() when stride == 1 and C_in == C_out, else
            nn.Sequential(nn.Conv2d(C_in, C_out, 1, stride=stride, bias=False),
                          nn.BatchNorm2d(C_out)).
            Where the shape does not change, any module without parameters or buffers that
            returns its input unchanged (in train and eval mode) is the identity too, e.g. an
            empty nn.Sequential(); one that computes something (a ReLU, a Dropout, a scaling)
            is not.
    """

    def __init__(self, in_channels: int, out_channels: int | None = None, stride: int = 1):
        super().__init__()
        out_channels = in_channels if out_channels is None else out_channels
        ### BEGIN SOLUTION
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if stride == 1 and in_channels == out_channels:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (N, C_in, H, W) -> (N, C_out, H', W')."""
        ### BEGIN SOLUTION
        out = torch.relu(self.bn1(self.conv1(x)))  # (N, C_out, H', W')
        out = self.bn2(self.conv2(out))  # (N, C_out, H', W')
        return torch.relu(out + self.shortcut(x))
        ### END SOLUTION
