// Python operator semantics on values: arithmetic (ints may be symbolic), comparison, truthiness, containment.
import { add, equal, floorDiv, isSym, mul, neg, sub, type SymDim } from "../core/dim";
import type { CallSite } from "./values";
import { bool, FALSE, numberOf, repr, strOf, TRUE, unknownValue, type Value } from "./values";
import type { Interp } from "./interp";
import { sameKey } from "./evalCollections";
import { iterate } from "./calls";
import { tensorBinary, tensorCompare, tensorUnary } from "./tensorOps";

/** bool(v); undefined when it cannot be decided statically. */
export function truthy(ip: Interp, v: Value): boolean | undefined {
  switch (v.k) {
    case "bool":
      return v.v;
    case "int":
      return typeof v.v === "number" ? v.v !== 0 : undefined;
    case "float":
      return v.v !== 0;
    case "str":
      return v.v.length > 0;
    case "none":
      return false;
    case "tuple":
    case "list":
    case "set":
      return v.items.length > 0;
    case "dict":
      return v.keys.length > 0;
    case "range":
      return (v.step > 0 ? v.stop > v.start : v.stop < v.start);
    case "module": {
      const kind = v.m.cls.kind;
      if (kind === "sequential" || kind === "modulelist" || kind === "moduledict") return v.m.children.size > 0;
      return true;
    }
    case "unknown":
    case "tensor":
      return undefined;
    default:
      void ip;
      return true;
  }
}

type Num = number | SymDim;

function isNumeric(v: Value): v is { k: "int"; v: Num } | { k: "float"; v: number } | { k: "bool"; v: boolean } {
  return v.k === "int" || v.k === "float" || v.k === "bool";
}

function intPart(v: Value): Num {
  if (v.k === "bool") return v.v ? 1 : 0;
  return (v as { v: Num }).v;
}

function intResult(x: ReturnType<typeof add>): Value {
  if (typeof x === "number") return { k: "int", v: x };
  if (isSym(x)) return { k: "int", v: x };
  return unknownValue(x.reason);
}

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/** a op b for + - * / // % ** @ & | ^ << >> (inPlace: `+=` and friends on tensors). */
export function binaryOp(ip: Interp, op: string, a: Value, b: Value, site: CallSite, inPlace = false): Value {
  if (a.k === "unknown") return a;
  if (b.k === "unknown") return b;
  if (a.k === "tensor" || b.k === "tensor") return tensorBinary(ip, op, a, b, site, inPlace);
  if (isNumeric(a) && isNumeric(b)) return numericOp(ip, op, a, b);
  // sequences
  if (op === "+") {
    if ((a.k === "str" && b.k === "str") || (a.k === "list" && b.k === "list") || (a.k === "tuple" && b.k === "tuple")) {
      // built items cost steps, so repeated doubling stops within the budget instead of filling memory
      const n = seqLength(a) + seqLength(b);
      if (n > ip.budget.limits.maxItems) return unknownValue("a sequence too large to build");
      ip.budget.tick(a.k === "str" ? n >> 4 : n);
    }
    if (a.k === "str" && b.k === "str") return { k: "str", v: a.v + b.v };
    if (a.k === "list" && b.k === "list") return { k: "list", items: [...a.items, ...b.items] };
    if (a.k === "tuple" && b.k === "tuple") return { k: "tuple", items: [...a.items, ...b.items], isSize: a.isSize };
  }
  if (op === "*") {
    const [seq, n] = a.k === "int" ? [b, a] : [a, b];
    const count = numberOf(n);
    if (count !== undefined && n.k === "int") {
      const total = Math.max(0, count) * seqLength(seq);
      if (total > ip.budget.limits.maxItems) return unknownValue("a sequence too large to build");
      ip.budget.tick(seq.k === "str" ? total >> 4 : total);
      if (seq.k === "str") return { k: "str", v: seq.v.repeat(Math.max(0, count)) };
      if (seq.k === "list" || seq.k === "tuple") {
        // `[] * 10**12` is empty: loop over the items built, not over the count
        const items: Value[] = new Array<Value>(total);
        for (let i = 0; i < total; i++) items[i] = seq.items[i % seq.items.length];
        return seq.k === "list" ? { k: "list", items } : { k: "tuple", items };
      }
    }
  }
  if (op === "%" && a.k === "str") return percentFormat(a.v, b);
  if (op === "|" && a.k === "dict" && b.k === "dict") {
    return { k: "dict", keys: [...a.keys, ...b.keys], vals: [...a.vals, ...b.vals] };
  }
  return ip.raise("TypeError", `unsupported operand type(s) for ${op}`);
}

/** printf-style `"layer%d" % i` (the common conversions; anything else is unknown). */
function percentFormat(fmt: string, arg: Value): Value {
  const args = arg.k === "tuple" ? arg.items : [arg];
  let i = 0;
  let bad = false;
  const out = fmt.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdirfxXg%])/g, (_m, flags: string, width: string, prec: string, conv: string) => {
    if (conv === "%") return "%";
    const v = args[i++];
    if (!v) {
      bad = true;
      return "";
    }
    let text: string;
    const n = numberOf(v);
    switch (conv) {
      case "s":
        text = strOf(v);
        break;
      case "r":
        text = repr(v);
        break;
      case "d":
      case "i":
        if (n === undefined) bad = true;
        text = String(Math.trunc(n ?? 0));
        break;
      case "f":
        if (n === undefined) bad = true;
        text = (n ?? 0).toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case "x":
      case "X":
        if (n === undefined) bad = true;
        text = Math.trunc(n ?? 0).toString(16);
        if (conv === "X") text = text.toUpperCase();
        break;
      default:
        if (n === undefined) bad = true;
        text = String(n);
    }
    const w = Number(width || 0);
    return flags.includes("-") ? text.padEnd(w) : text.padStart(w, flags.includes("0") && conv !== "s" ? "0" : " ");
  });
  return bad || i < args.length ? unknownValue("a %-format whose arguments do not fit") : { k: "str", v: out };
}

function seqLength(v: Value): number {
  if (v.k === "str") return v.v.length;
  if (v.k === "list" || v.k === "tuple") return v.items.length;
  return 0;
}

function numericOp(ip: Interp, op: string, a: Value, b: Value): Value {
  const bothInt = (a.k === "int" || a.k === "bool") && (b.k === "int" || b.k === "bool");
  if (bothInt) {
    const x = intPart(a);
    const y = intPart(b);
    switch (op) {
      case "+":
        return intResult(add(x, y));
      case "-":
        return intResult(sub(x, y));
      case "*":
        return intResult(mul(x, y));
      case "//":
        if (y === 0) return ip.raise("ZeroDivisionError", "integer division or modulo by zero");
        return intResult(floorDiv(x, y));
      case "%":
        if (typeof x === "number" && typeof y === "number") {
          if (y === 0) return ip.raise("ZeroDivisionError", "integer division or modulo by zero");
          return { k: "int", v: pyMod(x, y) };
        }
        return unknownValue("a symbolic remainder");
      case "**":
        if (typeof x === "number" && typeof y === "number") {
          if (y < 0) return { k: "float", v: x ** y };
          const r = x ** y;
          return Number.isSafeInteger(r) ? { k: "int", v: r } : unknownValue("an integer past 2^53");
        }
        return unknownValue("a symbolic power");
      case "/":
        if (typeof x === "number" && typeof y === "number") {
          if (y === 0) return ip.raise("ZeroDivisionError", "division by zero");
          return { k: "float", v: x / y };
        }
        return unknownValue("a symbolic true division");
      case "<<":
      case ">>":
      case "&":
      case "|":
      case "^":
        if (typeof x === "number" && typeof y === "number") {
          const r = op === "<<" ? x * 2 ** y : op === ">>" ? Math.floor(x / 2 ** y) : op === "&" ? x & y : op === "|" ? x | y : x ^ y;
          return Number.isSafeInteger(r) ? { k: "int", v: r } : unknownValue("an integer past 2^53");
        }
        return unknownValue("a symbolic bit operation");
      default:
        return ip.raise("TypeError", `unsupported operand type(s) for ${op}`);
    }
  }
  const x = numberOf(a);
  const y = numberOf(b);
  if (x === undefined || y === undefined) return unknownValue("arithmetic on a symbolic size");
  switch (op) {
    case "+":
      return { k: "float", v: x + y };
    case "-":
      return { k: "float", v: x - y };
    case "*":
      return { k: "float", v: x * y };
    case "/":
      if (y === 0) return ip.raise("ZeroDivisionError", "float division by zero");
      return { k: "float", v: x / y };
    case "//":
      if (y === 0) return ip.raise("ZeroDivisionError", "float divmod()");
      return { k: "float", v: Math.floor(x / y) };
    case "%":
      return { k: "float", v: pyMod(x, y) };
    case "**":
      return { k: "float", v: x ** y };
    default:
      return ip.raise("TypeError", `unsupported operand type(s) for ${op}: 'float'`);
  }
}

export function unaryOp(ip: Interp, op: string, v: Value, site: CallSite): Value {
  if (v.k === "unknown") return v;
  if (v.k === "tensor") return tensorUnary(ip, op, v, site);
  if (op === "-") {
    if (v.k === "int" || v.k === "bool") return intResult(neg(intPart(v)));
    if (v.k === "float") return { k: "float", v: -v.v };
  }
  if (op === "+" && isNumeric(v)) return v.k === "bool" ? { k: "int", v: v.v ? 1 : 0 } : v;
  if (op === "~" && (v.k === "int" || v.k === "bool") && typeof intPart(v) === "number") return { k: "int", v: -(intPart(v) as number) - 1 };
  return ip.raise("TypeError", `bad operand type for unary ${op}`);
}

export function compareOp(ip: Interp, op: string, a: Value, b: Value, site: CallSite): Value {
  if (a.k === "unknown") return a;
  if (b.k === "unknown") return b;
  if (a.k === "tensor" || b.k === "tensor") return tensorCompare(ip, op, a, b, site);
  if (op === "==" || op === "!=") {
    const eq = valuesEqual(a, b);
    if (eq === undefined) return unknownValue("an equality of symbolic sizes");
    return bool(op === "==" ? eq : !eq);
  }
  if (isNumeric(a) && isNumeric(b)) {
    const x = intPart(a);
    const y = intPart(b);
    if (typeof x === "number" && typeof y === "number") return bool(cmp(op, x, y));
    const d = sub(x, y);
    if (typeof d === "number") return bool(cmp(op, d, 0));
    return unknownValue("a comparison of symbolic sizes");
  }
  if (a.k === "str" && b.k === "str") return bool(cmp(op, a.v < b.v ? -1 : a.v > b.v ? 1 : 0, 0));
  if ((a.k === "tuple" || a.k === "list") && (b.k === "tuple" || b.k === "list")) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const eq = valuesEqual(a.items[i], b.items[i]);
      if (eq === undefined) return unknownValue("a comparison of symbolic sizes");
      if (!eq) return compareOp(ip, op, a.items[i], b.items[i], site);
    }
    return bool(cmp(op, a.items.length, b.items.length));
  }
  return ip.raise("TypeError", `'${op}' not supported between these values`);
}

function cmp(op: string, x: number, y: number): boolean {
  switch (op) {
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    default:
      return x >= y;
  }
}

/** Python ==; undefined when it depends on symbols. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  if (isNumeric(a) && isNumeric(b)) {
    const x = a.k === "float" ? a.v : intPart(a);
    const y = b.k === "float" ? b.v : intPart(b);
    return equal(x as Num, y as Num);
  }
  if (a.k !== b.k) {
    if ((a.k === "tuple" || a.k === "list") && (b.k === "tuple" || b.k === "list") && (a.k === "tuple") === (b.k === "tuple")) {
      // fallthrough handled below
    } else return false;
  }
  if ((a.k === "tuple" && b.k === "tuple") || (a.k === "list" && b.k === "list")) {
    if (a === b) return true; // as Python's containers compare items: identity first (and shared big lists stay cheap)
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const eq = valuesEqual(a.items[i], b.items[i]);
      if (eq !== true) return eq;
    }
    return true;
  }
  if (a.k === "str" && b.k === "str") return a.v === b.v;
  if (a.k === "none" && b.k === "none") return true;
  return identityOp(a, b);
}

/** Python `is` (objects compared by identity, None and small scalars by value). */
export function identityOp(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.k === "none" || b.k === "none") return a.k === b.k;
  if (a.k === "module" && b.k === "module") return a.m === b.m;
  if (a.k === "class" && b.k === "class") return a.cls === b.cls;
  if (a.k === "bool" && b.k === "bool") return a.v === b.v;
  if (a.k === "tensor" && b.k === "tensor") return a.t === b.t;
  if (a.k === "ns" && b.k === "ns") return a.name === b.name;
  // torch dtypes are singletons under several names (torch.float is torch.float32); devices compare by type
  if (a.k === "opaque" && b.k === "opaque" && a.typeName === b.typeName && (a.typeName === "dtype" || a.typeName === "device")) {
    return a.v !== undefined && b.v !== undefined ? canonicalDtype(a.v) === canonicalDtype(b.v) : a.typeName === "device" && (a.v ?? "cpu") === (b.v ?? "cpu");
  }
  if (a.k === "str" && b.k === "str") return a.v === b.v;
  if (a.k === "int" && b.k === "int") return a.v === b.v;
  // a function read twice (`activation is F.relu`): the same object; a bound method is a new one each read
  if (a.k === "func" && b.k === "func") return a.fn === b.fn && !a.self && !b.self;
  if (a.k === "builtin" && b.k === "builtin") return a.name === b.name && !a.self && !b.self && /^(F|torch|functools)\./.test(a.name);
  return false;
}

/** `needle in haystack` */
export function containsOp(ip: Interp, haystack: Value, needle: Value): Value {
  if (haystack.k === "unknown") return haystack;
  if (haystack.k === "str" && needle.k === "str") return bool(haystack.v.includes(needle.v));
  if (haystack.k === "dict") return bool(haystack.keys.some((k) => sameKey(k, needle)));
  if (haystack.k === "module" && haystack.m.cls.kind === "moduledict" && needle.k === "str") {
    return bool(haystack.m.children.has(needle.v));
  }
  if (haystack.k === "range") {
    const n = numberOf(needle);
    if (n === undefined) return unknownValue("a symbolic membership test");
    const { start, stop, step } = haystack;
    const inRange = step > 0 ? n >= start && n < stop : n <= start && n > stop;
    return bool(inRange && (n - start) % step === 0);
  }
  let unknownSeen = false;
  for (const item of iterate(ip, haystack)) {
    const eq = valuesEqual(item, needle);
    if (eq === true) return TRUE;
    if (eq === undefined) unknownSeen = true;
  }
  return unknownSeen ? unknownValue("a symbolic membership test") : FALSE;
}

const DTYPE_ALIASES: Readonly<Record<string, string>> = { float: "float32", double: "float64", half: "float16", long: "int64", int: "int32", short: "int16", cfloat: "complex64", cdouble: "complex128" };

function canonicalDtype(name: string): string {
  return DTYPE_ALIASES[name] ?? name;
}
