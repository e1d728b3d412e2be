// Linear, Bilinear and Embedding: feature-dim shapes, parameters, MACs/FLOPs and PyTorch's errors.
import { indexOutOfRange } from "../valueRange";
import { add, format as formatDim, mul, type Dim } from "../dim";
import { sig } from "../signature";
import { error, isUnknown, unknown, type Args, type Problem } from "../types";
import { BAG_RULES } from "./bags";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  boolArg,
  costOf,
  dimArg,
  factors,
  failed,
  firstInputShape,
  forwardError,
  initError,
  intArg,
  isNum,
  listText,
  numel,
  paramCount,
  result,
  shapeText,
  show,
  tensor,
  tensorInput,
} from "./util";

/** "Trying to create tensor with negative dimension" for a weight of these sizes. */
function negativeWeight(sizes: readonly Dim[]): Problem[] {
  const neg = sizes.find((d) => isNum(d) && d < 0);
  if (neg === undefined) return [];
  return [initError("RuntimeError", `Trying to create tensor with negative dimension ${neg as number}: ${listText(sizes)}`)];
}

// ---------------------------------------------------------------------------------------------
// Linear

const LINEAR_SIG = sig("in_features", "out_features", ["bias", true], ["device", null], ["dtype", null]);

function linearParams(args: Args) {
  const i = dimArg(args.in_features, "in_features");
  const o = dimArg(args.out_features, "out_features");
  const bias = boolArg(args.bias, "bias");
  const parts: [string, Dim][] = [["weight", mul(o, i)]];
  if (isUnknown(bias)) parts.push(["bias", bias]);
  else if (bias) parts.push(["bias", o]);
  return paramCount(parts);
}

function forwardLinear(args: Args, call: LayerCall): LayerResult {
  const type = "Linear";
  const bound = bindForward(type, sig("input"), call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const shape = x.shape;
  if (shape.length === 0) return failed(forwardError(type, "both arguments to matmul need to be at least 1D, but they are 0D and 2D", shape));
  const i = dimArg(args.in_features, "in_features");
  const o = dimArg(args.out_features, "out_features");
  const last = shape[shape.length - 1];
  if (isNum(i) && isNum(last) && i !== last) {
    return failed(
      error("in-features-mismatch", `Linear expects ${i} input features but receives ${last} (input ${shapeText(shape)}); fix: in_features=${last}`, {
        arg: "in_features",
        value: String(last),
      }),
    );
  }
  const outShape = [...shape.slice(0, -1), o];
  const bias = boolArg(args.bias, "bias");
  if (isUnknown(bias)) return result(tensor(outShape), bias);
  const rows = numel(shape.slice(0, -1));
  if (o === 0) return result(tensor(outShape), unknown("Linear with out_features=0 has no cost rule"));
  const cost = costOf(mul(mul(rows, i), o), mul(mul(rows, o), add(mul(2, i), bias ? 0 : -1)), shape);
  return result(tensor(outShape), cost);
}

function explainLinear(args: Args, call: LayerCall, res: LayerResult): string[] {
  const i = formatDim(dimArg(args.in_features, "in_features"));
  const o = formatDim(dimArg(args.out_features, "out_features"));
  const bias = boolArg(args.bias, "bias") === true;
  const p = linearParams(args).total;
  const lines = [`params = ${bias ? `(${i} + 1)·${o}` : `${i}·${o}`} = ${isUnknown(p) ? "unknown" : show(p)}`];
  const inShape = firstInputShape(call);
  if (inShape && inShape.length > 0) {
    const rows = factors(inShape.slice(0, -1));
    const c = res.cost;
    const macs = isUnknown(c) ? `unknown (${c.reason})` : show(c.macs);
    const flops = isUnknown(c) ? `unknown (${c.reason})` : show(c.flops);
    lines.push(`MACs = rows·I·O = ${rows}·${i}·${o} = ${macs}`);
    lines.push(`FLOPs = [${i} + (${i} − 1)${bias ? " + 1" : ""}]·${o}·${rows} = ${flops}`);
  }
  return lines;
}

const LINEAR: LayerRule = {
  type: "Linear",
  signature: LINEAR_SIG,
  validate: (args) => negativeWeight([dimArg(args.out_features, "out_features"), dimArg(args.in_features, "in_features")]),
  params: linearParams,
  forward: forwardLinear,
  explain: explainLinear,
};

// ---------------------------------------------------------------------------------------------
// Bilinear

const BILINEAR_SIG = sig("in1_features", "in2_features", "out_features", ["bias", true], ["device", null], ["dtype", null]);

function bilinearDims(args: Args): [Dim, Dim, Dim] {
  return [dimArg(args.in1_features, "in1_features"), dimArg(args.in2_features, "in2_features"), dimArg(args.out_features, "out_features")];
}

function forwardBilinear(args: Args, call: LayerCall): LayerResult {
  const type = "Bilinear";
  const bound = bindForward(type, sig("input1", "input2"), call);
  if (!bound.ok) return bound.result;
  const a = tensorInput(type, bound.args.input1, "input1");
  if (!a.ok) return a.result;
  const b = tensorInput(type, bound.args.input2, "input2");
  if (!b.ok) return b.result;
  const [s1, s2] = [a.shape, b.shape];
  const [i1, i2, o] = bilinearDims(args);
  const fail = (msg: string) => failed(forwardError(type, msg, s1));
  if (s1.length !== s2.length) return fail(`bilinear(): input dimensions do not match: got ${s1.length} and ${s2.length}`);
  for (let k = 0; k < s1.length - 1; k++) {
    if (isNum(s1[k]) && isNum(s2[k]) && s1[k] !== s2[k]) {
      return fail(`bilinear(): input batch dimensions do not match at dim ${k}: got ${s1[k] as number} and ${s2[k] as number}`);
    }
  }
  const [l1, l2] = [s1[s1.length - 1], s2[s2.length - 1]];
  if (isNum(l1) && isNum(i1) && l1 !== i1) return fail(`bilinear(): input1 size does not match weight size: got ${l1} but expected ${i1}`);
  if (isNum(l2) && isNum(i2) && l2 !== i2) return fail(`bilinear(): input2 size does not match weight size: got ${l2} but expected ${i2}`);
  return result(tensor([...s1.slice(0, -1), o]), unknown("the spec has no FLOPs rule for Bilinear"));
}

const BILINEAR: LayerRule = {
  type: "Bilinear",
  signature: BILINEAR_SIG,
  validate: (args) => {
    const [i1, i2, o] = bilinearDims(args);
    return negativeWeight([o, i1, i2]);
  },
  params: (args) => {
    const [i1, i2, o] = bilinearDims(args);
    const bias = boolArg(args.bias, "bias");
    const parts: [string, Dim][] = [["weight", mul(mul(o, i1), i2)]];
    if (isUnknown(bias)) parts.push(["bias", bias]);
    else if (bias) parts.push(["bias", o]);
    return paramCount(parts);
  },
  forward: forwardBilinear,
};

// ---------------------------------------------------------------------------------------------
// Embedding

const EMBEDDING_SIG = sig(
  "num_embeddings",
  "embedding_dim",
  ["padding_idx", null],
  ["max_norm", null],
  ["norm_type", 2.0],
  ["scale_grad_by_freq", false],
  ["sparse", false],
  ["_weight", null],
  ["_freeze", false],
  ["device", null],
  ["dtype", null],
);

const EMBEDDING: LayerRule = {
  type: "Embedding",
  signature: EMBEDDING_SIG,
  validate: (args) => {
    const n = intArg(args.num_embeddings, "num_embeddings");
    const pad = args.padding_idx;
    if (isNum(n) && typeof pad === "number" && ((pad > 0 && pad >= n) || (pad < 0 && pad < -n))) {
      return [initError("AssertionError", "Padding_idx must be within num_embeddings")];
    }
    return negativeWeight([dimArg(args.num_embeddings, "num_embeddings"), dimArg(args.embedding_dim, "embedding_dim")]);
  },
  params: (args) => paramCount([["weight", mul(dimArg(args.num_embeddings, "num_embeddings"), dimArg(args.embedding_dim, "embedding_dim"))]]),
  forward: (args, call) => {
    const type = "Embedding";
    const bound = bindForward(type, sig("input"), call);
    if (!bound.ok) return bound.result;
    const x = tensorInput(type, bound.args.input);
    if (!x.ok) return x.result;
    if (x.t.dtype !== "long") {
      const got = x.t.dtype === "bool" ? "CPUBoolType" : "torch.FloatTensor";
      return failed(
        forwardError(
          type,
          `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${got} instead (while checking arguments for embedding)`,
          x.shape,
        ),
      );
    }
    const rows = args.num_embeddings;
    if (typeof rows === "number" && indexOutOfRange(x.t, rows)) return failed(forwardError(type, "index out of range in self", x.shape));
    return result(tensor([...x.shape, dimArg(args.embedding_dim, "embedding_dim")]), { macs: 0, flops: 0 });
  },
  explain: (args, call) => {
    const shape = firstInputShape(call);
    const d = formatDim(dimArg(args.embedding_dim, "embedding_dim"));
    return [
      `params = num_embeddings·embedding_dim = ${formatDim(dimArg(args.num_embeddings, "num_embeddings"))}·${d}`,
      ...(shape ? [`output = ${listText([...shape, dimArg(args.embedding_dim, "embedding_dim")])} (a table lookup: 0 FLOPs)`] : []),
    ];
  },
};

// EmbeddingBag and GLU live in bags.ts
export const LINEAR_RULES: readonly LayerRule[] = [LINEAR, BILINEAR, EMBEDDING, ...BAG_RULES];
