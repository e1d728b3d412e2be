// Matrix functions (torch.linalg.*, det/inverse/slogdet/pinverse/matrix_exp/cholesky_solve/triangular_solve) and a few elementwise predicates: shapes; no FLOPs rule in spec v1.
import { type Dim } from "../dim";
import { sig, type Signature } from "../signature";
import { isUnknown, unknown, type ArgValue, type Args, type DType, type Output, type TensorMeta } from "../types";
import { broadcastShapes } from "./broadcast";
import { failure, isBad, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp, type CostSpec } from "./define";
import { reducedShape } from "./reduce";
import type { OpNamespace, OpRule } from "./rule";

const TM: readonly OpNamespace[] = ["torch", "method"];
type Known = { readonly t: TensorMeta; readonly shape: Shape };
type Got = Known | Output | Failure;
const isKnown = (g: Got): g is Known => typeof g === "object" && g !== null && "t" in g && "shape" in g && !("kind" in g);

function arg(args: Args, name: string, fname: string): Got {
  const x = tensorShape(args, name, fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  return x;
}

function op(name: string, namespaces: readonly OpNamespace[], signature: Signature, output: (a: Args) => Output | Failure, cost: CostSpec = "none"): OpRule {
  return defineOp({ name, namespaces, signature, cost, output });
}

/** A batch of matrices (..., m, n), checked square when asked, as `fname` words it. */
function matrices(a: Args, param: string, fname: string, square: boolean): Got {
  const x = arg(a, param, fname);
  if (!isKnown(x)) return x;
  const s = x.shape;
  if (s.length < 2) return failure(`${fname}: The input tensor ${param === "input" ? "A" : param} must have at least 2 dimensions.`);
  const [m, n] = [s[s.length - 2], s[s.length - 1]];
  if (square && typeof m === "number" && typeof n === "number" && m !== n) return failure(`${fname}: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  return x;
}

const minDim = (m: Dim, n: Dim): Dim => (typeof m === "number" && typeof n === "number" ? Math.min(m, n) : m === n ? m : unknown("min of symbolic sizes"));

/** det/logdet/slogdet: the batch shape (slogdet: sign and log|det|). */
function determinant(fname: string, pair: boolean) {
  return (a: Args): Output | Failure => {
    const x = matrices(a, "input", fname, true);
    if (!isKnown(x)) return x;
    const b = x.shape.slice(0, -2);
    return pair ? [tensorOf(b, x.t.dtype), tensorOf(b, x.t.dtype)] : tensorOf(b, x.t.dtype);
  };
}

/** inverse/matrix_exp/cholesky/matrix_power: square matrices, same shape. */
function sameSquare(fname: string) {
  return (a: Args): Output | Failure => {
    const x = matrices(a, "input", fname, true);
    return isKnown(x) ? tensorOf(x.shape, x.t.dtype) : x;
  };
}

/** pinv/pinverse: (..., m, n) -> (..., n, m). */
function pinv(fname: string) {
  return (a: Args): Output | Failure => {
    const x = matrices(a, "input", fname, false);
    if (!isKnown(x)) return x;
    const s = x.shape;
    return tensorOf([...s.slice(0, -2), s[s.length - 1], s[s.length - 2]], x.t.dtype);
  };
}

/** linalg.solve(A (..., n, n), B (..., n, k) or (..., n)): B's shape with the batch dims broadcast. */
function solve(a: Args): Output | Failure {
  const A = matrices(a, "A", "linalg.solve", true);
  if (!isKnown(A)) return A;
  const B = arg(a, "B", "linalg.solve");
  if (!isKnown(B)) return B;
  const n = A.shape[A.shape.length - 1];
  const vector = B.shape.length === 1 || (B.shape.length === A.shape.length - 1 && B.shape[B.shape.length - 1] === n);
  const tail = vector ? [n] : B.shape.slice(-2);
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, B.shape.length - tail.length));
  return isBad(batch) ? batch : tensorOf([...batch, ...tail], A.t.dtype);
}

/** cholesky_solve(B, L) / triangular_solve(b, A): the right-hand side's shape with the batch dims broadcast. */
function solveWith(fname: string, rhs: string, lhs: string, withCoefficient: boolean) {
  return (a: Args): Output | Failure => {
    const B = matrices(a, rhs, fname, false);
    if (!isKnown(B)) return B;
    const L = matrices(a, lhs, fname, true);
    if (!isKnown(L)) return L;
    const batch = broadcastShapes(B.shape.slice(0, -2), L.shape.slice(0, -2));
    if (isBad(batch)) return batch;
    const sol = tensorOf([...batch, ...B.shape.slice(-2)], B.t.dtype);
    return withCoefficient ? [sol, tensorOf([...batch, ...L.shape.slice(-2)], L.t.dtype)] : sol;
  };
}

/** linalg.qr(A, mode): reduced Q (m, k), R (k, n); complete Q (m, m), R (m, n); 'r' an empty Q. */
function qr(a: Args): Output | Failure {
  const x = matrices(a, "A", "linalg.qr", false);
  if (!isKnown(x)) return x;
  const b = x.shape.slice(0, -2);
  const [m, n] = x.shape.slice(-2);
  const k = minDim(m, n);
  if (a.mode === "complete") return [tensorOf([...b, m, m], x.t.dtype), tensorOf([...b, m, n], x.t.dtype)];
  if (a.mode === "r") return [tensorOf([0], x.t.dtype), tensorOf([...b, k, n], x.t.dtype)];
  return [tensorOf([...b, m, k], x.t.dtype), tensorOf([...b, k, n], x.t.dtype)];
}

/** linalg.svd(A, full_matrices): U, S (..., k), Vh; svdvals: S. */
function svd(valsOnly: boolean) {
  return (a: Args): Output | Failure => {
    const x = matrices(a, "A", valsOnly ? "linalg.svdvals" : "linalg.svd", false);
    if (!isKnown(x)) return x;
    const b = x.shape.slice(0, -2);
    const [m, n] = x.shape.slice(-2);
    const k = minDim(m, n);
    const S = tensorOf([...b, k], x.t.dtype);
    if (valsOnly) return S;
    const full = a.full_matrices !== false;
    return [tensorOf([...b, m, full ? m : k], x.t.dtype), S, tensorOf([...b, full ? n : k, n], x.t.dtype)];
  };
}

/** linalg.eigh(A): eigenvalues (..., n) and eigenvectors (..., n, n); eigvalsh the values. */
function eigh(valsOnly: boolean) {
  return (a: Args): Output | Failure => {
    const x = matrices(a, "A", valsOnly ? "linalg.eigvalsh" : "linalg.eigh", true);
    if (!isKnown(x)) return x;
    const vals = tensorOf(x.shape.slice(0, -1), x.t.dtype);
    return valsOnly ? vals : [vals, tensorOf(x.shape, x.t.dtype)];
  };
}

/** A norm over `dim` (all dims when none; a matrix norm over the last two). */
function norm(fname: string, param: string, defaultDims: ArgValue) {
  return (a: Args): Output | Failure => {
    const x = arg(a, param, fname);
    if (!isKnown(x)) return x;
    const dim = a.dim ?? defaultDims;
    const s = reducedShape(x.shape, dim, a.keepdim === true);
    return isBad(s) ? (isUnknown(s) ? unknownTensor(s.reason, x.t.dtype) : s) : tensorOf(s, x.t.dtype);
  };
}

/** Same shape, another dtype (isnan -> bool); logit keeps float. */
function predicate(fname: string, dtype: DType | null) {
  return (a: Args): Output | Failure => {
    const x = arg(a, "input", fname);
    return isKnown(x) ? tensorOf(x.shape, dtype ?? x.t.dtype) : x;
  };
}

/** isclose(a, b): the broadcast shape, bool. */
function isclose(a: Args): Output | Failure {
  const x = arg(a, "input", "isclose");
  if (!isKnown(x)) return x;
  const y = arg(a, "other", "isclose");
  if (!isKnown(y)) return y;
  const b = broadcastShapes(x.shape, y.shape);
  return isBad(b) ? b : tensorOf(b, "bool");
}

/** x.type(): the type's name; x.type(dtype or 'torch.LongTensor'): a cast. */
function typeCast(a: Args): Output | ArgValue | Failure {
  const x = arg(a, "input", "type");
  if (!isKnown(x)) return x;
  const d = a.dtype;
  if (d === null || d === undefined) return x.t.dtype === "float" ? "torch.FloatTensor" : x.t.dtype === "long" ? "torch.LongTensor" : "torch.BoolTensor";
  const name = typeof d === "string" ? d : typeof d === "object" && !Array.isArray(d) && (d as { kind?: string }).kind === "opaque" ? (d as { typeName: string }).typeName : "";
  const n = name.replace(/^dtype:/, "").replace(/^torch\.(cuda\.)?/, "");
  const dtype: DType | undefined = /^(float|double|half|bfloat16|Float|Double|Half|BFloat16|complex|cfloat|cdouble)/.test(n) ? "float"
    : /^(long|int|short|uint8|char|byte|Long|Int|Short|Char|Byte)/.test(n) ? "long" : /^(bool|Bool)/.test(n) ? "bool" : undefined;
  return dtype ? tensorOf(x.shape, dtype) : unknownTensor("a cast to a type not understood");
}

const LINALG_SIG = (p: string, ...rest: (string | readonly [string, ArgValue])[]) => sig(p, ...rest);

export const LINALG_OPS: readonly OpRule[] = [
  op("linalg_det", ["torch"], LINALG_SIG("input"), determinant("linalg.det", false)),
  op("det", TM, sig("input"), determinant("linalg.det", false)),
  op("logdet", TM, sig("input"), determinant("linalg.det", false)),
  op("linalg_slogdet", ["torch"], sig("input"), determinant("linalg.slogdet", true)),
  op("slogdet", TM, sig("input"), determinant("linalg.slogdet", true)),
  op("linalg_inv", ["torch"], sig("input"), sameSquare("linalg.inv")),
  op("inverse", TM, sig("input"), sameSquare("linalg.inv")),
  op("linalg_matrix_exp", ["torch"], sig("input"), sameSquare("linalg.matrix_exp")),
  op("matrix_exp", TM, sig("input"), sameSquare("linalg.matrix_exp")),
  op("linalg_cholesky", ["torch"], sig("input", ["upper", false]), sameSquare("linalg.cholesky")),
  op("cholesky", TM, sig("input", ["upper", false]), sameSquare("linalg.cholesky")),
  op("linalg_matrix_power", ["torch"], sig("input", "n"), sameSquare("linalg.matrix_power")),
  op("matrix_power", TM, sig("input", "n"), sameSquare("linalg.matrix_power")),
  op("linalg_pinv", ["torch"], { ...sig("input", ["rcond", null], ["hermitian", false]), kwOnly: [{ name: "atol", default: null }, { name: "rtol", default: null }] }, pinv("linalg.pinv")),
  op("pinverse", TM, sig("input", ["rcond", 1e-15]), pinv("linalg.pinv")),
  op("linalg_solve", ["torch"], { ...sig("A", "B"), kwOnly: [{ name: "left", default: true }] }, solve),
  op("cholesky_solve", TM, sig("input", "input2", ["upper", false]), solveWith("cholesky_solve", "input", "input2", false)),
  op("triangular_solve", TM, sig("input", "A", ["upper", true], ["transpose", false], ["unitriangular", false]), solveWith("triangular_solve", "input", "A", true)),
  op("linalg_qr", ["torch"], sig("A", ["mode", "reduced"]), qr),
  op("linalg_svd", ["torch"], { ...sig("A", ["full_matrices", true]), kwOnly: [{ name: "driver", default: null }] }, svd(false)),
  op("linalg_svdvals", ["torch"], { ...sig("A"), kwOnly: [{ name: "driver", default: null }] }, svd(true)),
  op("linalg_eigh", ["torch"], sig("A", ["UPLO", "L"]), eigh(false)),
  op("linalg_eigvalsh", ["torch"], sig("A", ["UPLO", "L"]), eigh(true)),
  op("linalg_norm", ["torch"], sig("input", ["ord", null], ["dim", null], ["keepdim", false]), norm("linalg.norm", "input", null)),
  op("linalg_vector_norm", ["torch"], sig("x", ["ord", 2], ["dim", null], ["keepdim", false]), norm("linalg.vector_norm", "x", null)),
  op("linalg_matrix_norm", ["torch"], sig("A", ["ord", "fro"], ["dim", [-2, -1]], ["keepdim", false]), norm("linalg.matrix_norm", "A", [-2, -1])),
  op("logit", TM, sig("input", ["eps", null]), predicate("logit", null)),
  ...["isnan", "isinf", "isposinf", "isneginf", "isreal", "signbit"].map((n) => op(n, TM, sig("input"), predicate(n, "bool"))),
  op("isclose", TM, sig("input", "other", ["rtol", 1e-5], ["atol", 1e-8], ["equal_nan", false]), isclose),
  op("gumbel_softmax", ["F"], sig("logits", ["tau", 1], ["hard", false], ["eps", 1e-10], ["dim", -1]), (a) => {
    const x = arg(a, "logits", "gumbel_softmax");
    return isKnown(x) ? tensorOf(x.shape, x.t.dtype) : x;
  }),
  defineOp({ name: "type", namespaces: ["method"], signature: { ...sig("input", ["dtype", null], ["non_blocking", false]), varkw: true }, cost: "zero", output: typeCast }),
];
