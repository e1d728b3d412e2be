# A tiny model for the integration smoke suite: opening it activates Shape Lens.
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 8, kernel_size=3),
    nn.ReLU(),
    nn.Flatten(),
    nn.Linear(8 * 30 * 30, 10),
)
