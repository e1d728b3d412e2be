// Conv1d/2d/3d and ConvTranspose1d/2d/3d: output sizes, parameters, MACs/FLOPs, PyTorch's errors, explain lines.
import { add, format as formatDim, mul, product, type Dim } from "../dim";
import { sig } from "../signature";
import { error, isUnknown, unknown, type ArgValue, type Args, type Opaque, type Problem, type Unknown } from "../types";
import { convSpatial, convTransposeSpatial, perGroup, type ConvNums } from "./convShapes";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  boolArg,
  channelMismatch,
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

function isOpaque(v: ArgValue | undefined): v is Opaque {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === "opaque";
}

function validateConv(type: string, args: Args, nd: number, transposed: boolean): Problem[] {
  const spec = readSpec(args, nd, transposed);
  if (transposed && spec.paddingMode !== "zeros") {
    return [initError("ValueError", `Only "zeros" padding mode is supported for ${type}`)];
  }
  const { cin, cout, groups: g } = spec;
  if (isNum(g) && g <= 0) return [initError("ValueError", "groups must be a positive integer")];
  for (const c of [args.in_channels, args.out_channels]) {
    // `in_channels % groups` in _ConvNd.__init__ on a container or a module (a Sequential subclass's __init__ given a slice's OrderedDict)
    if (isOpaque(c)) return [initError("TypeError", `unsupported operand type(s) for %: '${c.typeName}' and 'int'`)];
  }
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
function numbersOf(spec: ConvSpec): ConvNums | string {
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
  const out = transposed
    ? convTransposeSpatial(type, nd, nums, spec, shape, bound.args.output_size)
    : convSpatial(type, nd, nums, spec.paddingMode, shape);
  if (!Array.isArray(out)) return failed(out as Problem);
  const outShape = [...lead, spec.cout, ...out];
  return result(tensor(outShape), convCost(spec, nums.g, k, shape, outShape));
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
