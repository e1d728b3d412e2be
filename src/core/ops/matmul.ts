// Matrix products: matmul (1-D, 2-D, folded and batched), mm, bmm, addmm, baddbmm, addbmm, F.linear, F.bilinear, einsum.
import { equal, format, mul, product, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type Args, type CostOrUnknown, type Output } from "../types";
import { broadcastShapes, expandShape } from "./broadcast";
import { failure, firstTensor, fmtList, isBad, isFailure, promote, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp, fromDims, numel } from "./define";
import type { OpRule } from "./rule";
import { EINSUM } from "./einsum";

/** Sizes that clash: both concrete and different. */
function clash(a: Dim, b: Dim): boolean {
  return equal(a, b) === false && typeof a === "number" && typeof b === "number";
}

const x = (a: Dim, b: Dim) => `${format(a)}x${format(b)}`;
const mmError = (m: Dim, k: Dim, k2: Dim, p: Dim) => failure(`mat1 and mat2 shapes cannot be multiplied (${x(m, k)} and ${x(k2, p)})`);

/** torch.matmul's shape rules (PyTorch 1.13, with its error messages). */
export function matmulShape(a: Shape, b: Shape): Dim[] | Failure {
  const ra = a.length;
  const rb = b.length;
  if (ra === 0 || rb === 0) return failure(`both arguments to matmul need to be at least 1D, but they are ${ra}D and ${rb}D`);
  if (ra === 1 && rb === 1) {
    if (clash(a[0], b[0])) {
      return failure(
        `inconsistent tensor size, expected tensor [${format(a[0])}] and src [${format(b[0])}] to have the same number of elements, but got ${format(a[0])} and ${format(b[0])} elements respectively`,
      );
    }
    return [];
  }
  if (ra === 2 && rb === 1) {
    if (clash(a[1], b[0])) return failure(`size mismatch, got ${format(a[0])}, ${x(a[0], a[1])},${format(b[0])}`);
    return [a[0]];
  }
  if (ra === 1 && rb === 2) {
    if (clash(a[0], b[0])) return mmError(1, a[0], b[0], b[1]);
    return [b[1]];
  }
  if (ra === 2 && rb === 2) {
    if (clash(a[1], b[0])) return mmError(a[0], a[1], b[0], b[1]);
    return [a[0], b[1]];
  }
  if (ra >= 3 && rb <= 2) {
    // the batch dims of a are folded into its rows
    const lead = a.slice(0, -1);
    const rows = product(lead);
    const k = a[ra - 1];
    if (rb === 1) {
      if (clash(k, b[0])) return failure(`size mismatch, got ${format(rows)}, ${x(rows, k)},${format(b[0])}`);
      return lead;
    }
    if (clash(k, b[0])) return mmError(rows, k, b[0], b[1]);
    return [...lead, b[1]];
  }
  if (ra <= 2 && rb >= 3) {
    // computed transposed: (bᵀ folded) @ aᵀ
    const batch = b.slice(0, -2);
    const [k2, p] = b.slice(-2);
    const rows = mul(product(batch), p);
    if (ra === 1) {
      if (clash(a[0], k2)) return failure(`size mismatch, got ${format(rows)}, ${x(rows, k2)},${format(a[0])}`);
      return [...batch, p];
    }
    if (clash(a[1], k2)) return mmError(rows, k2, a[1], a[0]);
    return [...batch, a[0], p];
  }
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  if (isBad(batch)) return batch;
  const [n, k] = a.slice(-2);
  const [k2, p] = b.slice(-2);
  if (clash(k, k2)) {
    const B = product(batch);
    return failure(
      `Expected size for first two dimensions of batch2 tensor to be: [${format(B)}, ${format(k)}] but got: [${format(B)}, ${format(k2)}].`,
    );
  }
  return [...batch, n, p];
}

function bmmShape(a: Shape, b: Shape): Dim[] | Failure {
  if (a.length !== 3) return failure("batch1 must be a 3D tensor");
  if (b.length !== 3) return failure("batch2 must be a 3D tensor");
  if (clash(a[0], b[0]) || clash(a[2], b[1])) {
    return failure(
      `Expected size for first two dimensions of batch2 tensor to be: [${format(a[0])}, ${format(a[2])}] but got: [${format(b[0])}, ${format(b[1])}].`,
    );
  }
  return [a[0], a[1], b[2]];
}

function mmShape(a: Shape, b: Shape): Dim[] | Failure {
  if (a.length !== 2) return failure("self must be a matrix");
  if (b.length !== 2) return failure("mat2 must be a matrix");
  if (clash(a[1], b[0])) return mmError(a[0], a[1], b[0], b[1]);
  return [a[0], b[1]];
}

/** Two tensor operands, then the shape rule. */
function product2(fname: string, args: Args, pa: string, pb: string, rule: (a: Shape, b: Shape) => Dim[] | Failure): Output | Failure {
  const a = tensorShape(args, pa, fname);
  const b = tensorShape(args, pb, fname);
  if (isBad(a)) return isUnknown(a) ? unknownTensor(a.reason) : a;
  if (isBad(b)) return isUnknown(b) ? unknownTensor(b.reason) : b;
  const s = rule(a.shape, b.shape);
  return isBad(s) ? s : tensorOf(s, promote(a.t.dtype, b.t.dtype));
}

/** addmm/baddbmm/addbmm: the product, then `input` must expand to its shape. */
function addProduct(fname: string, args: Args, pa: string, pb: string, rule: (a: Shape, b: Shape) => Dim[] | Failure): Output | Failure {
  const prod = product2(fname, args, pa, pb, rule);
  if (isBad(prod) || !isTensor(prod) || isUnknown(prod.shape)) return prod;
  const input = tensorShape(args, "input", fname);
  if (isBad(input)) return isUnknown(input) ? prod : input;
  const e = expandShape(input.shape, prod.shape);
  return isBad(e) ? e : prod;
}

function addbmmShape(a: Shape, b: Shape): Dim[] | Failure {
  const s = bmmShape(a, b);
  return isBad(s) ? s : s.slice(1);
}

/** out_numel·n MACs and out_numel·(2n − 1) FLOPs, n = the left operand's last dim (+ out_numel for the add). */
function dotCost(left: string, addTerm: boolean) {
  return (args: Args, out: Output): CostOrUnknown => {
    const a = args[left];
    const t = firstTensor(out);
    if (!isTensor(a) || isUnknown(a.shape) || a.shape.length === 0 || !t) return unknown("FLOPs unknown: operand shape unknown");
    return fromDims([numel(t.shape), a.shape[a.shape.length - 1]], ([o, n]) => [o * n, o * (2 * n - 1) + (addTerm ? o : 0)]);
  };
}

/** F.linear(input, weight (O, I), bias): last dim I -> O, leading dims kept. */
function linearShape(args: Args): Output | Failure {
  const inp = tensorShape(args, "input", "linear");
  const w = tensorShape(args, "weight", "linear");
  if (isBad(inp)) return isUnknown(inp) ? unknownTensor(inp.reason) : inp;
  if (isBad(w)) return isUnknown(w) ? unknownTensor(w.reason) : w;
  const s = inp.shape;
  if (s.length === 0) return failure("both arguments to linear need to be at least 1D, but they are 0D and 2D");
  const lead = s.slice(0, -1);
  const k = s[s.length - 1];
  if (w.shape.length === 1) {
    if (clash(k, w.shape[0])) return failure(`size mismatch, got ${format(product(lead))}, ${x(product(lead), k)},${format(w.shape[0])}`);
    return tensorOf(lead, inp.t.dtype);
  }
  if (w.shape.length !== 2) return failure(`linear(): weight must be 1-D or 2-D, but got weight of size ${fmtList(w.shape)}`, "bad-argument");
  const [o, i] = w.shape;
  if (clash(k, i)) return failure(`mat1 and mat2 shapes cannot be multiplied (${x(product(lead), k)} and ${x(i, o)})`, "in-features-mismatch");
  return linearBiasError(args.bias, lead, o, !inp.t.strides) ?? tensorOf([...lead, o], inp.t.dtype);
}

/**
 * linear's bias against its output: 2-D (and contiguous 3-D) input runs addmm, which expands the bias
 * to (rows, O); any other input runs matmul and adds the bias in place.
 */
function linearBiasError(bias: Args[string], lead: Shape, o: Dim, contiguous: boolean): Failure | undefined {
  if (!isTensor(bias) || isUnknown(bias.shape)) return undefined;
  const rank = lead.length + 1;
  if (rank === 2 || (rank === 3 && contiguous)) {
    const r = expandShape(bias.shape, [product(lead), o]);
    return isFailure(r) ? r : undefined;
  }
  if (bias.shape.length > rank) return undefined;
  const r = broadcastShapes([...lead, o], bias.shape);
  return isFailure(r) ? r : undefined;
}

/** rows·I·O MACs; rows·O·(2I − 1 + bias) FLOPs with rows = out_numel / O. */
function linearCost(args: Args, out: Output): CostOrUnknown {
  const w = args.weight;
  const t = firstTensor(out);
  if (!isTensor(w) || isUnknown(w.shape) || !t) return unknown("FLOPs unknown: weight or output shape unknown");
  if (w.shape.length !== 2) return unknown("no FLOPs rule for linear with a 1-D weight in spec v1");
  const bias = args.bias !== null && args.bias !== undefined ? 1 : 0;
  return fromDims([numel(t.shape), w.shape[0], w.shape[1]], ([n, o, i]) => {
    const rows = Math.floor(n / o);
    return [rows * i * o, rows * o * (2 * i - 1 + bias)];
  });
}

/** F.bilinear(input1, input2, weight (O, I1, I2), bias): shape only; no FLOPs rule in spec v1. */
function bilinearShape(args: Args): Output | Failure {
  const a = tensorShape(args, "input1", "bilinear");
  const b = tensorShape(args, "input2", "bilinear");
  const w = tensorShape(args, "weight", "bilinear");
  for (const v of [a, b, w]) if (isBad(v)) return isUnknown(v) ? unknownTensor(v.reason) : v;
  const [sa, sb, sw] = [a, b, w].map((v) => (v as { shape: Shape }).shape);
  if (sw.length !== 3) return failure(`bilinear(): weight must be three-dimensional, but got ${sw.length}D`, "bad-argument");
  if (sa.length === 0 || sb.length === 0) return failure("bilinear(): input must have at least 1 dimension");
  if (clash(sa[sa.length - 1], sw[1])) {
    return failure(`bilinear(): input1 size does not match weight size: got ${format(sa[sa.length - 1])} but expected ${format(sw[1])}`);
  }
  if (clash(sb[sb.length - 1], sw[2])) {
    return failure(`bilinear(): input2 size does not match weight size: got ${format(sb[sb.length - 1])} but expected ${format(sw[2])}`);
  }
  return tensorOf([...sa.slice(0, -1), sw[0]]);
}

const TM = ["torch", "method"] as const;

export const MATMUL_OPS: readonly OpRule[] = [
  defineOp({
    name: "matmul",
    namespaces: TM,
    signature: sig("input", "other"),
    cost: dotCost("input", false),
    output: (a) => product2("matmul", a, "input", "other", matmulShape),
  }),
  defineOp({
    name: "mm",
    namespaces: TM,
    signature: sig("input", "mat2"),
    cost: dotCost("input", false),
    output: (a) => product2("mm", a, "input", "mat2", mmShape),
  }),
  // torch.spmm(dense, dense) is torch.mm under another name (no Tensor method)
  defineOp({
    name: "spmm",
    namespaces: ["torch"],
    signature: sig("input", "mat2"),
    cost: dotCost("input", false),
    output: (a) => product2("mm", a, "input", "mat2", mmShape),
  }),
  defineOp({
    name: "bmm",
    namespaces: TM,
    signature: sig("input", "mat2"),
    cost: dotCost("input", false),
    output: (a) => product2("bmm", a, "input", "mat2", bmmShape),
  }),
  defineOp({
    name: "addmm",
    namespaces: TM,
    signature: { ...sig("input", "mat1", "mat2"), kwOnly: [{ name: "beta", default: 1 }, { name: "alpha", default: 1 }] },
    cost: dotCost("mat1", true),
    output: (a) => addProduct("addmm", a, "mat1", "mat2", mmShape),
  }),
  defineOp({
    name: "baddbmm",
    namespaces: TM,
    signature: { ...sig("input", "batch1", "batch2"), kwOnly: [{ name: "beta", default: 1 }, { name: "alpha", default: 1 }] },
    cost: dotCost("batch1", true),
    output: (a) => addProduct("baddbmm", a, "batch1", "batch2", bmmShape),
  }),
  defineOp({
    name: "addbmm",
    namespaces: TM,
    signature: { ...sig("input", "batch1", "batch2"), kwOnly: [{ name: "beta", default: 1 }, { name: "alpha", default: 1 }] },
    cost: dotCost("batch1", true),
    output: (a) => addProduct("addbmm", a, "batch1", "batch2", addbmmShape),
  }),
  defineOp({ name: "linear", namespaces: ["F"], signature: sig("input", "weight", ["bias", null]), cost: linearCost, output: linearShape }),
  defineOp({
    name: "bilinear",
    namespaces: ["F", "torch"],
    signature: sig("input1", "input2", "weight", ["bias", null]),
    cost: "none",
    output: bilinearShape,
  }),
  EINSUM,
];
