// Padding layers (ZeroPad, ConstantPad, ReflectionPad, ReplicationPad 1d/2d/3d): F.pad's shapes and errors, zero cost.
import { add, type Dim } from "../dim";
import { sig } from "../signature";
import type { Args } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  dimOutOfRange,
  failed,
  firstOutputShape,
  firstUnknown,
  forwardError,
  isNum,
  listText,
  NO_PARAMS,
  result,
  tensor,
  tensorInput,
  tup,
  unknownResult,
  unknownTensor,
} from "./util";

type PadMode = "constant" | "reflect" | "replicate";

/** The padding list as F.pad gets it (last dim first: left, right, top, bottom, ...). */
function padList(v: Args["padding"], nd: number): number[] | string {
  if (Array.isArray(v)) {
    const items = v.map((x) => (typeof x === "number" && Number.isInteger(x) ? x : undefined));
    return items.every((x) => x !== undefined) ? (items as number[]) : "padding is not known";
  }
  const t = tup(v, 2 * nd, "padding");
  const u = firstUnknown(t);
  return u ? u.reason : (t as number[]);
}

/** reflection_padNd's "Padding size should be less than the corresponding input dimension" check. */
export function reflectionPadError(nd: number, pad: readonly number[], shape: readonly Dim[]): string | undefined {
  const rank = shape.length;
  const argNo = [4, 6, 8];
  for (let j = 0; j < nd; j++) {
    const dim = rank - 1 - j;
    const size = shape[dim];
    const [l, r] = [pad[2 * j], pad[2 * j + 1]];
    if (isNum(size) && (l >= size || r >= size)) {
      const of = nd === 2 ? String(rank) : listText(shape);
      return `Argument #${argNo[j]}: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${dim} of input ${of}`;
    }
  }
  return undefined;
}

function tooSmallMessage(mode: PadMode, nd: number, ins: readonly number[], outs: readonly number[]): string {
  // ins / outs in D, H, W order (the last nd dims)
  if (nd === 1) {
    return mode === "reflect"
      ? `2input (W: ${ins[0]})is too small. Calculated output W: ${outs[0]}`
      : `input (W: ${ins[0]}) is too small. Calculated output W: ${outs[0]}`;
  }
  if (nd === 2) {
    return mode === "reflect"
      ? `input (H: ${ins[0]}, W: ${ins[1]})is too small. Calculated output H: ${outs[0]} W: ${outs[1]}`
      : `input (H: ${ins[0]}, W: ${ins[1]} ) is too small. Calculated output H: ${outs[0]} W: ${outs[1]}`;
  }
  return `input (D: ${ins[0]} H: ${ins[1]}, W: ${ins[2]}) is too small. Calculated output D: ${outs[0]} H: ${outs[1]} W: ${outs[2]}`;
}

/** Output shape of F.pad(x, pad, mode), or PyTorch's error message. */
export function padShape(mode: PadMode, pad: readonly number[], shape: readonly Dim[]): Dim[] | string {
  const rank = shape.length;
  if (pad.length % 2 !== 0) return "Padding length must be divisible by 2";
  const np = pad.length / 2;
  if (np > rank) return "Padding length too large";
  const out = [...shape];
  if (mode === "constant") {
    // negative pads first narrow the input (PyTorch 1.13's constant_pad_nd)
    for (let i = 0; i < np; i++) {
      const dim = rank - np + i;
      const idx = pad.length - (i + 1) * 2;
      const [l, r] = [pad[idx], pad[idx + 1]];
      let size = out[dim];
      if (isNum(size)) {
        if (l < 0) {
          if (-l !== size && -l > size - 1) return dimOutOfRange(size, -l);
          size = size + l;
        }
        if (r < 0 && size + r < 0) return `start (0) + length (${size + r}) exceeds dimension size (${size}).`;
      }
      out[dim] = add(add(shape[dim], l), r);
    }
    // with any positive pad the output is allocated: every padded dim must stay positive
    if (pad.some((v) => v > 0)) {
      for (let i = 0; i < np; i++) {
        const dim = rank - np + i;
        const idx = pad.length - (i + 1) * 2;
        const n = out[dim];
        if (isNum(n) && n <= 0) {
          return `The input size ${shape[dim] as number}, plus negative padding ${pad[idx]} and ${pad[idx + 1]} resulted in a negative output size, which is invalid. Check dimension ${dim} of your input.`;
        }
      }
    }
    return out;
  }
  const nd = np;
  const fits = (nd === 1 && (rank === 2 || rank === 3)) || (nd === 2 && (rank === 3 || rank === 4)) || (nd === 3 && (rank === 4 || rank === 5));
  if (!fits) return "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now";
  const spatial = shape.slice(rank - nd);
  if (spatial.some((d) => d === 0) || shape.slice(1, rank - nd).some((d) => d === 0)) {
    return `Expected ${nd + 1}D or ${nd + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${listText(shape)}`;
  }
  if (mode === "reflect") {
    const msg = reflectionPadError(nd, pad, shape);
    if (msg) return msg;
  }
  // pad pairs are last dim first; out dims in order
  const outs = spatial.map((d, j) => {
    const k = nd - 1 - j;
    return add(add(d, pad[2 * k]), pad[2 * k + 1]);
  });
  const outShape = [...shape.slice(0, rank - nd), ...outs];
  if (outs.every(isNum) && spatial.every(isNum)) {
    // PyTorch only complains when no output dim is positive; a negative one then fails allocation
    if (outs.every((o) => (o as number) < 1)) return tooSmallMessage(mode, nd, spatial as number[], outs as number[]);
    const neg = outs.find((o) => (o as number) < 0);
    if (neg !== undefined && outShape.every(isNum)) return `Trying to create tensor with negative dimension ${neg as number}: ${listText(outShape)}`;
  }
  return outShape;
}

function forwardPad(type: string, mode: PadMode, nd: number, args: Args, call: LayerCall): LayerResult {
  const bound = bindForward(type, sig("input"), call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const pad = padList(args.padding, nd);
  if (typeof pad === "string") return unknownResult(pad, unknownTensor(pad, x.t.dtype));
  const out = padShape(mode, pad, x.shape);
  if (typeof out === "string") return failed(forwardError(type, out, x.shape));
  return result(tensor(out, x.t.dtype), { macs: 0, flops: 0 });
}

function padRule(type: string, mode: PadMode, nd: number, withValue: boolean): LayerRule {
  return {
    type,
    signature: withValue ? sig("padding", "value") : sig("padding"),
    params: () => NO_PARAMS,
    forward: (args, call) => forwardPad(type, mode, nd, args, call),
    explain: (args, _call, res) => {
      const pad = padList(args.padding, nd);
      const shape = firstOutputShape(res.output);
      return [
        `padding (last dim first: left, right, top, bottom, ...) = ${typeof pad === "string" ? "unknown" : `(${pad.join(", ")})`}`,
        ...(shape ? [`output = ${listText(shape)}; FLOPs = 0 (padding only copies)`] : []),
      ];
    },
  };
}

export const PADDING_RULES: readonly LayerRule[] = [1, 2, 3].flatMap((nd) => [
  padRule(`ZeroPad${nd}d`, "constant", nd, false),
  padRule(`ConstantPad${nd}d`, "constant", nd, true),
  padRule(`ReflectionPad${nd}d`, "reflect", nd, false),
  padRule(`ReplicationPad${nd}d`, "replicate", nd, false),
]);
