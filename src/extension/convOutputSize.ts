// The conv / transposed-conv output-size maths behind the calculator command, with the formula written out (vscode-free).
import { add, format as formatDim, mul, sub, symbol, type Dim } from "../core/dim";
import { convOutSize } from "../core/layers/util";
import { t } from "./l10n";

export interface ConvSizeParams {
  /** Input size along one spatial dim: a number, or a name (`H`) for a symbolic answer. */
  readonly input: number | string;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  /** ConvTranspose only. */
  readonly outputPadding: number;
  readonly transposed: boolean;
}

export const CONV_DEFAULTS: Omit<ConvSizeParams, "input"> = { kernel: 3, stride: 1, padding: 0, dilation: 1, outputPadding: 0, transposed: false };

export const CONV_FORMULA = "O = ⌊(I + 2P − D(K − 1) − 1)/S⌋ + 1";
export const CONV_TRANSPOSE_FORMULA = "O = (I − 1)S − 2P + D(K − 1) + OP + 1";

export interface ConvSizeResult {
  /** The output size (a number, or an expression such as `H-4`), or null when PyTorch would refuse. */
  readonly output: number | string | null;
  /** The general formula. */
  readonly formula: string;
  /** The formula with the numbers put in, ending in the result. */
  readonly worked: string;
  /** Why there is no output (PyTorch's complaint, in words), if there is none. */
  readonly error?: string;
}

/** Output size of ConvNd (PyTorch: floor((I + 2P − D(K−1) − 1)/S) + 1) or ConvTransposeNd ((I − 1)S − 2P + D(K − 1) + OP + 1). */
export function convOutputSize(p: ConvSizeParams): ConvSizeResult {
  const i: Dim = typeof p.input === "number" ? p.input : symbol(p.input);
  const I = String(p.input);
  const { kernel: K, stride: S, padding: P, dilation: D, outputPadding: OP } = p;
  const problem = validate(p);
  if (!p.transposed) {
    const inner = `${I} + 2·${P} − ${D}·(${K} − 1) − 1`;
    if (problem) return { output: null, formula: CONV_FORMULA, worked: `O = ⌊(${inner})/${S}⌋ + 1`, error: problem };
    const o = convOutSize(i, K, S, P, D);
    const n = add(i, 2 * P - D * (K - 1) - 1);
    const numerator = typeof n === "number" ? String(n) : `(${formatDim(n)})`;
    const out = typeof o === "number" ? o : formatDim(o);
    const worked = `O = ⌊(${inner})/${S}⌋ + 1 = ⌊${numerator}/${S}⌋ + 1 = ${out}`;
    if (typeof o === "number" && o < 1) {
      const padded = (p.input as number) + 2 * P;
      return { output: null, formula: CONV_FORMULA, worked, error: t("the kernel spans {0} but the padded input is only {1}, so the output would be empty", D * (K - 1) + 1, padded) };
    }
    return { output: out, formula: CONV_FORMULA, worked };
  }
  const worked0 = `O = (${I} − 1)·${S} − 2·${P} + ${D}·(${K} − 1) + ${OP} + 1`;
  if (problem) return { output: null, formula: CONV_TRANSPOSE_FORMULA, worked: worked0, error: problem };
  const o = add(add(mul(sub(i, 1), S), D * (K - 1) - 2 * P + OP), 1);
  const out = typeof o === "number" ? o : formatDim(o);
  const worked = `${worked0} = ${out}`;
  if (typeof o === "number" && o < 1) return { output: null, formula: CONV_TRANSPOSE_FORMULA, worked, error: t("the output size {0} is not positive: the padding is too large", o) };
  return { output: out, formula: CONV_TRANSPOSE_FORMULA, worked };
}

function validate(p: ConvSizeParams): string | undefined {
  if (typeof p.input === "number" && (!Number.isInteger(p.input) || p.input < 1)) return t("the input size must be a positive whole number");
  if (!Number.isInteger(p.kernel) || p.kernel < 1) return t("the kernel size must be at least 1");
  if (!Number.isInteger(p.stride) || p.stride < 1) return t("the stride must be at least 1");
  if (!Number.isInteger(p.padding) || p.padding < 0) return t("the padding cannot be negative");
  if (!Number.isInteger(p.dilation) || p.dilation < 1) return t("the dilation must be at least 1");
  if (p.transposed) {
    if (!Number.isInteger(p.outputPadding) || p.outputPadding < 0) return t("the output padding cannot be negative");
    if (p.outputPadding >= p.stride && p.outputPadding >= p.dilation) {
      return t("output_padding ({0}) must be smaller than either stride ({1}) or dilation ({2})", p.outputPadding, p.stride, p.dilation);
    }
  }
  return undefined;
}

/** Validates one field of the calculator's input boxes: undefined when fine, else the message to show. */
export function checkField(text: string, min: number, allowSymbol = false): string | undefined {
  const v = text.trim();
  if (allowSymbol && /^[A-Za-z_]\w*$/.test(v)) return undefined;
  if (!/^\d+$/.test(v)) return allowSymbol ? t("a whole number (or a name such as H for a symbolic size)") : t("a whole number");
  if (parseInt(v, 10) < min) return t("at least {0}", min);
  return undefined;
}

/** The value of a field that passed checkField. */
export function fieldValue(text: string): number | string {
  const v = text.trim();
  return /^\d+$/.test(v) ? parseInt(v, 10) : v;
}

/** The one-line answer the calculator shows: "O = ⌊(32 + 2·0 − 1·(5 − 1) − 1)/1⌋ + 1 = ⌊27/1⌋ + 1 = 28". */
export function describeResult(p: ConvSizeParams, r: ConvSizeResult): string {
  const what = p.transposed ? "ConvTranspose" : "Conv";
  const args = `I=${p.input}, K=${p.kernel}, S=${p.stride}, P=${p.padding}, D=${p.dilation}${p.transposed ? `, OP=${p.outputPadding}` : ""}`;
  if (r.output === null) return t("{0} ({1}): no valid output — {2}. {3}", what, args, r.error ?? "", r.worked);
  return t("{0} ({1}): output size {2}. {3}", what, args, r.output, r.worked);
}
