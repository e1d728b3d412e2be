// MaxUnpool1d/2d/3d, MaxPool's partial inverse: output sizes (default or output_size), PyTorch's checks; the spec has no FLOPs rule.
import { add, mul, sub, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type TensorMeta, type Unknown } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import { bindForward, failed, firstUnknown, forwardError, intArg, isNum, listText, NO_PARAMS, result, tensor, tensorInput, tup, unknownTensor } from "./util";

const UNPOOL_SIG = sig("kernel_size", ["stride", null], ["padding", 0]);
const FWD = sig("input", "indices", ["output_size", null]);

/** Python's repr of a list of sizes as output_size was given (a list or a tuple). */
function sizesRepr(v: readonly ArgValue[]): string {
  return `[${v.map((x) => (typeof x === "number" ? String(x) : "?")).join(", ")}]`;
}

/** F._unpool_output_size: the sizes, or the ValueError's message. */
function outputSizes(nd: number, spatial: readonly Dim[], k: number[], s: number[], p: number[], given: ArgValue | undefined): Dim[] | string {
  const defaults = spatial.map((i, d) => sub(add(mul(sub(i, 1), s[d]), k[d]), 2 * p[d]));
  if (given === null || given === undefined) return defaults;
  if (!Array.isArray(given)) return defaults.map(() => unknown("output_size is not a sequence"));
  let sizes = given as readonly ArgValue[];
  if (sizes.length === nd + 2) sizes = sizes.slice(2);
  if (sizes.length !== nd) return `output_size should be a sequence containing ${nd} or ${nd + 2} elements, but it has a length of '${sizes.length}'`;
  const out = sizes.map((v) => intArg(v, "output_size"));
  for (let d = 0; d < nd; d++) {
    const o = out[d];
    const def = defaults[d];
    if (!isNum(o) || !isNum(def)) continue;
    const [min, max] = [def - s[d], def + s[d]];
    if (!(min < o && o < max)) return `invalid output_size "${sizesRepr(sizes)}" (dim ${d} must be between ${min} and ${max})`;
  }
  return out;
}

/**
 * F.max_unpoolNd(input, indices, kernel_size, stride, padding, output_size): the output tensor, or
 * PyTorch's error message (the layer words it for its forward, the functional form as it is).
 */
export function unpoolOutput(nd: number, args: Args): TensorMeta | Unknown | { readonly error: string } {
  const x = args.input;
  if (!isTensor(x)) return isUnknown(x) ? x : { error: `max_unpool${nd}d(): argument 'input' must be Tensor` };
  if (isUnknown(x.shape)) return unknownTensor(x.shape.reason);
  const shape = x.shape;
  const rank = shape.length;
  const k = tup(args.kernel_size, nd, "kernel_size");
  const s = args.stride === null || args.stride === undefined ? k : tup(args.stride, nd, "stride");
  const p = tup(args.padding, nd, "padding");
  const u = firstUnknown(k, s, p);
  if (u) return unknownTensor(u.reason);
  // max_unpool1d runs as max_unpool2d on input.unsqueeze(-1)
  const nd2 = Math.max(nd, 2);
  const rank2 = nd === 1 ? rank + 1 : rank;
  if (rank2 !== nd2 + 1 && rank2 !== nd2 + 2) {
    return { error: `Input to max_unpooling${nd2}d should be a ${nd2 + 1}d or ${nd2 + 2}d Tensor, but got a tensor with ${rank2} dimensions.` };
  }
  const sizes = outputSizes(nd, shape.slice(rank - nd), k as number[], s as number[], p as number[], args.output_size);
  if (typeof sizes === "string") return { error: sizes };
  const ix = args.indices;
  if (isTensor(ix) && !isUnknown(ix.shape)) {
    if (ix.dtype !== "long") return { error: `elements in indices should be type int64 but got: ${ix.dtype === "bool" ? "Bool" : "Float"}` };
    const ixShape = ix.shape;
    const same = ixShape.length === rank && ixShape.every((d, j) => !isNum(d) || !isNum(shape[j]) || d === shape[j]);
    if (!same) {
      const as2 = (dims: readonly Dim[]) => (nd === 1 ? [...dims, 1] : dims);
      return { error: `Expected shape of indices to be same as that of the input tensor (${listText(as2(shape))}) but got indices tensor with shape: ${listText(as2(ixShape))}` };
    }
  }
  return tensor([...shape.slice(0, rank - nd), ...sizes], x.dtype);
}

function forwardUnpool(type: string, nd: number, args: Args, call: LayerCall): LayerResult {
  const bound = bindForward(type, FWD, call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const idx = bound.args.indices;
  const ix = tensorInput(type, idx, "indices");
  const out = unpoolOutput(nd, { ...args, input: x.t, indices: ix.ok ? ix.t : null, output_size: bound.args.output_size });
  if (isUnknown(out)) return result(unknownTensor(out.reason), out);
  if ("error" in out) return failed(forwardError(type, out.error, x.shape));
  return result(out, unknown(`the spec has no FLOPs rule for ${type}`));
}

function unpoolRule(nd: number): LayerRule {
  const type = `MaxUnpool${nd}d`;
  return {
    type,
    signature: UNPOOL_SIG,
    params: () => NO_PARAMS,
    forward: (args, call) => forwardUnpool(type, nd, args, call),
    explain: (args) => {
      const k = tup(args.kernel_size, nd, "kernel_size");
      const s = args.stride === null || args.stride === undefined ? k : tup(args.stride, nd, "stride");
      if (isUnknown(k) || isUnknown(s)) return [];
      return [`O = (I − 1)·stride − 2·padding + kernel_size, or output_size (within stride of it); stride ${listText(s)}, kernel ${listText(k)}`];
    },
  };
}

export const UNPOOL_RULES: readonly LayerRule[] = [1, 2, 3].map(unpoolRule);
