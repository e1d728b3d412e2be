// Synthetic, realistic model files for the benchmark: many nn.Module classes with Sequential stacks, loops, helpers, residual forwards.

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same files and edits. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = `"""Synthetic model zoo for the Shape Lens benchmark."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

`;

type Template = (i: number, r: () => number) => string;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** A ResNet-style family: a conv-bn-relu helper, a residual block, a net with a loop-built stage. */
const resnet: Template = (i, r) => {
  const w = pick(r, [16, 24, 32]);
  const depth = pick(r, [2, 3]);
  const size = pick(r, [32, 48, 64]);
  return `
def conv_bn_${i}(cin, cout, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class ResBlock${i}(nn.Module):
    """Two 3x3 convolutions and a skip connection."""

    def __init__(self, channels, expansion=1):
        super().__init__()
        hidden = channels * expansion
        self.conv1 = nn.Conv2d(channels, hidden, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(hidden)
        self.conv2 = nn.Conv2d(hidden, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + x)


# shape-lens: input=(1, 3, ${size}, ${size})
class ResNet${i}(nn.Module):
    def __init__(self, width=${w}, depth=${depth}, num_classes=10):
        super().__init__()
        self.stem = conv_bn_${i}(3, width)
        layers = []
        for _ in range(depth):
            layers.append(ResBlock${i}(width))
        self.stage1 = nn.Sequential(*layers)
        self.down = conv_bn_${i}(width, width * 2, stride=2)
        self.stage2 = nn.Sequential(*[ResBlock${i}(width * 2) for _ in range(depth)])
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(width * 2, num_classes),
        )

    def _features(self, x):
        x = self.stem(x)
        x = self.stage1(x)
        x = self.down(x)
        return self.stage2(x)

    def forward(self, x):
        return self.head(self._features(x))
`;
};

/** A plain Sequential classifier built at module level, called by driver code. */
const sequential: Template = (i, r) => {
  const c = pick(r, [8, 16, 32]);
  const size = pick(r, [28, 32]);
  const pooled = Math.floor(Math.floor(size / 2) / 2);
  return `
classifier_${i} = nn.Sequential(
    nn.Conv2d(1, ${c}, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(${c}, ${c * 2}, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(${c * 2} * ${pooled} * ${pooled}, 128),
    nn.ReLU(),
    nn.Dropout(0.5),
    nn.Linear(128, 10),
)
logits_${i} = classifier_${i}(torch.randn(4, 1, ${size}, ${size}))
`;
};

/** An MLP with a configurable stack, a helper method and a residual projection. */
const mlp: Template = (i, r) => {
  const d = pick(r, [64, 128, 256]);
  const hidden = pick(r, [2, 4]);
  return `
class MlpBlock${i}(nn.Module):
    def __init__(self, dim, ratio=${hidden}, p=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim * ratio)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(dim * ratio, dim)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        y = self.fc2(self.act(self.fc1(self.norm(x))))
        return x + self.drop(y)


class Mlp${i}(nn.Module):
    def __init__(self, in_dim=${d}, dim=${d}, blocks=3, out_dim=10):
        super().__init__()
        self.embed = nn.Linear(in_dim, dim)
        self.blocks = nn.ModuleList([MlpBlock${i}(dim) for _ in range(blocks)])
        self.out = nn.Linear(dim, out_dim)

    def encode(self, x):
        x = self.embed(x)
        for blk in self.blocks:
            x = blk(x)
        return x

    def forward(self, x):
        return self.out(self.encode(x))


mlp_${i} = Mlp${i}()
y_${i} = mlp_${i}(torch.randn(8, ${d}))
`;
};

/** A 1-d convolutional encoder for sequences, with a view and a transpose in forward. */
const audio: Template = (i, r) => {
  const c = pick(r, [16, 32]);
  const len = pick(r, [1000, 4000, 16000]);
  return `
class AudioEncoder${i}(nn.Module):
    def __init__(self, channels=${c}, n_mels=40):
        super().__init__()
        self.frontend = nn.Sequential(
            nn.Conv1d(1, channels, kernel_size=9, stride=4, padding=4),
            nn.BatchNorm1d(channels),
            nn.ReLU(),
            nn.Conv1d(channels, channels * 2, kernel_size=5, stride=2, padding=2),
            nn.BatchNorm1d(channels * 2),
            nn.ReLU(),
        )
        self.proj = nn.Conv1d(channels * 2, n_mels, 1)
        self.gru = nn.GRU(n_mels, 64, batch_first=True)
        self.fc = nn.Linear(64, 12)

    def forward(self, wave):
        x = self.frontend(wave)
        x = self.proj(x)
        x = x.transpose(1, 2)
        x, _ = self.gru(x)
        return self.fc(x[:, -1])


encoder_${i} = AudioEncoder${i}()
scores_${i} = encoder_${i}(torch.randn(2, 1, ${len}))
`;
};

/** A small encoder-decoder (U-Net flavoured) with upsampling and a concatenation. */
const unet: Template = (i, r) => {
  const c = pick(r, [8, 16]);
  const size = pick(r, [64, 96, 128]);
  return `
def double_conv_${i}(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1),
        nn.ReLU(inplace=True),
    )


# shape-lens: input=(1, 3, ${size}, ${size})
class TinyUNet${i}(nn.Module):
    def __init__(self, c=${c}):
        super().__init__()
        self.enc1 = double_conv_${i}(3, c)
        self.enc2 = double_conv_${i}(c, c * 2)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(c * 2, c, 2, stride=2)
        self.dec = double_conv_${i}(c * 2, c)
        self.out = nn.Conv2d(c, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        d = self.up(e2)
        d = self.dec(torch.cat([d, e1], dim=1))
        return torch.sigmoid(self.out(d))
`;
};

const TEMPLATES: readonly Template[] = [resnet, sequential, mlp, audio, unet];

/** A model file of about `lines` lines (the last unit may overshoot by one unit). */
export function generateModelFile(lines: number, seed = 1): string {
  const r = rng(seed);
  let text = HEADER;
  let n = text.split("\n").length;
  for (let i = 0; n < lines; i++) {
    const unit = TEMPLATES[i % TEMPLATES.length](i, r) + "\n";
    text += unit;
    n += unit.split("\n").length - 1;
  }
  return text;
}

/** Offsets of digits inside the argument lists of `nn.X(...)` layer constructions (edit targets). */
export function layerArgumentDigits(text: string): number[] {
  const out: number[] = [];
  const re = /nn\.[A-Z]\w*\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (ch === "(") depth++;
      else if (ch === ")") depth--;
      else if (ch >= "1" && ch <= "9" && !/[\w.]/.test(text[i - 1] ?? "")) out.push(i);
    }
  }
  return out;
}

/** Replace the digit at `offset` with another non-zero digit (a one-character edit). */
export function editDigit(text: string, offset: number, r: () => number): string {
  const old = text.charCodeAt(offset) - 48;
  let d = 1 + Math.floor(r() * 9);
  if (d === old) d = (d % 9) + 1;
  return text.slice(0, offset) + String(d) + text.slice(offset + 1);
}
