// The abc module: ABC / ABCMeta and @abstractmethod, so that instantiating a class with abstract methods left raises CPython's TypeError.
import { OBJECT_CLASS, pyClass } from "./builtins";
import { isSubclass, lookupClassAttr, mroOf, type Interp } from "./interp";
import type { ClassObj, FuncDef, Value } from "./values";

/** abc.ABC; a class made with metaclass=ABCMeta gets it as a base too. */
export const ABC_CLASS = pyClass("ABC", [OBJECT_CLASS]);

/** The ABCMeta marker (only ever used as `metaclass=`). */
export const ABC_META: Value = { k: "opaque", typeName: "abc.ABCMeta" };

const ABSTRACT = new WeakSet<FuncDef>();

/** `abc.<name>`, or undefined when it is not modelled. */
export function abcAttr(name: string): Value | undefined {
  if (name === "ABC") return { k: "class", cls: ABC_CLASS };
  if (name === "ABCMeta") return ABC_META;
  if (name === "abstractmethod") {
    return { k: "builtin", name: "abc.abstractmethod", call: ([f]) => {
      if (f?.k === "func") ABSTRACT.add(f.fn);
      return f ?? { k: "none" };
    } };
  }
  return undefined;
}

/** CPython refuses to instantiate an ABC subclass whose abstract methods are not all overridden. */
export function checkAbstract(ip: Interp, cls: ClassObj): void {
  if (!isSubclass(cls, ABC_CLASS)) return;
  const names = new Set<string>();
  for (const k of mroOf(cls)) for (const n of k.attrs.keys()) names.add(n);
  const missing = [...names].filter((n) => {
    const v = lookupClassAttr(cls, n);
    return v?.k === "func" && ABSTRACT.has(v.fn);
  }).sort();
  if (missing.length === 0) return;
  ip.raise("TypeError", `Can't instantiate abstract class ${cls.name} with abstract method${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
}
