"""The networks of the CNN-basics article Shape Lens grew from, in one file.

Run `shape-lens examples/seed_networks.py` to see every layer's output shape, parameters,
FLOPs and receptive field. Nothing here is executed by Shape Lens.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Network(nn.Module):
    """Head and tail: two stacks of 5x5 convolutions, each shrinking the map by 4 pixels."""

    def __init__(self):
        super().__init__()
        self.head = nn.Sequential(
            nn.Conv2d(3, 20, 5),
            nn.ReLU(),
            nn.Conv2d(20, 64, 5),
            nn.ReLU(),
        )
        self.tail = nn.Sequential(
            nn.Conv2d(64, 32, 5),
            nn.ReLU(),
            nn.Conv2d(32, 3, 5),
            nn.ReLU(),
        )

    def forward(self, x):
        x = self.head(x)
        x = self.tail(x)
        return x


class SuperResolution(nn.Module):
    """Sub-pixel convolution: features at low resolution, PixelShuffle at the end."""

    def __init__(self, upscale=3):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(64, 32, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(32, upscale ** 2, kernel_size=3, padding=1)
        self.shuffle = nn.PixelShuffle(upscale)

    def forward(self, x):
        x = torch.tanh(self.conv1(x))
        x = torch.tanh(self.conv2(x))
        return torch.sigmoid(self.shuffle(self.conv3(x)))


# shape-lens: input=(1, 1, 3, 3)
class Upscaler(nn.Module):
    """A 3x3 map upsampled to 5x5 by a transposed convolution."""

    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)

    def forward(self, x):
        return self.up(x)


class Refiner(nn.Module):
    """Bicubic upsampling by two, then two convolutions and a residual add."""

    def __init__(self, channels=3, width=16):
        super().__init__()
        self.upsample = nn.Upsample(scale_factor=2, mode="bicubic", align_corners=True)
        self.conv_in = nn.Conv2d(channels, width, 3, padding=1)
        self.act = nn.ReLU(inplace=True)
        self.conv_out = nn.Conv2d(width, channels, 3, padding=1)

    def forward(self, image):
        x = self.upsample(image)
        return self.conv_out(self.act(self.conv_in(x))) + x


class DigitClassifier(nn.Module):
    """Convolutions, then a classifier ending in a (numerically stable) softmax."""

    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 7 * 7, 64),
            nn.ReLU(),
            nn.Linear(64, classes),
            nn.Softmax(dim=1),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


network = Network()
print(network(torch.randn(1, 3, 32, 32)).shape)
sr = SuperResolution(upscale=3)
print(sr(torch.rand(1, 1, 64, 64)).shape)
refiner = Refiner()
print(refiner(torch.rand(1, 3, 24, 24)).shape)
clf = DigitClassifier()
print(clf(torch.randn(4, 1, 28, 28)).shape)
