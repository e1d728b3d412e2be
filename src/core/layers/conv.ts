// Conv1d/2d/3d and ConvTranspose1d/2d/3d: output sizes, parameters, MACs/FLOPs, PyTorch's errors, explain lines.
import { add, format as formatDim, mul, product, sub, type Dim } from "../dim";
import { sig } from "../signature";
import { error, isUnknown, unknown, type Args, type Problem, type Unknown } from "../types";
import { reflectionPadError } from "./padding";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  boolArg,
  channelMismatch,
  convOutSize,
  costOf,
  dimArg,
  dimNames,
  factors,
  failed,
  firstInputShape,
  firstOutputShape,
  firstUnknown,
  forwardError,
  initError,
  intArg,
  isNum,
  listText,
  numel,
  paramCount,
  pyMod,
  result,
  shapeText,
  show,
  tensor,
  tensorInput,
  tup,
  type Int,
} from "./util";

const CONV_SIG = sig(
  "in_channels",
  "out_channels",
  "kernel_size",
  ["stride", 1],
  ["padding", 0],
  ["dilation", 1],
  ["groups", 1],
  ["bias", true],
  ["padding_mode", "zeros"],
  ["device", null],
  ["dtype", null],
);

const CONVT_SIG = sig(
  "in_channels",
  "out_channels",
  "kernel_size",
  ["stride", 1],
  ["padding", 0],
  ["output_padding", 0],
  ["groups", 1],
  ["bias", true],
  ["dilation", 1],
  ["padding_mode", "zeros"],
  ["device", null],
  ["dtype", null],
);

const PADDING_MODES = ["zeros", "reflect", "replicate", "circular"];

/** The hyper-parameters of a conv layer once read; numbers where known. */
interface ConvSpec {
  readonly nd: number;
  readonly transposed: boolean;
  readonly cin: Dim;
  readonly cout: Dim;
  readonly k: Int[] | Unknown;
  readonly s: Int[] | Unknown;
  /** Numbers, or "same" / "valid". */
  readonly p: Int[] | Unknown | "same";
  readonly d: Int[] | Unknown;
  readonly op: Int[] | Unknown;
  readonly groups: Int;
  readonly bias: boolean | Unknown;
  readonly paddingMode: string;
}

function readSpec(args: Args, nd: number, transposed: boolean): ConvSpec {
  const pad = args.padding;
  let p: ConvSpec["p"];
  if (typeof pad === "string") p = pad === "same" ? "same" : pad === "valid" ? Array(nd).fill(0) : unknown(`invalid padding '${pad}'`);
  else p = tup(pad, nd, "padding");
  return {
    nd,
    transposed,
    cin: dimArg(args.in_channels, "in_channels"),
    cout: dimArg(args.out_channels, "out_channels"),
    k: tup(args.kernel_size, nd, "kernel_size"),
    s: tup(args.stride, nd, "stride"),
    p,
    d: tup(args.dilation, nd, "dilation"),
    op: transposed ? tup(args.output_padding, nd, "output_padding") : Array(nd).fill(0),
    groups: intArg(args.groups, "groups"),
    bias: boolArg(args.bias, "bias"),
    paddingMode: typeof args.padding_mode === "string" ? args.padding_mode : "zeros",
  };
}

/** The oracle's wording of "in/out_channels must be divisible by groups", with a groups value that works. */
function groupsProblem(cin: number, cout: number, g: number): Problem {
  const inBad = pyMod(cin, g) !== 0;
  let text = `${inBad ? "in_channels" : "out_channels"} ${inBad ? cin : cout} is not divisible by groups ${g}`;
  const fixes: number[] = [];
  for (let d = 1; d <= Math.min(cin, cout); d++) if (cin % d === 0 && cout % d === 0 && d !== g) fixes.push(d);
  if (fixes.length === 0) return error("groups-mismatch", text);
  const below = fixes.filter((x) => x < g);
  const eg = below.length ? Math.max(...below) : fixes[0];
  text += ` (groups must divide both ${cin} and ${cout}, e.g. ${eg})`;
  return error("groups-mismatch", text, { arg: "groups", value: String(eg) });
}

function validateConv(type: string, args: Args, nd: number, transposed: boolean): Problem[] {
  const spec = readSpec(args, nd, transposed);
  if (transposed && spec.paddingMode !== "zeros") {
    return [initError("ValueError", `Only "zeros" padding mode is supported for ${type}`)];
  }
  const { cin, cout, groups: g } = spec;
  if (isNum(g) && g <= 0) return [initError("ValueError", "groups must be a positive integer")];
  if (isNum(g) && isNum(cin) && isNum(cout) && (pyMod(cin, g) !== 0 || pyMod(cout, g) !== 0)) {
    return [groupsProblem(cin, cout, g)];
  }
  if (!transposed && typeof args.padding === "string") {
    if (args.padding !== "same" && args.padding !== "valid") {
      return [initError("ValueError", `Invalid padding string '${args.padding}', should be one of {'valid', 'same'}`)];
    }
    if (args.padding === "same" && Array.isArray(spec.s) && spec.s.some((s) => isNum(s) && s !== 1)) {
      return [initError("ValueError", "padding='same' is not supported for strided convolutions")];
    }
  }
  if (!transposed && !PADDING_MODES.includes(spec.paddingMode)) {
    return [
      initError(
        "ValueError",
        `padding_mode must be one of {'circular', 'reflect', 'replicate', 'zeros'}, but got padding_mode='${spec.paddingMode}'`,
      ),
    ];
  }
  // the weight tensor is created last: negative sizes fail there
  if (isNum(cin) && isNum(cout) && isNum(g) && g > 0 && Array.isArray(spec.k) && spec.k.every(isNum)) {
    const w = transposed ? [cin, Math.floor(cout / g), ...spec.k] : [cout, Math.floor(cin / g), ...spec.k];
    const neg = w.find((x) => x < 0);
    if (neg !== undefined) {
      return [initError("RuntimeError", `Trying to create tensor with negative dimension ${neg}: ${listText(w)}`)];
    }
  }
  return [];
}

/** Channels per group (`in_channels // groups`), Unknown where it cannot be known. */
function perGroup(c: Dim, g: Int): Dim {
  if (isUnknown(g)) return g;
  if (g <= 0) return unknown("groups must be a positive integer");
  if (isNum(c)) return pyMod(c, g) === 0 ? c / g : unknown(`${c} channels are not divisible by groups ${g}`);
  return g === 1 ? c : unknown("symbolic channels divided by groups");
}

function convParams(args: Args, nd: number, transposed: boolean) {
  const spec = readSpec(args, nd, transposed);
  const kProd: Dim = isUnknown(spec.k) ? spec.k : product(spec.k);
  const inner = perGroup(transposed ? spec.cout : spec.cin, spec.groups);
  const weight = mul(mul(transposed ? spec.cin : spec.cout, inner), kProd);
  const parts: [string, Dim][] = [["weight", weight]];
  if (isUnknown(spec.bias)) parts.push(["bias", spec.bias]);
  else if (spec.bias) parts.push(["bias", spec.cout]);
  return paramCount(parts);
}

/** All hyper-parameters as plain numbers, or the reason they are not. */
function numbersOf(spec: ConvSpec): { k: number[]; s: number[]; p: number[] | "same"; d: number[]; op: number[]; g: number } | string {
  const u = firstUnknown(spec.k, spec.s, spec.d, spec.op, spec.groups, spec.p === "same" ? [] : spec.p);
  if (u) return u.reason;
  return {
    k: spec.k as number[],
    s: spec.s as number[],
    p: spec.p as number[] | "same",
    d: spec.d as number[],
    op: spec.op as number[],
    g: spec.groups as number,
  };
}

const CONVT_FWD = sig("input", ["output_size", null]);
const CONV_FWD = sig("input");

function forwardConv(type: string, args: Args, call: LayerCall, nd: number, transposed: boolean): LayerResult {
  const bound = bindForward(type, transposed ? CONVT_FWD : CONV_FWD, call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const rank = shape.length;
  const fn = transposed ? `conv_transpose${nd}d` : `conv${nd}d`;
  if (rank !== nd + 1 && rank !== nd + 2) {
    return failed(
      forwardError(type, `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${fn}, but got input of size: ${listText(shape)}`, shape),
    );
  }
  const spec = readSpec(args, nd, transposed);
  const nums = numbersOf(spec);
  const lead = shape.slice(0, rank - nd - 1);
  const c = shape[rank - nd - 1];
  const spatial = shape.slice(rank - nd);
  if (typeof nums === "string") return result(tensor([...lead, spec.cout, ...spatial.map(() => unknown(nums))]), unknown(nums));
  const { k, s, d, op } = nums;
  const p = nums.p;
  if (p !== "same" && p.some((v) => v < 0)) return failed(forwardError(type, "negative padding is not supported", shape));
  if (transposed && op.some((v) => v < 0)) return failed(forwardError(type, "negative output_padding is not supported", shape));
  if (s.some((v) => v <= 0)) return failed(forwardError(type, "non-positive stride is not supported", shape));
  // channels: the weight expects in_channels (conv: weight.size(1)·groups; transposed: weight.size(0))
  const g = nums.g;
  if (!transposed && isNum(spec.cout) && spec.cout < g) {
    const w = listText([spec.cout, perGroup(spec.cin, g), ...k]);
    return failed(forwardError(type, `Given groups=${g}, expected weight to be at least ${g} at dimension 0, but got weight of size ${w} instead`, shape));
  }
  if (!transposed && d.some((v) => v <= 0)) {
    return failed(forwardError(type, `dilation should be greater than zero, but got ${listText(nd === 1 ? [1, ...d] : d)}`, shape));
  }
  if (isNum(spec.cin) && isNum(c) && c !== spec.cin) return failed(channelMismatch(type, spec.cin, c, shape));
  let out: Dim[];
  if (!transposed) {
    const pads = p === "same" ? k.map((kk, i) => Math.floor((d[i] * (kk - 1)) / 2)) : p;
    if (p !== "same" && spec.paddingMode === "circular") {
      // circular padding needs the batch dim (F.pad then sees one spatial dim too few) and wraps at most once
      if (rank === nd + 1) return failed(forwardError(type, `Invalid padding size, expected ${2 * (rank - 2)} but got ${2 * nd}`, shape));
      if (spatial.some((i, j) => isNum(i) && pads[j] > i)) return failed(forwardError(type, "Padding value causes wrapping around more than once.", shape));
    }
    if (p !== "same" && spec.paddingMode === "reflect") {
      const msg = reflectionPadError(nd, pads.flatMap((v) => [v, v]).reverse(), shape);
      if (msg) return failed(forwardError(type, msg, shape));
    }
    if (p !== "same" && spatial.every(isNum)) {
      const padded = spatial.map((i, j) => (i as number) + 2 * pads[j]);
      const kern = k.map((kk, j) => d[j] * (kk - 1) + 1);
      if (padded.some((v, j) => v < kern[j])) {
        return failed(
          error(
            "size-too-small",
            `${type} kernel (${kern.join(" x ")}) is larger than the padded input (${padded.join(" x ")}) (input ${shapeText(shape)})`,
          ),
        );
      }
    }
    if (k.some((v) => v <= 0)) return failed(forwardError(type, kernelMessage(nd, k), shape));
    out = spatial.map((i, j) => (p === "same" ? i : convOutSize(i, k[j], s[j], pads[j], d[j])));
  } else {
    if (p === "same") return failed(forwardError(type, "padding='same' is not supported for transposed convolutions", shape));
    if (k.some((v) => v <= 0)) {
      if (nd === 3 && isNum(spec.cin) && isNum(spec.cout)) {
        const w = listText([spec.cin, perGroup(spec.cout, nums.g), ...k]);
        const msg = `non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) tensor expected for weight, but got: ${w}`;
        return failed(forwardError(type, msg, shape));
      }
      return failed(forwardError(type, kernelMessage(nd, k, true), shape));
    }
    if (d.some((v) => v <= 0)) {
      const names = nd === 3 ? ["depth", "height", "width"] : ["height", "width"];
      const dd = nd === 1 ? [1, ...d] : d;
      return failed(forwardError(type, `dilation should be greater than zero, but got ${names.map((n, j) => `dilation_${n}: ${dd[j]}`).join(", ")}`, shape));
    }
    if (op.some((v, j) => v >= s[j] && v >= d[j])) {
      return failed(forwardError(type, outputPaddingMessage(nd, op, s, d), shape));
    }
    out = spatial.map((i, j) => add(add(mul(sub(i, 1), s[j]), d[j] * (k[j] - 1) - 2 * p[j] + op[j]), 1));
    const requested = bound.args.output_size;
    if (Array.isArray(requested)) {
      const req = requested.length === nd + 2 ? requested.slice(2) : requested;
      if (req.length !== nd) {
        return failed(
          forwardError(type, `ConvTranspose${nd}D: for ${rank}D input, output_size must have ${nd} or ${nd + 2} elements (got ${requested.length})`, shape),
        );
      }
      const mins = spatial.map((i, j) => add(add(mul(sub(i, 1), s[j]), d[j] * (k[j] - 1) - 2 * p[j]), 1));
      const wanted = req.map((v) => dimArg(v, "output_size"));
      if (wanted.every(isNum) && mins.every(isNum) && spatial.every(isNum)) {
        const bad = wanted.some((w, j) => w < (mins[j] as number) || w > (mins[j] as number) + s[j] - 1);
        if (bad) {
          const maxs = mins.map((m, j) => (m as number) + s[j] - 1);
          return failed(
            forwardError(
              type,
              `requested an output size of ${listText(wanted)}, but valid sizes range from ${listText(mins)} to ${listText(maxs)} (for an input of torch.Size(${listText(spatial)}))`,
              shape,
            ),
          );
        }
      }
      out = wanted;
    }
    if (out.every(isNum) && spatial.every(isNum) && out.some((o) => (o as number) < 1)) {
      // PyTorch runs 1-D transposed convs as 2-D ones with a height of 1
      const ins = nd === 1 ? [1, ...spatial] : spatial;
      const outs = nd === 1 ? [1, ...out] : out;
      return failed(
        forwardError(
          type,
          `Given input size per channel: (${ins.join(" x ")}). Calculated output size per channel: (${outs.join(" x ")}). Output size is too small`,
          shape,
        ),
      );
    }
  }
  const outShape = [...lead, spec.cout, ...out];
  return result(tensor(outShape), convCost(spec, nums.g, k, shape, outShape));
}

/** "kernel size should be greater than zero" as the conv backends word it (1-D runs as 2-D). */
function kernelMessage(nd: number, k: number[], transposed = false): string {
  if (nd === 3 && !transposed) return `kernel size should be greater than zero, but got: ${k.join(" x ")} (TxHxW)`;
  const names = nd === 3 ? ["depth", "height", "width"] : ["height", "width"];
  const kk = nd === 1 ? [1, ...k] : k;
  return `kernel size should be greater than zero, but got ${names.map((n, j) => `kernel_${n}: ${kk[j]}`).join(" ")}`;
}

function outputPaddingMessage(nd: number, op: number[], s: number[], d: number[]): string {
  // 1-D runs as 2-D with height 1 (output_padding 0, stride 1, dilation 1)
  const names = nd === 3 ? ["depth", "height", "width"] : ["height", "width"];
  const pad = (v: number[], fill: number) => (nd === 1 ? [fill, ...v] : v);
  const [o, st, dl] = [pad(op, 0), pad(s, 1), pad(d, 1)];
  const part = (label: string, v: number[]) => names.map((n, i) => `${label}_${n}: ${v[i]}`).join(" ");
  return `output padding must be smaller than either stride or dilation, but got ${part("output_padding", o)} ${part("stride", st)} ${part("dilation", dl)}`;
}

function convCost(spec: ConvSpec, g: number, k: number[], inShape: readonly Dim[], outShape: readonly Dim[]) {
  const bias = spec.bias;
  if (isUnknown(bias)) return bias;
  const b = bias ? 1 : 0;
  const kProd = product(k);
  if (!spec.transposed) {
    const n = mul(perGroup(spec.cin, g), kProd);
    const on = numel(outShape);
    return costOf(mul(on, n), mul(on, add(mul(2, n), b - 1)), inShape);
  }
  const macs = mul(mul(numel(inShape), perGroup(spec.cout, g)), kProd);
  return costOf(macs, add(mul(2, macs), b ? numel(outShape) : 0), inShape);
}

// ---------------------------------------------------------------------------------------------
// explain

function explainConv(args: Args, call: LayerCall, res: LayerResult, nd: number, transposed: boolean): string[] {
  const spec = readSpec(args, nd, transposed);
  const nums = numbersOf(spec);
  if (typeof nums === "string") return [`unknown: ${nums}`];
  const lines: string[] = [];
  const inShape = firstInputShape(call);
  const outShape = firstOutputShape(res.output);
  const { k, s, d, op, g } = nums;
  if (inShape && inShape.length >= nd + 1) {
    const spatial = inShape.slice(inShape.length - nd);
    const formulas = spatial.map((i, j) => {
      const o = outShape ? formatDim(outShape[outShape.length - nd + j]) : "?";
      const iS = formatDim(i);
      if (transposed) {
        const pj = (nums.p as number[])[j];
        return `(${iS} − 1)·${s[j]} − 2·${pj} + ${d[j]}·(${k[j]} − 1) + ${op[j]} + 1 = ${o}`;
      }
      if (nums.p === "same") return `${o} (padding='same' keeps the size)`;
      return `⌊(${iS} + 2·${nums.p[j]} − ${d[j]}·(${k[j]} − 1) − 1) / ${s[j]}⌋ + 1 = ${o}`;
    });
    if (formulas.every((f) => f === formulas[0])) lines.push(`O = ${formulas[0]}`);
    else dimNames(nd).forEach((n, j) => lines.push(`O_${n} = ${formulas[j]}`));
  }
  const bias = spec.bias === true;
  const kText = k.join("·");
  const perGroupIn = formatDim(perGroup(spec.cin, g));
  const perGroupOut = formatDim(perGroup(spec.cout, g));
  const params = convParams(args, nd, transposed).total;
  const pText = isUnknown(params) ? "unknown" : show(params);
  if (!transposed) {
    lines.push(`params = ${bias ? `(${perGroupIn}·${kText} + 1)` : `${perGroupIn}·${kText}`}·${formatDim(spec.cout)} = ${pText}`);
  } else {
    lines.push(`params = ${formatDim(spec.cin)}·${perGroupOut}·${kText}${bias ? ` + ${formatDim(spec.cout)}` : ""} = ${pText}`);
  }
  if (outShape && inShape) {
    const cost = res.cost;
    const macsText = isUnknown(cost) ? `unknown (${cost.reason})` : show(cost.macs);
    const flopsText = isUnknown(cost) ? `unknown (${cost.reason})` : show(cost.flops);
    if (!transposed) {
      const n = `${perGroupIn}·${kText}`;
      lines.push(`MACs = (${n})·${factors(outShape)} = ${macsText}`);
      lines.push(`FLOPs = [(${n}) + (${n} − 1)${bias ? " + 1" : ""}]·${factors(outShape)} = ${flopsText}`);
    } else {
      lines.push(`MACs = ${factors(inShape)}·${perGroupOut}·${kText} = ${macsText}`);
      lines.push(`FLOPs = 2·MACs${bias ? ` + ${factors(outShape)}` : ""} = ${flopsText}`);
    }
  }
  return lines;
}

function convRule(nd: number, transposed: boolean): LayerRule {
  const type = transposed ? `ConvTranspose${nd}d` : `Conv${nd}d`;
  return {
    type,
    signature: transposed ? CONVT_SIG : CONV_SIG,
    validate: (args) => validateConv(type, args, nd, transposed),
    params: (args) => convParams(args, nd, transposed),
    forward: (args, call) => forwardConv(type, args, call, nd, transposed),
    explain: (args, call, res) => explainConv(args, call, res, nd, transposed),
  };
}

export const CONV_RULES: readonly LayerRule[] = [1, 2, 3].flatMap((nd) => [convRule(nd, false), convRule(nd, true)]);
