// torchvision.transforms and torchvision.datasets as driver code uses them around a model, written in Python (part of the library prelude).

/**
 * Datasets give what torchvision's give: FakeData a PIL image (made from a random C x H x W tensor)
 * and an int target, MNIST-like / CIFAR-like datasets their PIL images and int targets with
 * their real lengths (no file is read). A PIL image is only its channels and size: ToTensor /
 * PILToTensor turn it into a C x H x W tensor, the geometric transforms resize it, and
 * default_collate refuses it as PyTorch does.
 */
export const VISION_PRELUDE_SOURCE = `
class _PILImage:
    def __init__(self, channels, height, width):
        self.channels = channels
        self.size = (width, height)
        self.width = width
        self.height = height
        self.mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}.get(channels, "RGB")


def _size2(size):
    if isinstance(size, int):
        return size, size
    if len(size) == 1:
        return size[0], size[0]
    return size[0], size[1]


def _hw(img):
    if isinstance(img, _PILImage):
        return img.height, img.width
    return img.shape[-2], img.shape[-1]


def _resized(img, h, w):
    if isinstance(img, _PILImage):
        return _PILImage(img.channels, h, w)
    return torch.zeros(*img.shape[:-2], h, w, dtype=img.dtype)


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img


class _SamePlace:
    """Transforms that keep the shape (Normalize, flips, colour jitter, ...)."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, img):
        return img


class Normalize(_SamePlace):
    pass


class RandomHorizontalFlip(_SamePlace):
    pass


class RandomVerticalFlip(_SamePlace):
    pass


class ColorJitter(_SamePlace):
    pass


class GaussianBlur(_SamePlace):
    pass


class RandomErasing(_SamePlace):
    pass


class ConvertImageDtype(_SamePlace):
    pass


class RandomRotation(_SamePlace):
    pass


class Lambda:
    def __init__(self, lambd):
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)


class ToTensor:
    def __call__(self, pic):
        if _is_unknown(pic):
            return pic
        if not isinstance(pic, _PILImage):
            raise TypeError("pic should be PIL Image or ndarray. Got <class 'torch.Tensor'>")
        return torch.zeros(pic.channels, pic.height, pic.width)


class PILToTensor:
    def __call__(self, pic):
        if not isinstance(pic, _PILImage):
            raise TypeError("pic should be PIL Image. Got <class 'torch.Tensor'>")
        return torch.zeros(pic.channels, pic.height, pic.width, dtype=torch.uint8)


class ToPILImage:
    def __init__(self, mode=None):
        self.mode = mode

    def __call__(self, pic):
        if isinstance(pic, _PILImage):
            raise TypeError("pic should be Tensor or ndarray. Got <class 'PIL.Image.Image'>.")
        if pic.dim() == 2:
            return _PILImage(1, pic.shape[0], pic.shape[1])
        return _PILImage(pic.shape[-3], pic.shape[-2], pic.shape[-1])


class CenterCrop:
    def __init__(self, size):
        self.size = _size2(size)

    def __call__(self, img):
        return _resized(img, self.size[0], self.size[1])


class RandomCrop(CenterCrop):
    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        self.size = _size2(size)


class RandomResizedCrop(CenterCrop):
    def __init__(self, size, scale=(0.08, 1.0), ratio=(0.75, 1.3333333333333333), interpolation=None, antialias=None):
        self.size = _size2(size)


class Resize:
    def __init__(self, size, interpolation=None, max_size=None, antialias=None):
        self.size = size
        self.max_size = max_size

    def __call__(self, img):
        h, w = _hw(img)
        if isinstance(self.size, int) or len(self.size) == 1:
            want = self.size if isinstance(self.size, int) else self.size[0]
            short, long = (w, h) if w <= h else (h, w)
            new_short, new_long = want, int(want * long / short)
            if self.max_size is not None and new_long > self.max_size:
                new_short, new_long = int(self.max_size * new_short / new_long), self.max_size
            nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
            return _resized(img, nh, nw)
        return _resized(img, self.size[0], self.size[1])


class Grayscale:
    def __init__(self, num_output_channels=1):
        self.n = num_output_channels

    def __call__(self, img):
        if isinstance(img, _PILImage):
            return _PILImage(self.n, img.height, img.width)
        return torch.zeros(*img.shape[:-3], self.n, img.shape[-2], img.shape[-1], dtype=img.dtype)


class _VisionDataset(Dataset):
    def _item(self, img, target):
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target


class FakeData(_VisionDataset):
    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None, target_transform=None,
                 random_offset=0):
        self.size = size
        self.image_size = image_size
        self.num_classes = num_classes
        self.transform = transform
        self.target_transform = target_transform

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError("{} index out of range".format(self.__class__.__name__))
        c, h, w = self.image_size
        return self._item(_PILImage(c, h, w), 0)

    def __len__(self):
        return self.size


class _FileDataset(_VisionDataset):
    """A dataset of files of known size: (train length, test length, channels, height, width)."""
    _spec = (60000, 10000, 1, 28, 28)

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        self.root = root
        self.train = train
        self.transform = transform
        self.target_transform = target_transform

    def __getitem__(self, index):
        _, _, c, h, w = self._spec
        return self._item(_PILImage(c, h, w), 0)

    def __len__(self):
        return self._spec[0] if self.train else self._spec[1]


class MNIST(_FileDataset):
    pass


class FashionMNIST(_FileDataset):
    pass


class KMNIST(_FileDataset):
    pass


class CIFAR10(_FileDataset):
    _spec = (50000, 10000, 3, 32, 32)


class CIFAR100(CIFAR10):
    pass
`;

/** The names torchvision.transforms and torchvision.datasets take from it. */
export const VISION_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  "torchvision.transforms": ["Compose", "Normalize", "RandomHorizontalFlip", "RandomVerticalFlip", "ColorJitter", "GaussianBlur",
    "RandomErasing", "ConvertImageDtype", "RandomRotation", "Lambda", "ToTensor", "PILToTensor", "ToPILImage", "CenterCrop",
    "RandomCrop", "RandomResizedCrop", "Resize", "Grayscale"],
  "torchvision.datasets": ["FakeData", "MNIST", "FashionMNIST", "KMNIST", "CIFAR10", "CIFAR100"],
};
