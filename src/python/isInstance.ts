// isinstance(): which values a built-in type, a class, torch.Tensor or a typing/collections.abc type covers.
import { isSubclass, type Interp } from "./interp";
import { isPartial } from "./stdlib";
import type { Value } from "./values";

/** Built-in type names that `isinstance` understands, by the value kinds they cover. */
const TYPE_KINDS: Record<string, Value["k"][]> = {
  int: ["int", "bool"],
  float: ["float"],
  bool: ["bool"],
  str: ["str"],
  list: ["list"],
  tuple: ["tuple"],
  dict: ["dict"],
  set: ["set"],
  range: ["range"],
};

export function isInstance(ip: Interp, v: Value, t: Value): boolean | undefined {
  if (t.k === "tuple") {
    let unknownSeen = false;
    for (const x of t.items) {
      const r = isInstance(ip, v, x);
      if (r) return true;
      if (r === undefined) unknownSeen = true;
    }
    return unknownSeen ? undefined : false;
  }
  if (v.k === "unknown") return undefined;
  // torch.Tensor / nn.Parameter are constructors here: isinstance reads them as the classes
  if (t.k === "builtin" && /^torch\.(Tensor|FloatTensor|LongTensor)$/.test(t.name)) {
    if (v.k !== "tensor") return false;
    return t.name === "torch.Tensor" || v.t.dtype === (t.name === "torch.LongTensor" ? "long" : "float");
  }
  if (t.k === "builtin" && t.name === "nn.Parameter") return v.k === "tensor" && v.param !== undefined;
  if (t.k === "builtin" && t.name === "functools.partial") return isPartial(v);
  if (t.k === "builtin" && t.name.startsWith("type:")) {
    const kinds = TYPE_KINDS[t.name.slice(5)];
    if (kinds) return kinds.includes(v.k);
    return false;
  }
  if (t.k === "class") {
    if (v.k === "module") return isSubclass(v.m.cls, t.cls);
    if (v.k === "instance") return isSubclass(v.cls, t.cls);
    if (v.k === "tensor") return t.cls.name === "Tensor" || (t.cls.name === "Parameter" && v.param !== undefined);
    return false;
  }
  if (t.k === "opaque" && t.typeName.startsWith("typing.")) {
    const name = t.typeName.slice(7);
    const kinds = ABC_KINDS[name];
    if (!kinds) return undefined;
    if (name === "Callable" && v.k === "module") return true;
    // Iterable, Sized... are duck-typed: a user class or a module container may define __iter__/__len__
    if ((v.k === "instance" || v.k === "module") && DUCK_ABCS.has(name)) return undefined;
    return kinds.includes(v.k);
  }
  if (t.k === "unknown") return undefined;
  return false;
}

/** typing / collections.abc types `isinstance` understands, by the value kinds they cover. */
const ABC_KINDS: Record<string, Value["k"][]> = {
  List: ["list"], Tuple: ["tuple"], Dict: ["dict"], Set: ["set"],
  Sequence: ["list", "tuple", "str", "range"], MutableSequence: ["list"],
  Mapping: ["dict"], MutableMapping: ["dict"],
  Iterable: ["list", "tuple", "str", "range", "dict", "set", "tensor", "iter"],
  Collection: ["list", "tuple", "str", "range", "dict", "set", "tensor"],
  Sized: ["list", "tuple", "str", "range", "dict", "set", "tensor"],
  Callable: ["func", "builtin", "class"],
};

const DUCK_ABCS = new Set(["Iterable", "Collection", "Sized", "Callable"]);
