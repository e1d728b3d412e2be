// torch.autograd.Function: `MyFn.apply(*args)` runs the subclass's static forward(ctx, *args) with a context object.
import { callValue } from "./calls";
import { lookupClassAttr, type Interp } from "./interp";
import { NONE, type ClassObj, type Value } from "./values";

const CTX_CLASS: ClassObj = { name: "FunctionCtx", kind: "object", bases: [], attrs: new Map(), isUser: false };

const FUNCTION_CLASSES = new WeakMap<Interp, ClassObj>();

/** The base class `torch.autograd.Function`: subclasses get `apply` (backward is never run: shapes only). */
export function autogradFunctionClass(ip: Interp): Value {
  const known = FUNCTION_CLASSES.get(ip);
  if (known) return { k: "class", cls: known };
  const functionClass: ClassObj = { name: "Function", kind: "object", bases: [], attrs: new Map(), isUser: false };
  FUNCTION_CLASSES.set(ip, functionClass);
  functionClass.attrs.set("apply", {
    k: "builtin",
    name: "classmethod",
    call: (args, kwargs, site, self) => {
      const cls = self?.k === "class" ? self.cls : undefined;
      const forward = cls ? lookupClassAttr(cls, "forward") : undefined;
      if (!cls || !forward) return ip.raise("NotImplementedError", "You must implement the forward function for custom autograd.Function.");
      return callValue(ip, forward, [makeCtx(), ...args], kwargs, site);
    },
  });
  return { k: "class", cls: functionClass };
}

/** The ctx forward receives: attributes can be set on it; save_for_backward keeps the tensors as saved_tensors. */
function makeCtx(): Value {
  const attrs = new Map<string, Value>();
  const ctx: Value = { k: "instance", cls: CTX_CLASS, attrs };
  const noop = (name: string): Value => ({ k: "builtin", name, call: () => NONE });
  attrs.set("save_for_backward", {
    k: "builtin",
    name: "save_for_backward",
    call: (args) => {
      attrs.set("saved_tensors", { k: "tuple", items: [...args] });
      return NONE;
    },
  });
  for (const n of ["mark_dirty", "mark_non_differentiable", "set_materialize_grads"]) attrs.set(n, noop(n));
  attrs.set("needs_input_grad", { k: "tuple", items: [] });
  return ctx;
}
