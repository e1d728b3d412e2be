// Conversion between Python values and the core's argument/output values.
import { isSym } from "../core/dim";
import { asPacked, hasPackedFields, isPacked, PACKED_FIELDS } from "../core/packed";
import type { ArgValue, Output, SliceArg, TensorMeta } from "../core/types";
import { isTensor, isUnknown, unknown, withSeqKind } from "../core/types";
import type { Value } from "./values";

/** A Python value as a core argument. */
export function toArg(v: Value): ArgValue {
  switch (v.k) {
    case "int":
      return v.v;
    case "float":
      return v.v;
    case "bool":
      return v.v;
    case "str":
      return v.v;
    case "none":
      return null;
    case "ellipsis":
      return "...";
    case "tuple": {
      const items = withSeqKind(v.items.map(toArg), v.isSize ? "size" : "tuple");
      return hasPackedFields(v.fields) ? asPacked(items) : items;
    }
    case "list":
      return withSeqKind(v.items.map(toArg), "list");
    case "tensor":
      return v.t;
    case "slice":
      return { kind: "slice", start: sliceBound(v.start), stop: sliceBound(v.stop), step: sliceBound(v.step) };
    case "module":
      return { kind: "opaque", typeName: v.m.cls.name };
    case "func":
      return { kind: "opaque", typeName: v.fn.name };
    case "builtin":
      return { kind: "opaque", typeName: v.name };
    case "opaque":
      return v.typeName === "dtype" && v.v ? `dtype:${v.v}` : { kind: "opaque", typeName: v.typeName };
    case "unknown":
      return unknown(v.reason);
    case "dict":
      return { kind: "opaque", typeName: v.ordered ? "collections.OrderedDict" : "dict" };
    default:
      return unknown(`a ${v.k} value is not a valid argument here`);
  }
}

function sliceBound(v: Value): SliceArg["start"] {
  if (v.k === "none") return null;
  if (v.k === "int") return v.v;
  if (v.k === "bool") return v.v ? 1 : 0;
  return unknown("a slice bound that is not an integer");
}

/** A core result as a Python value. */
export function fromOutput(o: Output | ArgValue): Value {
  if (o === null) return { k: "none" };
  if (typeof o === "number") {
    if (Number.isInteger(o) && !Number.isSafeInteger(o)) return { k: "unknown", reason: "an integer past 2^53" };
    return Number.isInteger(o) ? { k: "int", v: o } : { k: "float", v: o };
  }
  if (typeof o === "boolean") return { k: "bool", v: o };
  if (typeof o === "string") return { k: "str", v: o };
  if (Array.isArray(o)) return isPacked(o) ? { k: "tuple", items: o.map(fromOutput), fields: PACKED_FIELDS } : { k: "tuple", items: o.map(fromOutput) };
  if (isTensor(o)) return { k: "tensor", t: saneShape(o) };
  if (isUnknown(o)) return { k: "unknown", reason: o.reason };
  if (isSym(o)) return { k: "int", v: o };
  return { k: "unknown", reason: "an unsupported result" };
}

/** Most dimensions tracked for a tensor: each operation costs time per dimension (`unsqueeze` in a long loop). */
export const MAX_RANK = 64;

/**
 * A rule's output tensor with every size that is not a whole number in [0, 2^53) made Unknown (a
 * float, negative or rounded size would be a wrong number in the report), and past MAX_RANK
 * dimensions an unknown shape.
 */
function saneShape(t: TensorMeta): TensorMeta {
  const s = t.shape;
  if (Array.isArray(s) && s.length > MAX_RANK) return { ...t, shape: unknown(`a tensor of ${s.length} dimensions (more than ${MAX_RANK})`) };
  if (!Array.isArray(s) || s.every((d) => typeof d !== "number" || (Number.isSafeInteger(d) && d >= 0))) return t;
  return { ...t, shape: s.map((d) => (typeof d !== "number" || (Number.isSafeInteger(d) && d >= 0) ? d : unknown(`a size of ${d}`))) };
}

/** Every tensor in an output tree (in order). */
export function tensorsIn(v: Value, acc: Extract<Value, { k: "tensor" }>[] = []): Extract<Value, { k: "tensor" }>[] {
  if (v.k === "tensor") acc.push(v);
  else if (v.k === "tuple" || v.k === "list") for (const x of v.items) tensorsIn(x, acc);
  else if (v.k === "dict") for (const x of v.vals) tensorsIn(x, acc);
  return acc;
}

/** Replace the receptive-field state of every tensor in a value (tensor values are re-created). */
export function withRf(v: Value, rf: unknown): Value {
  if (v.k === "tensor") return { k: "tensor", t: { ...v.t, rf }, param: v.param };
  if (v.k === "tuple") return { k: "tuple", items: v.items.map((x) => withRf(x, rf)), isSize: v.isSize, ...(v.fields ? { fields: v.fields } : {}) };
  if (v.k === "list") return { k: "list", items: v.items.map((x) => withRf(x, rf)) };
  return v;
}

export function tensorValue(t: TensorMeta): Value {
  return { k: "tensor", t };
}

/** Nesting past which an output's shape is not reported. */
const MAX_SHAPE_NESTING = 32;

/** JSON shape of a value: a list of dims, a list of shapes for tuples, null otherwise. */
export function shapeJson(v: Value | null, depth = 0): unknown {
  if (!v || depth > MAX_SHAPE_NESTING) return null; // a recursive or absurdly nested output: no shape
  if (v.k === "tensor") {
    const s = v.t.shape;
    if (!Array.isArray(s)) return null;
    return s.map((d) => (typeof d === "number" ? d : isUnknown(d) ? null : formatSym(d)));
  }
  if (v.k === "tuple" || v.k === "list") return v.items.map((x) => shapeJson(x, depth + 1));
  if (v.k === "dict") {
    const o: Record<string, unknown> = {};
    v.keys.forEach((k, i) => (o[k.k === "str" ? k.v : String(i)] = shapeJson(v.vals[i], depth + 1)));
    return o;
  }
  return null;
}

import { format as formatDim } from "../core/dim";
function formatSym(d: Parameters<typeof formatDim>[0]): string {
  return formatDim(d);
}
