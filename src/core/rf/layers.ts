// Receptive field of an nn layer call (the oracle's module_rf), one table entry per layer family.
import type { ArgValue, Args, Output } from "../types";
import { firstTensor, intOf, tensorsIn, tupleOf } from "./args";
import { noRule, pixelRf } from "./ops";
import { rfLinear, rfReshape } from "./reshape";
import { convPadding, rfAdaptive, rfConvLike, rfConvTransposeLike, rfInterp, rfPad } from "./rules";
import { GLOBAL, InState, MISSING, spatialish, type RfState } from "./state";
import { stateOf } from "./stateOf";

/** What a layer rule sees: constructor args, the input state and tensor, the call and its output. */
interface LayerCall {
  readonly type: string;
  readonly args: Args;
  readonly state: RfState;
  readonly x: unknown;
  readonly out: unknown;
  readonly inputs: readonly ArgValue[];
  readonly kwargs: Args;
}

type LayerRfRule = (c: LayerCall) => RfState;

const names = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** The spatial rank from a class name: Conv2d -> 2. */
function ndOf(type: string): number {
  const m = /(\d)d$/.exec(type);
  return m ? Number(m[1]) : 2;
}

const conv: LayerRfRule = ({ type, args, state, x, out }) => {
  const nd = ndOf(type);
  const ks = tupleOf(args.kernel_size, nd);
  const ss = tupleOf(args.stride ?? 1, nd);
  const ds = tupleOf(args.dilation ?? 1, nd);
  return rfConvLike(state, x, out, nd, ks, ss, convPadding(args.padding ?? 0, ks, ds, nd), ds);
};

const convTranspose: LayerRfRule = ({ type, args, state, x, out }) => {
  const nd = ndOf(type);
  const p = tupleOf(args.padding ?? 0, nd);
  return rfConvTransposeLike(state, x, out, nd, tupleOf(args.kernel_size, nd), tupleOf(args.stride ?? 1, nd), p, tupleOf(args.dilation ?? 1, nd));
};

const pool: LayerRfRule = ({ type, args, state, x, out }) => {
  const nd = ndOf(type);
  const k = tupleOf(args.kernel_size, nd);
  const s = args.stride === undefined || args.stride === null ? k : tupleOf(args.stride, nd);
  const d = type.startsWith("Max") ? tupleOf(args.dilation ?? 1, nd) : Array<number>(nd).fill(1);
  return rfConvLike(state, x, out, nd, k, s, tupleOf(args.padding ?? 0, nd), d);
};

const adaptive: LayerRfRule = ({ type, state, x, out }) => rfAdaptive(state, x, out, ndOf(type));

const upsample: LayerRfRule = ({ type, args, state, x, out }) => {
  let mode = typeof args.mode === "string" ? args.mode : "nearest";
  let ac = args.align_corners === true;
  if (type === "UpsamplingNearest2d") mode = "nearest";
  if (type === "UpsamplingBilinear2d") [mode, ac] = ["bilinear", true];
  // nn.Upsample keeps float(scale_factor) only when it is truthy
  let sf: ArgValue | undefined = args.scale_factor;
  if (typeof sf === "number" && sf === 0) sf = null;
  return rfInterp(state, x, out, mode, sf, ac, args.recompute_scale_factor === true);
};

const pad: LayerRfRule = ({ type, args, state, x, out }) => {
  const p = args.padding;
  const n = 2 * ndOf(type);
  const pads = typeof p === "number" ? Array<ArgValue>(n).fill(p) : p;
  return rfPad(state, x, out, pads);
};

const attention: LayerRfRule = ({ inputs, kwargs }) => {
  // every output token attends to every key token: global when the tokens come from the
  // spatial input, not defined for tokens from the start
  const qkv = [...inputs.slice(0, 3), ...["query", "key", "value"].filter((k) => k in kwargs).map((k) => kwargs[k])];
  return qkv.some((a) => spatialish(stateOf(a))) ? GLOBAL : null;
};

/** Transformer layers, as their traced children give: attention makes spatial tokens global. */
const transformer: LayerRfRule = ({ state, inputs, kwargs }) => {
  const all = [...inputs, ...Object.values(kwargs)].flatMap((v) => tensorsIn(v));
  if (all.some((t) => spatialish(stateOf(t)))) return GLOBAL;
  return state instanceof InState ? state : null;
};

const preserve: LayerRfRule = ({ state }) => state;
const none: LayerRfRule = () => null;

const PRESERVE = names(`ReLU ReLU6 LeakyReLU PReLU RReLU ELU SELU CELU GELU SiLU Sigmoid LogSigmoid Tanh Hardtanh
  Hardswish Hardsigmoid Mish Softplus Softsign Tanhshrink Threshold Hardshrink Softshrink Softmax LogSoftmax
  Softmax2d Softmin Dropout Dropout1d Dropout2d Dropout3d AlphaDropout FeatureAlphaDropout Identity BatchNorm1d
  BatchNorm2d BatchNorm3d SyncBatchNorm LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d LayerNorm GroupNorm
  InstanceNorm1d InstanceNorm2d InstanceNorm3d LazyInstanceNorm1d LazyInstanceNorm2d LazyInstanceNorm3d`);

/** Layer type -> rf rule. Types not listed use the no-rule fallback over their inputs. */
export const LAYER_RF_RULES: ReadonlyMap<string, LayerRfRule> = new Map<string, LayerRfRule>([
  ...names("Conv1d Conv2d Conv3d LazyConv1d LazyConv2d LazyConv3d").map((t) => [t, conv] as const),
  ...names("ConvTranspose1d ConvTranspose2d ConvTranspose3d LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d").map(
    (t) => [t, convTranspose] as const,
  ),
  ...names("MaxPool1d MaxPool2d MaxPool3d AvgPool1d AvgPool2d AvgPool3d").map((t) => [t, pool] as const),
  ...names("AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d").map(
    (t) => [t, adaptive] as const,
  ),
  ...names("Upsample UpsamplingNearest2d UpsamplingBilinear2d").map((t) => [t, upsample] as const),
  ["PixelShuffle", ({ args, state, x, out }) => pixelRf(state, x, out, true, intOf(args.upscale_factor))],
  ["PixelUnshuffle", ({ args, state, x, out }) => pixelRf(state, x, out, false, intOf(args.downscale_factor))],
  ...names(`ZeroPad1d ZeroPad2d ZeroPad3d ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad1d ReflectionPad2d
    ReflectionPad3d ReplicationPad1d ReplicationPad2d ReplicationPad3d CircularPad1d CircularPad2d CircularPad3d`).map(
    (t) => [t, pad] as const,
  ),
  ...names("Linear LazyLinear Bilinear NonDynamicallyQuantizableLinear").map((t) => [t, ({ state, x }: LayerCall) => rfLinear(state, x)] as const),
  ...names("Flatten Unflatten").map((t) => [t, ({ state, x, out }: LayerCall) => rfReshape(state, x, out)] as const),
  ["MultiheadAttention", attention],
  ...names("TransformerEncoderLayer TransformerDecoderLayer TransformerEncoder TransformerDecoder Transformer").map(
    (t) => [t, transformer] as const,
  ),
  ...names("Embedding EmbeddingBag RNN LSTM GRU RNNCell LSTMCell GRUCell").map((t) => [t, none] as const),
  ...PRESERVE.map((t) => [t, preserve] as const),
]);

/**
 * module_rf: the RF state of a layer's output. `args` are the constructor arguments by PyTorch's
 * names, `inputs`/`kwargs` the forward call; the first tensor passed is the layer's input.
 * Never MISSING (a layer's output is always reported).
 */
export function layerRf(type: string, args: Args, inputs: readonly ArgValue[], kwargs: Args, output: Output): RfState {
  const x = firstTensor(inputs as ArgValue) ?? firstTensor(Object.values(kwargs) as ArgValue);
  const state = x ? stateOf(x) : MISSING;
  const rule = LAYER_RF_RULES.get(type);
  const st = rule
    ? rule({ type, args, state, x, out: firstTensor(output), inputs, kwargs })
    : noRule([...inputs, ...Object.values(kwargs)]);
  return st === MISSING ? null : st;
}
