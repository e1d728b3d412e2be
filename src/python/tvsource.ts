// torchvision 0.14's classification models (BSD-3-Clause, (c) Soumith Chintala 2016), cut down to what shapes and counts need.

/**
 * The builders and module classes of torchvision.models as torchvision 0.14 defines them, with
 * the module names and registration order kept (layer paths match named_modules()); weights
 * loading, weight initialisation, logging and typing are dropped (none changes a shape or a count).
 * A builder takes `weights` / `pretrained` / `progress` as torchvision does: pretrained weights
 * fix num_classes to 1000, as torchvision checks.
 */
export const TV_SOURCE = `
import copy
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from collections import OrderedDict
from functools import partial

_UNSET = object()


class _Weights:
    def __init__(self, enum, name, crop=224):
        self._enum = enum
        self.name = name
        self.value = self
        self.meta = {"categories": _CATEGORIES, "min_size": (1, 1)}
        self.crop = crop

    def transforms(self, *args, **kwargs):
        return _ImageClassification(self.crop)

    def get_state_dict(self, *args, **kwargs):
        return {}

    def __repr__(self):
        return self._enum + "." + self.name


class _WeightsEnum:
    @classmethod
    def verify(cls, obj):
        if obj is None:
            return None
        if isinstance(obj, str):
            name = obj.replace(cls.__name__ + ".", "")
            if not hasattr(cls, name):
                raise ValueError(f"Failed to find Weights {obj} in {cls.__name__}.")
            return getattr(cls, name)
        if isinstance(obj, _Weights) and obj._enum != cls.__name__:
            raise TypeError(f"Invalid Weight class provided; expected {cls.__name__} but received {obj._enum}.")
        return obj


class _ImageClassification:
    def __init__(self, crop):
        self.crop = crop

    def __call__(self, img):
        return torch.zeros(*img.shape[:-2], self.crop, self.crop)


def _legacy(name, weights, kwargs, enum):
    given = weights is not _UNSET
    if given and (weights is None or isinstance(weights, _Weights) or (isinstance(weights, str) and weights != "legacy")):
        return enum.verify(weights)
    if not given and "pretrained" not in kwargs:
        return None
    pretrained = weights if given else kwargs["pretrained"]
    kwargs.pop("pretrained", None)
    if not pretrained:
        return None
    if enum is None:
        raise ValueError(f"No weights available for model {name}")
    return enum.DEFAULT


def _ovewrite_named_param(kwargs, param, new_value):
    if param in kwargs:
        if kwargs[param] != new_value:
            raise ValueError(f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead.")
    else:
        kwargs[param] = new_value


def _classes(weights, kwargs):
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class ConvNormActivation(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None, groups=1,
                 norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1, inplace=True, bias=None,
                 conv_layer=nn.Conv2d):
        if padding is None:
            if isinstance(kernel_size, int) and isinstance(dilation, int):
                padding = (kernel_size - 1) // 2 * dilation
            else:
                n = len(kernel_size) if isinstance(kernel_size, (tuple, list)) else len(dilation)
                kernel_size = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * n
                dilation = tuple(dilation) if isinstance(dilation, (tuple, list)) else (dilation,) * n
                padding = tuple((kernel_size[i] - 1) // 2 * dilation[i] for i in range(n))
        if bias is None:
            bias = norm_layer is None
        layers = [conv_layer(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation, groups=groups,
                             bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            params = {} if inplace is None else {"inplace": inplace}
            layers.append(activation_layer(**params))
        super().__init__(*layers)
        self.out_channels = out_channels


class Conv2dNormActivation(ConvNormActivation):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None, groups=1,
                 norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1, inplace=True, bias=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, groups, norm_layer,
                         activation_layer, dilation, inplace, bias, nn.Conv2d)


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU, scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def _scale(self, input):
        scale = self.avgpool(input)
        scale = self.fc1(scale)
        scale = self.activation(scale)
        scale = self.fc2(scale)
        return self.scale_activation(scale)

    def forward(self, input):
        scale = self._scale(input)
        return scale * input


def stochastic_depth(input, p, mode, training=True):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"drop probability has to be between 0 and 1, but got {p}")
    if mode not in ["batch", "row"]:
        raise ValueError(f"mode has to be either 'batch' or 'row', but got {mode}")
    return input


class StochasticDepth(nn.Module):
    def __init__(self, p, mode):
        super().__init__()
        self.p = p
        self.mode = mode

    def forward(self, input):
        return stochastic_depth(input, self.p, self.mode, self.training)


`;
