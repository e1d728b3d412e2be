// PyTorch's Python argument parser on int and int-list arguments of shape methods (x.view(-1, n / 2), x.unsqueeze(1.0)): its TypeErrors.
import { typeName, type Value } from "./values";

/** A parameter of a PyTorch native signature: int, int list (SymInts or ints), Dimname, ScalarType, Tensor. */
type PType = "int" | "symints" | "ints" | "dimname" | "dimnames" | "dtype" | "tensor";
interface Param {
  readonly name: string;
  readonly type: PType;
  readonly opt?: boolean;
}
type Overload = readonly Param[];

const p = (spec: string): Param => {
  const m = /^(\w+)(\?)? (\w+)$/.exec(spec)!;
  return { type: m[1] as PType, opt: m[2] === "?", name: m[3] };
};
const ov = (...specs: string[]): Overload => specs.map(p);

/** Method forms (self excluded), as PyTorch 1.13's native_functions declare them; torch.name takes `Tensor input` first. */
const METHODS: Record<string, readonly Overload[]> = {
  view: [ov("dtype dtype"), ov("symints size")],
  reshape: [ov("symints shape")],
  expand: [ov("symints size")],
  repeat: [ov("symints repeats")],
  permute: [ov("ints dims")],
  transpose: [ov("int dim0", "int dim1"), ov("dimname dim0", "dimname dim1")],
  unsqueeze: [ov("int dim")],
  squeeze: [ov(), ov("int dim"), ov("dimname dim")],
  flatten: [ov("int? start_dim", "int? end_dim"), ov("int start_dim", "int end_dim", "dimname out_dim"), ov("dimname start_dim", "dimname end_dim", "dimname out_dim"), ov("dimnames dims", "dimname out_dim")],
  chunk: [ov("int chunks", "int? dim")],
};
/** torch.name forms that exist (torch.view / torch.repeat / torch.expand do not). */
const TORCH = new Set(["reshape", "permute", "transpose", "unsqueeze", "squeeze", "flatten", "chunk"]);

/** The Python type name PyTorch's messages print (tp_name). */
function tpName(v: Value): string {
  if (v.k === "builtin") return "builtin_function_or_method";
  if (v.k === "opaque" && v.typeName === "dtype") return "torch.dtype";
  if (v.k === "tuple" && v.isSize) return "torch.Size";
  return typeName(v);
}

const isIndex = (v: Value): boolean => v.k === "int" || v.k === "tensor" || v.k === "unknown";

/** Whether `v` passes the parser's check for a parameter of this type (an int list is checked on its first item only). */
function passes(type: PType, v: Value): boolean {
  if (v.k === "unknown") return true;
  switch (type) {
    case "int":
      return isIndex(v);
    case "symints":
    case "ints":
      return ((v.k === "tuple" || v.k === "list") && (v.items.length === 0 || isIndex(v.items[0]))) || v.k === "int";
    case "dimname":
      return v.k === "str" || v.k === "none";
    case "dimnames":
      return (v.k === "tuple" || v.k === "list") && v.items.length > 0 && (v.items[0].k === "str" || v.items[0].k === "none");
    case "dtype":
      return v.k === "opaque" && v.typeName === "dtype";
    case "tensor":
      return v.k === "tensor";
  }
}

/** The item of an accepted int list the conversion rejects (PyTorch converts each item after the overload is chosen). */
function badItem(fn: string, param: Param, items: readonly Value[]): string | null {
  const at = items.findIndex((x) => !isIndex(x));
  if (at < 0) return null;
  return `${fn}(): argument '${param.name}' must be tuple of ${param.type === "ints" ? "ints" : "SymInts"}, but found element of type ${tpName(items[at])} at pos ${at + 1}`;
}

type Parse = { ok: true; error: string | null } | { ok: false; error: string | null };

/** One overload against the call: accepted (with a conversion error or none), or the error it raises when it is the only candidate. */
function parse(fn: string, params: Overload, args: readonly Value[], kwargs: readonly (readonly [string, Value])[]): Parse {
  const first = params[0];
  const varargs = params.length === 1 && (first.type === "symints" || first.type === "ints");
  if (varargs && args.length >= 1 && isIndex(args[0]) && !kwargs.some(([k]) => k === first.name)) {
    if (kwargs.length > 0) return { ok: false, error: null };
    return { ok: true, error: badItem(fn, first, args) };
  }
  // the single int-list parameter of view / reshape / expand: the argument count is not checked before its type
  if (varargs && args.length >= 1 && !passes(first.type, args[0])) {
    return { ok: false, error: `${fn}(): argument '${first.name}' (position 1) must be tuple of ${first.type === "ints" ? "ints" : "SymInts"}, not ${tpName(args[0])}` };
  }
  if (args.length > params.length) return { ok: false, error: null };
  for (const [k] of kwargs) if (!params.some((q) => q.name === k)) return { ok: false, error: null };
  let error: string | null = null;
  for (let i = 0; i < params.length; i++) {
    const q = params[i];
    const kw = kwargs.find(([k]) => k === q.name);
    const v = i < args.length ? args[i] : kw?.[1];
    if (v === undefined) {
      if (!q.opt) return { ok: false, error: null };
      continue;
    }
    if (!passes(q.type, v)) {
      const what = q.type === "int" ? "int" : q.type === "symints" ? "tuple of SymInts" : q.type === "ints" ? "tuple of ints" : null;
      const where = i < args.length ? ` (position ${i + 1})` : "";
      return { ok: false, error: what ? `${fn}(): argument '${q.name}'${where} must be ${what}, not ${tpName(v)}` : null };
    }
    if ((q.type === "symints" || q.type === "ints") && (v.k === "tuple" || v.k === "list")) error ??= badItem(fn, q, v.items);
  }
  return { ok: true, error };
}

/**
 * The TypeError PyTorch raises for this call of a shape method / torch function (`label` as "Tensor.view"
 * or "torch.flatten"; `args` with the tensor first), or null when the parser accepts it (or the op is not
 * in the table). A wrong number of arguments is left to the op's own binding.
 */
export function argParserError(label: string, args: readonly Value[], kwargs: readonly (readonly [string, Value])[]): string | null {
  const dot = label.indexOf(".");
  const ns = label.slice(0, dot);
  const fn = label.slice(dot + 1);
  const table = METHODS[fn];
  if (!table || (ns !== "Tensor" && !(ns === "torch" && TORCH.has(fn)))) return null;
  const overloads = ns === "Tensor" ? table : table.map((o) => [p("tensor input"), ...o]);
  const given = ns === "Tensor" ? args.slice(1) : args;
  if (given.some((v) => v.k === "unknown") || kwargs.some(([, v]) => v.k === "unknown")) return null;
  const results = overloads.map((o) => parse(fn, o, given, kwargs));
  const chosen = results.find((r) => r.ok);
  if (chosen) return chosen.error;
  if (overloads.length === 1) return results[0].error;
  const n = given.length + kwargs.length;
  const plausible = overloads.map((o, i) => [o, i] as const).filter(([o]) => n >= o.filter((q) => !q.opt).length && n <= o.length);
  if (plausible.length === 1) return results[plausible[0][1]].error;
  const got = [...given.map(tpName), ...kwargs.map(([k, v]) => `${k}=${tpName(v)}`)].join(", ");
  return `${fn}() received an invalid combination of arguments - got (${got}), but expected one of:`;
}
