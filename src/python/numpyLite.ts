// numpy as model code uses it around tensors: small arrays built in __init__ (offsets, index tables), seen as CPU tensors (shape and dtype).
import { unknown } from "../core/types";
import type { Interp } from "./interp";
import { CREATORS, makeTensor } from "./tensorCreation";
import type { CallSite, Value } from "./values";

/** numpy dtype names and what torch calls them (np.int64 -> torch.int64). */
const NP_DTYPES: Record<string, string> = {
  int64: "int64", int32: "int32", int16: "int16", int8: "int8", uint8: "uint8", long: "int64", int_: "int64", intc: "int32",
  float32: "float32", float64: "float64", float16: "float16", float_: "float64", double: "float64", single: "float32", half: "float16",
  bool_: "bool",
};

/** np.array(data, dtype=...) keyword translation: a numpy dtype, a Python type (int/float/bool) or a string. */
function withTorchDtype(kwargs: [string, Value][]): [string, Value][] {
  return kwargs.map(([k, v]) => {
    if (k !== "dtype") return [k, v];
    const name = v.k === "str" ? v.v : v.k === "opaque" && v.typeName === "dtype" ? v.v : v.k === "builtin" ? v.name : undefined;
    const torchName = name === undefined ? undefined : (NP_DTYPES[name] ?? { int: "int64", float: "float64", bool: "bool" }[name] ?? name);
    return [k, torchName ? { k: "opaque", typeName: "dtype", v: torchName } : v];
  });
}

function builtin(name: string, call: (ip: Interp, args: Value[], kwargs: [string, Value][], site: CallSite) => Value, ip: Interp): Value {
  return { k: "builtin", name: `numpy.${name}`, call: (a, k, s) => call(ip, a, withTorchDtype(k), s) };
}

/** np.cumsum / np.cumprod: the shape kept along an axis, flattened without one. */
function cumulative(ip: Interp, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const a = args[0] ?? kwargs.find(([k]) => k === "a")?.[1];
  const axis = args[1] ?? kwargs.find(([k]) => k === "axis")?.[1];
  const arr = a?.k === "tensor" ? a : a ? CREATORS.tensor(ip, [a], [], site) : undefined;
  if (!arr || arr.k !== "tensor") return { k: "unknown", reason: "numpy cumulative op of an unknown array" };
  const shape = arr.t.shape;
  if (axis && axis.k !== "none") return { k: "tensor", t: { kind: "tensor", shape, dtype: arr.t.dtype } };
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number")) return { k: "tensor", t: { kind: "tensor", shape: unknown("a numpy array's size"), dtype: arr.t.dtype } };
  const n = (shape as number[]).reduce((x, y) => x * y, 1);
  return makeTensor(ip, [{ k: "int", v: n }], arr.t.dtype === "bool" ? "long" : arr.t.dtype);
}

/** `numpy.<name>` for the array builders and dtypes modelled, else undefined. */
export function numpyAttr(ip: Interp, name: string): Value | undefined {
  const dtype = NP_DTYPES[name];
  if (dtype) return { k: "opaque", typeName: "dtype", v: dtype };
  if (name === "array" || name === "asarray") return builtin(name, (i, a, k, s) => CREATORS.tensor(i, a, k, s), ip);
  if (["zeros", "ones", "empty", "full", "arange"].includes(name)) {
    return builtin(name, (i, a, k, s) => {
      // numpy's default dtype is float64 (torch: float32): same shapes, the float family either way
      const shapeKw = k.map(([key, v]): [string, Value] => [key === "shape" ? "size" : key, v]);
      return CREATORS[name](i, a, shapeKw, s);
    }, ip);
  }
  if (name === "cumsum" || name === "cumprod") return builtin(name, cumulative, ip);
  return undefined;
}
