// Library classes driver code uses around a model (torch.utils.data datasets and loaders, argparse, random), written in Python.
import type { Interp } from "./interp";
import { VISION_EXPORTS, VISION_PRELUDE_SOURCE } from "./visionprelude";
import { OPTIM_EXPORTS, OPTIM_PRELUDE_SOURCE } from "./optimprelude";
import { DIST_EXPORTS, DIST_PRELUDE_SOURCE } from "./distprelude";
import { makeUnit, type SourceUnit } from "./source";
import { NONE, type Scope, type Value } from "./values";

/**
 * What top-level code needs of these classes to reach the model call with the right shapes: a
 * DataLoader yields PyTorch's batches (`len(dataset) / batch_size` of them, the last one smaller
 * unless drop_last; default_collate stacks tensors, turns numbers into a tensor and keeps tuples as
 * lists), a parser's parse_args() gives the defaults (or parses an explicit list of strings).
 * Python's random module checks its arguments as Python does. Its picks (randint, randrange,
 * choice, sample) give one representative (the low end of the range, the first items), so that a
 * sample picked at random has its shape; its numbers (random, uniform, gauss) are unknown values
 * with the reason, so a condition on one (teacher forcing, dropout of a branch) runs both ways.
 */
export const LIB_PRELUDE_SOURCE = `
import torch


class Dataset:
    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    def __init__(self, *tensors):
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


class Subset(Dataset):
    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        return self.dataset[self.indices[idx]]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=None):
    n = len(dataset)
    if all(isinstance(x, float) for x in lengths) and sum(lengths) <= 1:
        counts = [int(n * f) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    out = []
    start = 0
    for k in lengths:
        out.append(Subset(dataset, range(start, start + k)))
        start += k
    return out


def _collate(item, n):
    if _is_unknown(item):
        return item
    if torch.is_tensor(item):
        return torch.stack([item] * n)
    if isinstance(item, bool) or isinstance(item, int):
        return torch.zeros(n, dtype=torch.int64)
    if isinstance(item, float):
        return torch.zeros(n, dtype=torch.float64)
    if isinstance(item, str):
        return [item] * n
    if isinstance(item, dict):
        return {k: _collate(v, n) for k, v in item.items()}
    if isinstance(item, tuple) or isinstance(item, list):
        return [_collate(v, n) for v in item]
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists")


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, prefetch_factor=2, persistent_workers=False,
                 pin_memory_device=""):
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.collate_fn = collate_fn

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size

    def _batch(self, start, n):
        if self.collate_fn is not None:
            return self.collate_fn([self.dataset[i] for i in range(start, start + n)])
        if isinstance(self.dataset, TensorDataset):
            return [t[start:start + n] for t in self.dataset.tensors]
        return _collate(self.dataset[start], n)

    def __iter__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return [self.dataset[i] for i in range(n)]
        # every full batch is alike: one is built and copied (fresh tensors), then the smaller last one
        k = len(self)
        full = n // self.batch_size
        first = self._batch(0, self.batch_size) if full > 0 else None
        batches = [_fresh(first) for _ in range(full)]
        if k > full:
            batches.append(self._batch(full * self.batch_size, n - full * self.batch_size))
        return batches


def randint(a, b):
    if a > b:
        raise ValueError("empty range for randrange() (%d, %d, %d)" % (a, b + 1, b + 1 - a))
    return a


def randrange(start, stop=None, step=1):
    if stop is None:
        return randint(0, start - 1)
    return randint(start, stop - 1)


def random():
    return _unknown("random.random() is drawn when the file runs")


def uniform(a, b):
    return _unknown("random.uniform(%s, %s) is drawn when the file runs" % (a, b))


def gauss(mu=0.0, sigma=1.0):
    return _unknown("random.gauss() is drawn when the file runs")


def choice(seq):
    if len(seq) == 0:
        raise IndexError("Cannot choose from an empty sequence")
    return seq[0]


def sample(population, k, counts=None):
    if k > len(population):
        raise ValueError("Sample larger than population or is negative")
    return list(population)[:k]


def shuffle(x):
    pass


def seed(a=None, version=2):
    pass


class Namespace:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __contains__(self, key):
        return hasattr(self, key)


class SimpleNamespace(Namespace):
    pass


class _Action:
    def __init__(self, dest, default, type, action, const, nargs):
        self.dest = dest
        self.default = default
        self.type = type
        self.action = action
        self.const = const
        self.nargs = nargs


class ArgumentParser:
    def __init__(self, *args, **kwargs):
        self._actions = []
        self._options = {}
        self._positionals = []
        self._defaults = {}

    def add_argument(self, *names, dest=None, default=None, type=None, action=None, const=None, nargs=None, **kwargs):
        if dest is None:
            longs = [n for n in names if n.startswith("--")]
            dest = (longs[0] if longs else names[0]).lstrip("-").replace("-", "_")
        if action == "store_true" and default is None:
            default = False
        if action == "store_false" and default is None:
            default = True
        if isinstance(default, str) and type is not None:
            default = type(default)
        a = _Action(dest, default, type, action, const, nargs)
        self._actions.append(a)
        if names[0].startswith("-"):
            for n in names:
                self._options[n] = a
        else:
            self._positionals.append(a)
        return a

    def add_argument_group(self, *args, **kwargs):
        return self

    def add_mutually_exclusive_group(self, *args, **kwargs):
        return self

    def set_defaults(self, **kwargs):
        for k, v in kwargs.items():
            self._defaults[k] = v

    def get_default(self, dest):
        for a in self._actions:
            if a.dest == dest:
                return a.default
        return self._defaults.get(dest)

    def _convert(self, a, s):
        return a.type(s) if a.type is not None else s

    def parse_known_args(self, args=None, namespace=None):
        values = {a.dest: a.default for a in self._actions}
        for k, v in self._defaults.items():
            values[k] = v
        extras = []
        if args is not None:
            args = list(args)
            pos = 0
            i = 0
            while i < len(args):
                s = args[i]
                name, eq, val = s.partition("=")
                a = self._options.get(name) if s.startswith("-") else None
                if a is None:
                    if not s.startswith("-") and pos < len(self._positionals):
                        p = self._positionals[pos]
                        values[p.dest] = self._convert(p, s)
                        pos += 1
                    else:
                        extras.append(s)
                elif a.action == "store_true":
                    values[a.dest] = True
                elif a.action == "store_false":
                    values[a.dest] = False
                elif a.action == "store_const":
                    values[a.dest] = a.const
                elif a.action == "count":
                    values[a.dest] = (values[a.dest] or 0) + 1
                elif eq:
                    values[a.dest] = self._convert(a, val)
                elif a.nargs == "+" or a.nargs == "*":
                    items = []
                    while i + 1 < len(args) and not args[i + 1].startswith("-"):
                        i += 1
                        items.append(self._convert(a, args[i]))
                    values[a.dest] = items
                elif i + 1 < len(args):
                    i += 1
                    values[a.dest] = self._convert(a, args[i])
                i += 1
        ns = Namespace(**values) if namespace is None else namespace
        return ns, extras

    def parse_args(self, args=None, namespace=None):
        return self.parse_known_args(args, namespace)[0]
`;

/** The names each library namespace takes from the library prelude. */
const EXPORTS: Readonly<Record<string, readonly string[]>> = {
  "torch.utils.data": ["Dataset", "TensorDataset", "Subset", "random_split", "DataLoader"],
  argparse: ["ArgumentParser", "Namespace"],
  types: ["SimpleNamespace"],
  random: ["randint", "randrange", "random", "uniform", "gauss", "choice", "sample", "shuffle", "seed"],
  ...VISION_EXPORTS,
  ...OPTIM_EXPORTS,
  ...DIST_EXPORTS,
};

let unit: SourceUnit | null = null;

/** The library prelude's parsed source (parsed once). */
export function libPrelude(): SourceUnit {
  if (!unit) unit = makeUnit({ text: LIB_PRELUDE_SOURCE + VISION_PRELUDE_SOURCE + OPTIM_PRELUDE_SOURCE + DIST_PRELUDE_SOURCE, offset: 0, line0: 0 }, false);
  return unit;
}

const scopes = new WeakMap<Interp, Scope>();

/** The scope the library prelude runs in (set once per session, before it runs). */
export function setLibScope(ip: Interp, scope: Scope): void {
  scopes.set(ip, scope);
  scope.vars.set("_is_unknown", { k: "builtin", name: "_is_unknown", call: ([v]) => ({ k: "bool", v: v?.k === "unknown" }) });
  scope.vars.set("_unknown", { k: "builtin", name: "_unknown", call: ([v]) => ({ k: "unknown", reason: v?.k === "str" ? v.v : "not known statically" }) });
  scope.vars.set("_fresh", { k: "builtin", name: "_fresh", call: ([v]) => fresh(v ?? NONE) });
}

/** A copy of a batch: new tensor objects (an in-place squeeze_ of one batch leaves the others), new lists, tuples and dicts. */
function fresh(v: Value): Value {
  if (v.k === "tensor") return { ...v };
  if (v.k === "list" || v.k === "tuple") return { ...v, items: v.items.map(fresh) };
  if (v.k === "dict") return { ...v, keys: [...v.keys], vals: v.vals.map(fresh) };
  return v;
}

/** `ns.name` from the library prelude, or undefined when it does not define it. */
export function libAttr(ip: Interp, ns: string, name: string): Value | undefined {
  if (!EXPORTS[ns]?.includes(name)) return undefined;
  return scopes.get(ip)?.vars.get(name);
}
