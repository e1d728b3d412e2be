// Python-style argument binding against a declared signature (positional order, keywords, defaults).
import { error, type ArgValue, type Args, type Problem } from "./types";

export interface ParamSpec {
  readonly name: string;
  /** Absent: the parameter is required. */
  readonly default?: ArgValue;
}

export interface Signature {
  /** Positional-or-keyword parameters, in PyTorch's declared order. */
  readonly params: readonly ParamSpec[];
  /** Keyword-only parameters (after `*` or `*args`). */
  readonly kwOnly?: readonly ParamSpec[];
  /** Name of a `*args` parameter: extra positionals are collected there as a list. */
  readonly varargs?: string;
  /** Whether `**kwargs` is accepted: unknown keywords are then kept under their own names. */
  readonly varkw?: boolean;
}

/** Shorthand: `sig("in_channels", "out_channels", "kernel_size", ["stride", 1], ...)`. */
export function sig(...items: (string | readonly [string, ArgValue])[]): Signature {
  return {
    params: items.map((it) => (typeof it === "string" ? { name: it } : { name: it[0], default: it[1] })),
  };
}

export type BindResult = { readonly ok: true; readonly args: Args } | { readonly ok: false; readonly problem: Problem };

/**
 * Bind call arguments like Python does. `what` names the callee in messages
 * (`Conv2d.__init__()`, `max_pool2d()`).
 */
export function bindArgs(
  what: string,
  signature: Signature,
  positional: readonly ArgValue[],
  keywords: readonly (readonly [string, ArgValue])[],
): BindResult {
  const out: Record<string, ArgValue> = {};
  const params = signature.params;
  const kwOnly = signature.kwOnly ?? [];
  if (positional.length > params.length && !signature.varargs) {
    const given = positional.length;
    return fail(
      `${what} takes ${params.length} positional argument${params.length === 1 ? "" : "s"} but ${given} ${given === 1 ? "was" : "were"} given`,
    );
  }
  params.forEach((p, i) => {
    if (i < positional.length) out[p.name] = positional[i];
  });
  if (signature.varargs) out[signature.varargs] = positional.slice(params.length);
  for (const [name, value] of keywords) {
    const known = params.some((p) => p.name === name) || kwOnly.some((p) => p.name === name);
    if (!known && !signature.varkw) return fail(`${what} got an unexpected keyword argument '${name}'`);
    if (Object.prototype.hasOwnProperty.call(out, name) && name !== signature.varargs) {
      return fail(`${what} got multiple values for argument '${name}'`);
    }
    out[name] = value;
  }
  const missing: string[] = [];
  for (const p of [...params, ...kwOnly]) {
    if (Object.prototype.hasOwnProperty.call(out, p.name)) continue;
    if (p.default === undefined) missing.push(p.name);
    else out[p.name] = p.default;
  }
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    return fail(`${what} missing ${missing.length} required positional argument${missing.length === 1 ? "" : "s"}: ${list}`);
  }
  return { ok: true, args: out };
}

function fail(message: string): BindResult {
  return { ok: false, problem: error("bad-argument", message) };
}
