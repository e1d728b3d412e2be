// A module's Python-visible API: attribute lookup, nn.Module methods (parameters(), named_modules(), apply(), ...), indexing and iteration of containers.
import { torchTypename } from "./torchTypename";
import { bindMethod, callValue, iterate } from "./calls";
import { sliceIndices } from "./indices";
import { fromOutput } from "./convert";
import { lookupClassAttr, mroOf, type Interp } from "./interp";
import { NONE, newModule, numberOf, unknownValue, type CallSite, type ClassObj, type ModuleObj, type Value } from "./values";
import { layerClassOf, paramValue, moduleValue, parametersOf, namedModules, setModuleAttr, containerKind } from "./modules";
import { containerItems } from "./moduleClasses";
import { namespaceView } from "./evalCollections";
import { HOOK_METHODS, registerHook } from "./hooks";
import { convForwardMethod } from "./convForward";

function layerArgAttr(m: ModuleObj, name: string): Value | undefined {
  if (!m.args) return undefined;
  // a layer built without an optional parameter (bias=False, affine=False) registers None in its place;
  // the recurrent layers keep their bias flag as a bool
  const noBias = name === "bias" && m.args.bias === false && !/^(RNN|LSTM|GRU)(Cell)?$/.test(layerClassOf(m)?.name ?? "");
  const noAffine = (name === "weight" || name === "bias") && (m.args.affine === false || m.args.elementwise_affine === false);
  if (noBias || noAffine) return { k: "none" };
  // the norms' running-statistics buffers (None when not tracked)
  if (/^(running_mean|running_var|num_batches_tracked)$/.test(name) && "track_running_stats" in m.args && "num_features" in m.args) {
    if (m.args.track_running_stats === false) return { k: "none" };
    const c = m.args.num_features;
    if (name === "num_batches_tracked") return { k: "tensor", t: { kind: "tensor", shape: [], dtype: "long" } };
    return typeof c === "number" ? { k: "tensor", t: { kind: "tensor", shape: [c], dtype: "float" } } : undefined;
  }
  // MultiheadAttention's derived sizes
  if (layerClassOf(m)?.name === "MultiheadAttention" && typeof m.args.embed_dim === "number") {
    const E = m.args.embed_dim;
    const sameKv = (m.args.kdim ?? E) === E && (m.args.vdim ?? E) === E;
    if (name === "head_dim" && typeof m.args.num_heads === "number" && m.args.num_heads > 0) return { k: "int", v: Math.floor(E / m.args.num_heads) };
    if ((name === "kdim" || name === "vdim") && m.args[name] === null) return { k: "int", v: E };
    if (name === "_qkv_same_embed_dim") return { k: "bool", v: sameKv };
    if (name === "out_proj") return outProjView(m, E);
  }
  if (!(name in m.args)) return undefined;
  const v = m.args[name];
  const tupled = ["kernel_size", "stride", "padding", "dilation", "output_padding"];
  const type = layerClassOf(m)?.name ?? "";
  if (/^Conv/.test(type) && tupled.includes(name) && typeof v === "number") {
    const nd = Number(/(\d)d$/.exec(type)?.[1] ?? 2);
    return fromOutput(Array.from({ length: nd }, () => v));
  }
  // stored as PyTorch stores them: a pool's stride defaults to its kernel_size, LayerNorm keeps a tuple
  if (/^(Max|Avg)Pool[123]d$/.test(type) && name === "stride" && v === null) return fromOutput(m.args.kernel_size);
  if (type === "LayerNorm" && name === "normalized_shape" && typeof v === "number") return fromOutput([v]);
  // Embedding(Bag) counts a negative padding_idx from the end
  if (/^Embedding(Bag)?$/.test(type) && name === "padding_idx" && typeof v === "number" && v < 0 && typeof m.args.num_embeddings === "number") {
    return fromOutput(m.args.num_embeddings + v);
  }
  return fromOutput(v);
}

const OUT_PROJ_CLASS: ClassObj = { name: "NonDynamicallyQuantizableLinear", kind: "object", bases: [], attrs: new Map(), isUser: false };

/** MultiheadAttention.out_proj: its Linear's weight and bias (counted with the attention's own parameters). */
function outProjView(m: ModuleObj, E: number): Value {
  const [w, b] = [m.params.get("out_proj.weight"), m.params.get("out_proj.bias")];
  const attrs = new Map<string, Value>([
    ["in_features", { k: "int", v: E }],
    ["out_features", { k: "int", v: E }],
    ["weight", w ? paramValue(w) : NONE],
    ["bias", b ? paramValue(b) : NONE],
  ]);
  return { k: "instance", cls: OUT_PROJ_CLASS, attrs };
}

/** The (module, name) reads a class's own `__getattr__` is answering: a read of the same name inside it fails plainly. */
const getattrHooks = new WeakMap<ModuleObj, Set<string>>();

/** `self.name`; a class's own `__getattr__` answers the names nn.Module does not know (hook = false: nn.Module.__getattr__ itself). */
export function moduleAttr(ip: Interp, m: ModuleObj, name: string, site: CallSite, hook = true): Value {
  const own = m.attrs.get(name);
  if (own !== undefined) return own;
  const cls = lookupClassAttr(m.cls, name);
  if (cls !== undefined) {
    if (cls.k === "builtin" && cls.name === "property" && cls.self) return callValue(ip, bindMethod(cls.self, { k: "module", m }), [], [], site);
    return bindMethod(cls, { k: "module", m });
  }
  const p = m.params.get(name);
  if (p) return paramValue(p);
  if (m.children.has(name)) return moduleValue(m.children.get(name)!);
  const arg = layerArgAttr(m, name);
  if (arg !== undefined) return arg;
  const api = moduleApi(ip, m, name);
  if (api) return api;
  const convForward = name === "_conv_forward" ? convForwardMethod(ip, m) : undefined;
  if (convForward) return convForward;
  if (name === "__class__") return { k: "class", cls: m.cls };
  // writing an item registers a child (`self._modules[name] = layer`)
  if (name === "_modules") return namespaceView(new Map([...m.children].map(([k, c]) => [k, c ? moduleValue(c) : NONE])), (k, v) => setModuleAttr(ip, m, k, v, true));
  // plain attributes, written without nn.Module's registration (`self.__dict__.update(kwargs)`)
  if (name === "__dict__") {
    return namespaceView(m.attrs, (k, v) => {
      ip.touch(m);
      m.attrs.set(k, v);
    });
  }
  if (m.failed) return unknownValue(`${m.cls.name} failed to build`);
  const user = hook ? lookupClassAttr(m.cls, "__getattr__") : undefined;
  const busy = getattrHooks.get(m) ?? new Set<string>();
  if (user?.k === "func" && !busy.has(name)) {
    getattrHooks.set(m, busy.add(name));
    try {
      return callValue(ip, bindMethod(user, { k: "module", m }), [{ k: "str", v: name }], [], site);
    } finally {
      busy.delete(name);
    }
  }
  return ip.raise("AttributeError", `'${m.cls.name}' object has no attribute '${name}'`, null, ip.whereOf(site));
}

function moduleApi(ip: Interp, m: ModuleObj, name: string): Value | undefined {
  const self: Value = { k: "module", m };
  const fn = (call: (args: Value[], kwargs: [string, Value][], site: CallSite) => Value): Value => ({ k: "builtin", name: `Module.${name}`, call });
  if (HOOK_METHODS.has(name)) return fn(([hook]) => registerHook(ip, m, name, hook));
  switch (name) {
    case "parameters":
      return fn(() => ({ k: "list", items: parametersOf(m).map(paramValue) }));
    case "named_parameters":
      return fn(() => ({
        k: "list",
        items: namedModules(m).flatMap(([path, mod]) =>
          [...mod.params.entries()].map(([n, p]) => ({ k: "tuple", items: [{ k: "str", v: path ? `${path}.${n}` : n }, paramValue(p)] }) as Value),
        ),
      }));
    case "children":
      return fn(() => ({ k: "list", items: [...new Set([...m.children.values()].filter((c): c is ModuleObj => c !== null))].map(moduleValue) }));
    case "named_children":
      return fn(() => ({
        k: "list",
        items: [...m.children.entries()].filter(([, c]) => c).map(([n, c]) => ({ k: "tuple", items: [{ k: "str", v: n }, moduleValue(c)] }) as Value),
      }));
    case "modules":
      return fn(() => ({ k: "list", items: namedModules(m).map(([, x]) => moduleValue(x)) }));
    case "named_modules":
      return fn(() => ({ k: "list", items: namedModules(m).map(([p, x]) => ({ k: "tuple", items: [{ k: "str", v: p }, moduleValue(x)] }) as Value) }));
    case "add_module":
    case "register_module":
    case "register_buffer":
    case "register_parameter":
      return fn((args) => {
        const [n, v] = args;
        if (!n || !v) return ip.raise("TypeError", `${name}() missing ${2 - args.length} required positional argument${args.length === 1 ? "" : "s"}`);
        if (n.k !== "str") return NONE;
        if ((name === "add_module" || name === "register_module") && v.k !== "module" && v.k !== "none" && v.k !== "unknown") {
          return ip.raise("TypeError", `${torchTypename(v)} is not a Module subclass`);
        }
        if (name === "register_buffer") {
          ip.touch(m);
          m.attrs.set(n.v, v);
        } else setModuleAttr(ip, m, n.v, v, name !== "register_parameter");
        return NONE;
      });
    case "get_submodule":
      return fn(([t]) => {
        if (!t || t.k !== "str") return ip.raise("TypeError", "get_submodule() needs a dotted name");
        let cur: ModuleObj = m;
        for (const part of t.v === "" ? [] : t.v.split(".")) {
          const next = cur.children.get(part);
          if (!next) return ip.raise("AttributeError", `${cur.cls.name} has no attribute \`${part}\``);
          cur = next;
        }
        return moduleValue(cur);
      });
    case "requires_grad_":
      return fn(([flag]) => {
        const on = !flag || flag.k !== "bool" || flag.v;
        for (const p of parametersOf(m)) {
          ip.touch(p.owner);
          p.requiresGrad = on;
        }
        return self;
      });
    case "eval":
    case "train":
    case "to":
    case "cuda":
    case "cpu":
    case "float":
    case "double":
    case "half":
    case "share_memory":
    case "type":
      return fn(() => self);
    case "apply":
      return fn(([f], _kw, site) => {
        for (const [, x] of namedModules(m).reverse()) callValue(ip, f, [moduleValue(x)], [], site);
        return self;
      });
    case "zero_grad":
      return fn(() => NONE);
    case "state_dict":
    case "load_state_dict":
      return fn(() => unknownValue("state dicts are not modelled"));
    case "extra_repr":
      return fn(() => ({ k: "str", v: "" }));
  }
  return undefined;
}

export function moduleItem(ip: Interp, m: ModuleObj, index: Value, site: CallSite): Value {
  const custom = lookupClassAttr(m.cls, "__getitem__");
  if (custom) return callValue(ip, bindMethod(custom, { k: "module", m }), [index], [], site);
  const kind = containerKind(m);
  const where = ip.whereOf(site);
  if (kind === "moduledict") {
    if (index.k !== "str") return ip.raise("KeyError", "ModuleDict keys are strings", null, where);
    if (!m.children.has(index.v)) return ip.raise("KeyError", `'${index.v}'`, null, where);
    return moduleValue(m.children.get(index.v)!);
  }
  if (kind !== "sequential" && kind !== "modulelist") return ip.raise("TypeError", `'${m.cls.name}' object is not subscriptable`, null, where);
  const entries = [...m.children.entries()];
  if (index.k === "slice") {
    const picked = sliceIndices(ip, index, entries.length).map((i) => entries[i]);
    if (userInit(m)) return rebuildSlice(ip, m, kind, picked, site);
    const copy = newModule({ cls: m.cls, site: m.site, driver: false });
    picked.forEach(([k, v], i) => copy.children.set(kind === "sequential" ? k : String(i), v));
    return { k: "module", m: copy };
  }
  const n = numberOf(index);
  if (n === undefined || index.k === "float") return ip.raise("TypeError", "indices must be integers", null, where);
  const j = n < 0 ? n + entries.length : n;
  if (j < 0 || j >= entries.length) return ip.raise("IndexError", `index ${n} is out of range`, null, where);
  return moduleValue(entries[j][1]);
}

/** The container class's own `__init__` comes from a user subclass (not nn.Sequential / nn.ModuleList). */
function userInit(m: ModuleObj): boolean {
  for (const c of mroOf(m.cls)) {
    if (!c.isUser) return false;
    if (c.attrs.has("__init__")) return true;
  }
  return false;
}

/** PyTorch slices a container as `self.__class__(OrderedDict(picked))` (a list for ModuleList): a subclass's own `__init__` receives that one argument. */
function rebuildSlice(ip: Interp, m: ModuleObj, kind: string, picked: [string, ModuleObj | null][], site: CallSite): Value {
  const mods = picked.map(([, v]) => (v ? moduleValue(v) : NONE));
  const arg: Value = kind === "sequential" ? { k: "dict", keys: picked.map(([k]) => ({ k: "str", v: k })), vals: mods, ordered: true } : { k: "list", items: mods };
  ip.moduleMethodDepth++; // built inside Sequential.__getitem__: not driver code
  try {
    return callValue(ip, { k: "class", cls: m.cls }, [arg], [], site);
  } finally {
    ip.moduleMethodDepth--;
  }
}

/** `del m[i]` / `del m[a:b]` / `del d["k"]` of a container, as PyTorch does: Sequential and ModuleList renumber their entries afterwards. */
export function moduleDelItem(ip: Interp, m: ModuleObj, index: Value, site: CallSite): void {
  const custom = lookupClassAttr(m.cls, "__delitem__");
  if (custom) {
    callValue(ip, bindMethod(custom, { k: "module", m }), [index], [], site);
    return;
  }
  const kind = containerKind(m);
  if (kind === "moduledict") {
    if (index.k !== "str" || !m.children.has(index.v)) return void ip.raise("KeyError", index.k === "str" ? `'${index.v}'` : "ModuleDict keys are strings");
    ip.touch(m);
    m.children.delete(index.v);
    return;
  }
  if (kind !== "sequential" && kind !== "modulelist") {
    ip.raise("TypeError", `'${m.cls.name}' object doesn't support item deletion`);
    return;
  }
  const entries = [...m.children.values()];
  let drop: number[];
  if (index.k === "slice") drop = sliceIndices(ip, index, entries.length);
  else {
    const n = numberOf(index);
    if (n === undefined || index.k === "float") return void ip.raise("TypeError", "indices must be integers");
    const j = n < 0 ? n + entries.length : n;
    if (j < 0 || j >= entries.length) return void ip.raise("IndexError", `index ${n} is out of range`);
    drop = [j];
  }
  ip.touch(m);
  m.children.clear();
  entries.filter((_, i) => !drop.includes(i)).forEach((x, i) => m.children.set(String(i), x));
}

/** len(module): the class's own __len__, else a container's number of entries (len(self._modules)); other modules have no len(). */
export function moduleLen(ip: Interp, m: ModuleObj, site: CallSite): Value {
  const custom = lookupClassAttr(m.cls, "__len__");
  if (custom) return callValue(ip, bindMethod(custom, { k: "module", m }), [], [], site);
  const kind = containerKind(m);
  if (kind === "moduledict" || kind === "sequential" || kind === "modulelist") return { k: "int", v: containerItems(m).length };
  return ip.raise("TypeError", `object of type '${m.cls.name}' has no len()`);
}

export function moduleIter(ip: Interp, m: ModuleObj): Value[] {
  const custom = lookupClassAttr(m.cls, "__iter__");
  if (custom) return iterate(ip, callValue(ip, bindMethod(custom, { k: "module", m }), [], [], { unit: ip.frame.unit, node: ip.frame.callNode! }));
  const kind = containerKind(m);
  if (kind === "moduledict") return [...m.children.keys()].map((k) => ({ k: "str", v: k }) as Value);
  if (kind === "sequential" || kind === "modulelist") return containerItems(m);
  return ip.raise("TypeError", `'${m.cls.name}' object is not iterable`);
}
