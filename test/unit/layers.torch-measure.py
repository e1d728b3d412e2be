#!/usr/bin/python3
"""Re-measure the layer-rule tables (test/unit/layers.torch-*.test.ts) with real PyTorch.

Every table row is one JSON array on one line:
    [type, args, kwargs, inputs, forward kwargs, expected, ("qkv" | "kv")?]
This script builds each layer in PyTorch, calls it (eval mode, float inputs that need grad, as
inside a model), and derives `expected` the way shared/tools/oracle.py reports a layer: params,
output shapes, the oracle's module_cost (MultiheadAttention: traced by running the oracle on a
generated file), and errors worded by the oracle's exec_error / classify_forward_error.

    /usr/bin/python3 test/unit/layers.torch-measure.py           # report rows that disagree
    /usr/bin/python3 test/unit/layers.torch-measure.py --write   # rewrite the expected values

The oracle is ../shared/tools/oracle.py beside the repository (or $SHAPE_LENS_ORACLE).
"""
import glob
import importlib.util
import inspect
import json
import os
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get("SHAPE_LENS_ORACLE") or os.path.join(HERE, "..", "..", "..", "shared", "tools", "oracle.py")
spec = importlib.util.spec_from_file_location("oracle", ORACLE)
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)


def tup(v):
    return tuple(tup(x) for x in v) if isinstance(v, list) else v


def init_error(e, type_name, args, kwargs):
    """The oracle's exec_error wording of an exception raised in __init__."""
    msg = str(e)
    if isinstance(e, ValueError) and "divisible by groups" in msg:
        b = inspect.signature(getattr(nn, type_name).__init__).bind(None, *args, **kwargs)
        b.apply_defaults()
        cin, cout, g = b.arguments["in_channels"], b.arguments["out_channels"], b.arguments["groups"]
        which, val = ("in_channels", cin) if cin % g else ("out_channels", cout)
        text = f"{which} {val} is not divisible by groups {g}"
        fixes = [d for d in range(1, min(cin, cout) + 1) if cin % d == 0 and cout % d == 0 and d != g]
        if fixes:
            eg = max(x for x in fixes if x < g) if any(x < g for x in fixes) else fixes[0]
            text += f" (groups must divide both {cin} and {cout}, e.g. {eg})"
        return ["groups-mismatch", text]
    if "num_groups" in msg or "divisible by" in msg:
        return ["groups-mismatch", msg.splitlines()[0]]
    try:
        code, text = oracle.classify_forward_error(e, None, None)
    except IndexError:  # an AssertionError without a message
        code, text = "shape-mismatch", ""
    return [code, f"{type(e).__name__}: {text}"]


def make_input(s):
    if isinstance(s, dict) and "tuple" in s:
        return tuple(make_input(x) for x in s["tuple"])
    if isinstance(s, dict):
        dt = {"long": torch.long, "bool": torch.bool, "float": torch.float}[s.get("dtype", "float")]
        return torch.randn(tuple(s["shape"]), requires_grad=True) if dt == torch.float else torch.zeros(tuple(s["shape"]), dtype=dt)
    return torch.randn(tuple(s), requires_grad=True)


def measure(row):
    t, args, kwargs, inputs, fwd, old = row[:6]
    same = row[6] if len(row) > 6 else None
    args, kwargs = [tup(a) for a in args], {k: tup(v) for k, v in kwargs.items()}
    try:
        m = getattr(nn, t)(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        return {"init": init_error(e, t, args, kwargs)}
    exp = {"params": sum(p.numel() for p in m.parameters())}
    if "parts" in old:
        exp["parts"] = [[n, p.numel()] for n, p in m.named_parameters()]
    if not inputs:
        return exp
    m.eval()
    xs = [make_input(s) for s in inputs]
    if same == "qkv":
        xs[1] = xs[2] = xs[0]
    if same == "kv":
        xs[2] = xs[1]
    fkw = {k: (make_input(v) if isinstance(v, dict) else v) for k, v in fwd.items()}
    try:
        with torch.enable_grad():
            out = m(*xs, **fkw)
    except Exception as e:  # noqa: BLE001
        x = oracle._first_tensor(xs, fkw)
        try:
            exp["error"] = list(oracle.classify_forward_error(e, m, oracle.shape_of(x)))
        except IndexError:
            exp["error"] = ["shape-mismatch", f"{type(e).__name__} without a message"]
        return exp
    exp["out"] = oracle.shape_of(out)
    try:
        c = oracle.module_cost(m, xs, fkw, out)
    except Exception:  # noqa: BLE001
        c = None
    exp["cost"] = c if c is None or c == "trace" else [int(c[0]), int(c[1])]
    return exp


def py_tensor(s):
    if isinstance(s, dict):
        dt = {"long": "torch.long", "bool": "torch.bool"}.get(s.get("dtype", "float"))
        return f"torch.zeros({tuple(s['shape'])}, dtype={dt})" if dt else f"torch.randn({tuple(s['shape'])})"
    return f"torch.randn({tuple(s)})"


def traced_costs(rows):
    """[macs, flops] of each row (MultiheadAttention calls) as the oracle traces them."""
    init, calls = [], []
    for i, row in enumerate(rows):
        t, args, kwargs, inputs, fwd = row[:5]
        same = row[6] if len(row) > 6 else None
        kw = ", ".join([repr(tup(a)) for a in args] + [f"{k}={tup(v)!r}" for k, v in kwargs.items()])
        init.append(f"        self.m{i} = nn.{t}({kw})")
        names = [f"x{i}_{j}" for j in range(len(inputs))]
        calls += [f"        {n} = {py_tensor(s)}" for n, s in zip(names, inputs)]
        if same == "qkv":
            names[1] = names[2] = names[0]
        if same == "kv":
            names[2] = names[1]
        fk = ", ".join(f"{k}={py_tensor(v) if isinstance(v, dict) else repr(v)}" for k, v in fwd.items())
        calls.append(f"        self.m{i}({', '.join(names)}{', ' + fk if fk else ''})")
    src = "\n".join(["import torch", "import torch.nn as nn", "", "", "class M(nn.Module):", "    def __init__(self):",
                     "        super().__init__()", *init, "", "    def forward(self, x):", *calls, "        return x", "",
                     "", "m = M()", "m(torch.randn(1))", ""])
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(src)
    try:
        rep = json.loads(subprocess.run([sys.executable, ORACLE, f.name], capture_output=True, text=True, check=True).stdout)
    finally:
        os.unlink(f.name)
    layers = rep["models"][0]["layers"]
    assert len(layers) == len(rows), "one oracle entry per call"
    return [None if e["macs"] is None else [e["macs"], e["flops"]] for e in layers]


def main():
    write = "--write" in sys.argv
    bad = 0
    for path in sorted(glob.glob(os.path.join(HERE, "layers.torch-*.test.ts"))):
        lines = open(path, encoding="utf-8").read().split("\n")
        rows = {i: json.loads(l.strip()[:-1]) for i, l in enumerate(lines) if l.startswith("  [") and l.endswith("],")}
        new = {i: measure(r) for i, r in rows.items()}
        traced = [i for i, e in new.items() if e.get("cost") == "trace"]
        if traced:
            for i, c in zip(traced, traced_costs([rows[i] for i in traced])):
                new[i]["cost"] = c
        for i, row in rows.items():
            if new[i] != row[5]:
                bad += 1
                print(f"{os.path.basename(path)}:{i + 1}: {row[0]} expected {json.dumps(row[5])}\n    PyTorch says {json.dumps(new[i])}")
                row[5] = new[i]
                lines[i] = "  " + json.dumps(row, ensure_ascii=False) + ","
        if write:
            open(path, "w", encoding="utf-8").write("\n".join(lines))
    print(f"{bad} row(s) differ" + (" (rewritten)" if write and bad else ""))


if __name__ == "__main__":
    main()
