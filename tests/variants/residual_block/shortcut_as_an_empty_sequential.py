"""The CIFAR-ResNet idiom: the identity shortcut is an empty nn.Sequential(), which returns x
and has no parameters (the same empty state_dict as nn.Identity()), and the projection is
appended to it only when the shape changes; forward with F.relu as most public ResNets do."""

import torch.nn.functional as F
from torch import nn


class ResidualBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes=None, stride=1):
        super().__init__()
        planes = in_planes if planes is None else planes
        self.conv1 = nn.Conv2d(
            in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False
        )
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(
                    in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False
                ),
                nn.BatchNorm2d(self.expansion * planes),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)
