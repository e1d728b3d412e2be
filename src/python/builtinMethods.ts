// Methods of built-in values: those of list, tuple, dict, set, str and numbers (append, items, format, split, ...).
import { iterate } from "./calls";
import { dictSet, sameKey } from "./evalCollections";
import { lookupClassAttr, type Interp } from "./interp";
import { valuesEqual } from "./pyops";
import { NONE, bool, numberOf, pushAll, repr, strOf, type CallSite, type Value } from "./values";
import { checkedArity, binaryOpLazy, kw } from "./builtins";

/** Methods that change their list, dict or set (an object shared with earlier statements must not change unseen). */
const MUTATORS = new Set(["append", "extend", "insert", "pop", "popitem", "reverse", "sort", "clear", "remove", "setdefault", "update", "add", "discard"]);

/** Methods of built-in values: list.append, dict.items, str.format, ... */
export function builtinMethod(ip: Interp, obj: Value, name: string): Value | undefined {
  if (MUTATORS.has(name) && (obj.k === "list" || obj.k === "dict" || obj.k === "set")) ip.touch(obj);
  const m = (call: (args: Value[], kwargs: [string, Value][], site: CallSite) => Value): Value => ({ k: "builtin", name, call: checkedArity(() => ip, name, call), self: obj });
  if (obj.k === "list") {
    switch (name) {
      case "append":
        return m(([v]) => (obj.items.push(v), NONE));
      case "extend":
        return m(([v]) => (pushAll(obj.items, iterate(ip, v)), NONE));
      case "insert":
        return m(([i, v]) => {
          const n = numberOf(i) ?? obj.items.length;
          obj.items.splice(n < 0 ? Math.max(0, obj.items.length + n) : n, 0, v);
          return NONE;
        });
      case "pop":
        return m(([i]) => {
          if (obj.items.length === 0) return ip.raise("IndexError", "pop from empty list");
          const n = i ? numberOf(i) ?? -1 : -1;
          return obj.items.splice(n < 0 ? obj.items.length + n : n, 1)[0];
        });
      case "reverse":
        return m(() => (obj.items.reverse(), NONE));
      case "copy":
        return m(() => ({ k: "list", items: obj.items.slice() }));
      case "clear":
        return m(() => (obj.items.splice(0), NONE));
      case "remove":
        return m(([v]) => {
          const i = obj.items.findIndex((x) => valuesEqual(x, v) === true);
          if (i >= 0) obj.items.splice(i, 1);
          return NONE;
        });
    }
  }
  // torch.return_types (max/min/sort/topk/... over a dim): the named fields of (values, indices)
  if (obj.k === "tuple" && (name === "values" || name === "indices") && obj.items.length === 2) {
    const [v, i] = obj.items;
    if (v.k === "tensor" && i.k === "tensor" && i.t.dtype === "long") return name === "values" ? v : i;
  }
  if (obj.k === "list" || obj.k === "tuple") {
    if (name === "index") return m(([v]) => ({ k: "int", v: obj.items.findIndex((x) => valuesEqual(x, v) === true) }));
    if (name === "count") return m(([v]) => ({ k: "int", v: obj.items.filter((x) => valuesEqual(x, v) === true).length }));
    if (name === "numel" && obj.k === "tuple" && obj.isSize) {
      return m(() => obj.items.reduce<Value>((acc, x) => binaryOpLazy(ip, "*", acc, x), { k: "int", v: 1 }));
    }
  }
  if (obj.k === "dict") {
    switch (name) {
      case "items":
        return m(() => ({ k: "list", items: obj.keys.map((k, i) => ({ k: "tuple", items: [k, obj.vals[i]] }) as Value) }));
      case "keys":
        return m(() => ({ k: "list", items: obj.keys.slice() }));
      case "values":
        return m(() => ({ k: "list", items: obj.vals.slice() }));
      case "get":
        return m(([k, d]) => {
          const i = obj.keys.findIndex((x) => sameKey(x, k));
          return i >= 0 ? obj.vals[i] : d ?? NONE;
        });
      case "setdefault":
        return m(([k, d]) => {
          const i = obj.keys.findIndex((x) => sameKey(x, k));
          if (i >= 0) return obj.vals[i];
          dictSet(obj, k, d ?? NONE);
          return d ?? NONE;
        });
      case "pop":
        return m(([k, d]) => {
          const i = obj.keys.findIndex((x) => sameKey(x, k));
          if (i < 0) return d ?? ip.raise("KeyError", repr(k));
          const v = obj.vals[i];
          obj.keys.splice(i, 1);
          obj.vals.splice(i, 1);
          return v;
        });
      case "update":
        return m(([src], kwargs) => {
          if (src?.k === "dict") src.keys.forEach((k, i) => dictSet(obj, k, src.vals[i]));
          for (const [k, v] of kwargs) dictSet(obj, { k: "str", v: k }, v);
          return NONE;
        });
      case "copy":
        return m(() => ({ k: "dict", keys: obj.keys.slice(), vals: obj.vals.slice() }));
    }
  }
  if (obj.k === "str") {
    switch (name) {
      case "format":
        return m((args, kwargs) => {
          let auto = 0;
          const v = obj.v.replace(/\{([^{}:!]*)(?:[:!][^{}]*)?\}/g, (_, key: string) => {
            if (key === "") return strOf(args[auto++] ?? NONE);
            if (/^\d+$/.test(key)) return strOf(args[parseInt(key, 10)] ?? NONE);
            return strOf(kw(kwargs, key) ?? NONE);
          });
          return { k: "str", v };
        });
      case "join":
        return m(([v]) => ({ k: "str", v: iterate(ip, v).map(strOf).join(obj.v) }));
      case "upper":
        return m(() => ({ k: "str", v: obj.v.toUpperCase() }));
      case "lower":
        return m(() => ({ k: "str", v: obj.v.toLowerCase() }));
      case "strip":
      case "lstrip":
      case "rstrip":
        return m(([chars]) => ({ k: "str", v: stripChars(obj.v, name, chars && chars.k === "str" ? chars.v : null) }));
      case "partition":
      case "rpartition":
        return m(([sep]) => {
          if (!sep || sep.k !== "str") return ip.raise("TypeError", "must be str");
          if (sep.v === "") return ip.raise("ValueError", "empty separator");
          const i = name === "partition" ? obj.v.indexOf(sep.v) : obj.v.lastIndexOf(sep.v);
          const none = name === "partition" ? [obj.v, "", ""] : ["", "", obj.v];
          const parts = i < 0 ? none : [obj.v.slice(0, i), sep.v, obj.v.slice(i + sep.v.length)];
          return { k: "tuple", items: parts.map((x) => ({ k: "str", v: x }) as Value) };
        });
      case "startswith":
      case "endswith": {
        // a prefix or a tuple of prefixes
        const test = (p: Value): boolean => p.k === "str" && (name === "startswith" ? obj.v.startsWith(p.v) : obj.v.endsWith(p.v));
        return m(([p]) => bool(p.k === "tuple" ? p.items.some(test) : test(p)));
      }
      case "find":
        return m(([p]) => ({ k: "int", v: p?.k === "str" ? obj.v.indexOf(p.v) : -1 }));
      case "isdigit":
        return m(() => bool(/^\d+$/.test(obj.v)));
      case "isalpha":
        return m(() => bool(/^[A-Za-z]+$/.test(obj.v)));
      case "isalnum":
        return m(() => bool(/^[A-Za-z0-9]+$/.test(obj.v)));
      case "isspace":
        return m(() => bool(/^\s+$/.test(obj.v)));
      case "islower":
      case "isupper": {
        // some cased character, and every cased character in that case
        const cased = obj.v.toLowerCase() !== obj.v.toUpperCase();
        return m(() => bool(cased && obj.v === (name === "islower" ? obj.v.toLowerCase() : obj.v.toUpperCase())));
      }
      case "replace":
        return m(([a, b]) => ({ k: "str", v: a.k === "str" && b.k === "str" ? obj.v.split(a.v).join(b.v) : obj.v }));
      case "split":
      case "rsplit":
        return m(([sep, maxV], kwargs) => {
          const sepV = sep ?? kwargs.find(([k]) => k === "sep")?.[1];
          const maxN = numberOf(maxV ?? kwargs.find(([k]) => k === "maxsplit")?.[1] ?? { k: "int", v: -1 });
          const parts = splitStr(obj.v, sepV && sepV.k === "str" ? sepV.v : null, typeof maxN === "number" ? maxN : -1, name === "rsplit");
          return { k: "list", items: parts.map((x) => ({ k: "str", v: x }) as Value) };
        });
    }
  }
  if ((obj.k === "int" || obj.k === "float") && name === "is_integer") return m(() => bool(Number.isInteger(numberOf(obj))));
  void lookupClassAttr;
  return undefined;
}

/** str.split / rsplit with Python's maxsplit (the rest stays in the last / first piece); sep null splits on whitespace. */
function splitStr(s: string, sep: string | null, maxsplit: number, fromRight: boolean): string[] {
  const all = sep === null ? s.trim().split(/\s+/).filter((x) => x !== "") : s.split(sep);
  if (maxsplit < 0 || all.length <= maxsplit + 1) return all;
  const j = sep ?? " ";
  return fromRight ? [all.slice(0, all.length - maxsplit).join(j), ...all.slice(all.length - maxsplit)] : [...all.slice(0, maxsplit), all.slice(maxsplit).join(j)];
}

/** str.strip / lstrip / rstrip: whitespace, or any of `chars`. */
function stripChars(s: string, how: string, chars: string | null): string {
  const drop = (ch: string): boolean => (chars === null ? /\s/.test(ch) : chars.includes(ch));
  let a = 0;
  let b = s.length;
  if (how !== "rstrip") while (a < b && drop(s[a])) a++;
  if (how !== "lstrip") while (b > a && drop(s[b - 1])) b--;
  return s.slice(a, b);
}
