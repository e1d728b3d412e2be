// Module hooks (register_forward_pre_hook / register_forward_hook / backward hooks): their handles, and running them around forward as nn.Module._call_impl does.
import { callValue } from "./calls";
import type { Interp } from "./interp";
import { NONE, type CallSite, type ClassObj, type ModuleObj, type Value } from "./values";

interface Hooks {
  readonly pre: Map<number, Value>;
  readonly post: Map<number, Value>;
}

const HOOKS = new WeakMap<ModuleObj, Hooks>();
let nextHookId = 1;

const HANDLE_CLASS: ClassObj = { name: "RemovableHandle", kind: "object", bases: [], attrs: new Map(), isUser: false };

export const HOOK_METHODS = new Set([
  "register_forward_pre_hook",
  "register_forward_hook",
  "register_backward_hook",
  "register_full_backward_hook",
]);

/** `m.register_forward_hook(fn)` & co.: the handle whose remove() takes the hook off (backward hooks never run here). */
export function registerHook(ip: Interp, m: ModuleObj, method: string, hook: Value | undefined): Value {
  if (!hook) return ip.raise("TypeError", `${method}() missing 1 required positional argument: 'hook'`);
  const id = nextHookId++;
  let table: Map<number, Value> | null = null;
  if (method === "register_forward_pre_hook" || method === "register_forward_hook") {
    let hooks = HOOKS.get(m);
    if (!hooks) HOOKS.set(m, (hooks = { pre: new Map(), post: new Map() }));
    table = method === "register_forward_hook" ? hooks.post : hooks.pre;
    ip.touch(m);
    table.set(id, hook);
  }
  const remove: Value = {
    k: "builtin",
    name: "RemovableHandle.remove",
    call: () => {
      if (table?.delete(id)) ip.touch(m);
      return NONE;
    },
  };
  return { k: "instance", cls: HANDLE_CLASS, attrs: new Map<string, Value>([["id", { k: "int", v: id }], ["remove", remove]]) };
}

/** Forward pre-hooks, then forward, then forward hooks: a hook's non-None result replaces the input (a tuple) or the output. */
export function withHooks(ip: Interp, m: ModuleObj, args: Value[], site: CallSite, forward: (args: Value[]) => Value): Value {
  const hooks = HOOKS.get(m);
  if (!hooks || (hooks.pre.size === 0 && hooks.post.size === 0)) return forward(args);
  const self: Value = { k: "module", m };
  let input = args;
  for (const hook of [...hooks.pre.values()]) {
    const r = callValue(ip, hook, [self, { k: "tuple", items: input }], [], site);
    if (r.k !== "none") input = r.k === "tuple" ? r.items : [r];
  }
  let out = forward(input);
  for (const hook of [...hooks.post.values()]) {
    const r = callValue(ip, hook, [self, { k: "tuple", items: input }, out], [], site);
    if (r.k !== "none") out = r;
  }
  return out;
}
