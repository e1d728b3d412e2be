// Output sizes of ConvNd / ConvTransposeNd for one input, or the error PyTorch raises computing them.
import { add, mul, sub, type Dim } from "../dim";
import { error, isUnknown, seqKindOf, unknown, type ArgValue, type Problem, type SeqKind } from "../types";
import { reflectionPadError } from "./padding";
import { convOutSize, dimArg, forwardError, isNum, listText, pyMod, shapeText, type Int } from "./util";

/** A conv layer's hyper-parameters as plain numbers. */
export interface ConvNums {
  readonly k: number[];
  readonly s: number[];
  /** Numbers, or "same" ("valid" is read as zeros). */
  readonly p: number[] | "same";
  readonly d: number[];
  readonly op: number[];
  readonly g: number;
}

/** Channels per group (`in_channels // groups`), Unknown where it cannot be known. */
export function perGroup(c: Dim, g: Int): Dim {
  if (isUnknown(g)) return g;
  if (g <= 0) return unknown("groups must be a positive integer");
  if (isNum(c)) return pyMod(c, g) === 0 ? c / g : unknown(`${c} channels are not divisible by groups ${g}`);
  return g === 1 ? c : unknown("symbolic channels divided by groups");
}

/** ConvNd: the spatial output sizes, after the padding-mode and kernel-size checks. */
export function convSpatial(type: string, nd: number, nums: ConvNums, paddingMode: string, shape: readonly Dim[]): Dim[] | Problem {
  const { k, s, d, p } = nums;
  const rank = shape.length;
  const spatial = shape.slice(rank - nd);
  if (p === "same") {
    if (k.some((v) => v <= 0)) return forwardError(type, kernelMessage(nd, k), shape);
    return [...spatial];
  }
  if (paddingMode === "circular") {
    // circular padding needs the batch dim (F.pad then sees one spatial dim too few) and wraps at most once
    if (rank === nd + 1) return forwardError(type, `Invalid padding size, expected ${2 * (rank - 2)} but got ${2 * nd}`, shape);
    if (spatial.some((i, j) => isNum(i) && p[j] > i)) return forwardError(type, "Padding value causes wrapping around more than once.", shape);
  }
  if (paddingMode === "reflect") {
    const msg = reflectionPadError(nd, p.flatMap((v) => [v, v]).reverse(), shape);
    if (msg) return forwardError(type, msg, shape);
  }
  if (spatial.every(isNum)) {
    const padded = spatial.map((i, j) => (i as number) + 2 * p[j]);
    const kern = k.map((kk, j) => d[j] * (kk - 1) + 1);
    if (padded.some((v, j) => v < kern[j])) {
      return error("size-too-small", `${type} kernel (${kern.join(" x ")}) is larger than the padded input (${padded.join(" x ")}) (input ${shapeText(shape)})`);
    }
  }
  if (k.some((v) => v <= 0)) return forwardError(type, kernelMessage(nd, k), shape);
  return spatial.map((i, j) => convOutSize(i, k[j], s[j], p[j], d[j]));
}

/** ConvTransposeNd: `(i − 1)s − 2p + d(k − 1) + op + 1`, or the requested output_size where it is valid. */
export function convTransposeSpatial(
  type: string,
  nd: number,
  nums: ConvNums,
  channels: { readonly cin: Dim; readonly cout: Dim },
  shape: readonly Dim[],
  requested: ArgValue | undefined,
): Dim[] | Problem {
  const { k, s, d, op, g } = nums;
  const p = nums.p;
  const rank = shape.length;
  const spatial = shape.slice(rank - nd);
  if (p === "same") return forwardError(type, "padding='same' is not supported for transposed convolutions", shape);
  if (k.some((v) => v <= 0)) {
    if (nd === 3 && isNum(channels.cin) && isNum(channels.cout)) {
      const w = listText([channels.cin, perGroup(channels.cout, g), ...k]);
      return forwardError(type, `non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) tensor expected for weight, but got: ${w}`, shape);
    }
    return forwardError(type, kernelMessage(nd, k, true), shape);
  }
  const names = nd === 3 ? ["depth", "height", "width"] : ["height", "width"];
  // PyTorch runs 1-D transposed convs as 2-D ones with a height of 1
  const as2 = (v: readonly Dim[], fill: number) => (nd === 1 ? [fill, ...v] : [...v]);
  if (d.some((v) => v <= 0)) {
    const dd = as2(d, 1);
    return forwardError(type, `dilation should be greater than zero, but got ${names.map((n, j) => `dilation_${n}: ${dd[j]}`).join(", ")}`, shape);
  }
  if (op.some((v, j) => v >= s[j] && v >= d[j])) {
    const part = (label: string, v: readonly Dim[]) => names.map((n, i) => `${label}_${n}: ${v[i]}`).join(" ");
    const parts = `${part("output_padding", as2(op, 0))} ${part("stride", as2(s, 1))} ${part("dilation", as2(d, 1))}`;
    return forwardError(type, `output padding must be smaller than either stride or dilation, but got ${parts}`, shape);
  }
  const mins = spatial.map((i, j) => add(add(mul(sub(i, 1), s[j]), d[j] * (k[j] - 1) - 2 * p[j]), 1));
  let out = mins.map((m, j) => add(m, op[j]));
  if (Array.isArray(requested)) {
    // the leading (batch and) channel dims are dropped when given: 2 of them batched, 1 unbatched
    const lead = rank === nd + 2 ? 2 : 1;
    const req = requested.length === nd + lead ? requested.slice(lead) : requested;
    if (req.length !== nd) {
      return forwardError(type, `ConvTranspose${nd}D: for ${rank}D input, output_size must have ${nd} or ${nd + lead} elements (got ${requested.length})`, shape);
    }
    const wanted = req.map((v) => dimArg(v, "output_size"));
    if (wanted.every(isNum) && mins.every(isNum)) {
      const maxs = mins.map((m, j) => (m as number) + s[j] - 1);
      if (wanted.some((w, j) => w < (mins[j] as number) || w > maxs[j])) {
        // (PyTorch prints input.size()[2:], one dim short for an unbatched input)
        const range = `${listText(mins)} to ${listText(maxs)} (for an input of torch.Size(${listText(shape.slice(2))}))`;
        return forwardError(type, `requested an output size of ${seqRepr(wanted, seqKindOf(requested))}, but valid sizes range from ${range}`, shape);
      }
    }
    out = wanted;
  }
  if (out.every(isNum) && spatial.every(isNum) && out.some((o) => (o as number) < 1)) {
    const sizes = `Given input size per channel: (${as2(spatial, 1).join(" x ")}). Calculated output size per channel: (${as2(out, 1).join(" x ")})`;
    return forwardError(type, `${sizes}. Output size is too small`, shape);
  }
  return out;
}

/** Python's repr of a list, tuple or torch.Size of sizes (a slice keeps the sequence's type). */
function seqRepr(dims: readonly Dim[], kind: SeqKind | undefined): string {
  if (kind === "size") return `torch.Size(${listText(dims)})`;
  if (kind === "tuple") return dims.length === 1 ? `(${listText(dims).slice(1, -1)},)` : `(${listText(dims).slice(1, -1)})`;
  return listText(dims);
}

/** "kernel size should be greater than zero" as the conv backends word it (1-D runs as 2-D). */
function kernelMessage(nd: number, k: number[], transposed = false): string {
  if (nd === 3 && !transposed) return `kernel size should be greater than zero, but got: ${k.join(" x ")} (TxHxW)`;
  const names = nd === 3 ? ["depth", "height", "width"] : ["height", "width"];
  const kk = nd === 1 ? [1, ...k] : k;
  return `kernel size should be greater than zero, but got ${names.map((n, j) => `kernel_${n}: ${kk[j]}`).join(" ")}`;
}
