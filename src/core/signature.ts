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
  leading = 0,
): BindResult {
  const out: Record<string, ArgValue> = {};
  const params = signature.params;
  const kwOnly = signature.kwOnly ?? [];
  if (positional.length > params.length && !signature.varargs) {
    const required = params.filter((p) => p.default === undefined).length;
    const kwGiven = keywords.filter(([k]) => kwOnly.some((p) => p.name === k)).length;
    return fail(tooManyPositional(what, params.length + leading, required + leading, positional.length + leading, kwGiven));
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
  const missingPos = missing.filter((m) => params.some((p) => p.name === m));
  if (missingPos.length > 0) return fail(missingArguments(what, missingPos, "positional"));
  if (missing.length > 0) return fail(missingArguments(what, missing, "keyword-only"));
  return { ok: true, args: out };
}

/**
 * CPython's "f() takes from 2 to 7 positional arguments but 8 were given" (counts include `self`;
 * `kwOnlyGiven` keyword-only arguments passed add "(and 1 keyword-only argument)").
 */
export function tooManyPositional(what: string, total: number, required: number, given: number, kwOnlyGiven = 0): string {
  const takes = required < total ? `from ${required} to ${total} positional arguments` : `${total} positional argument${total === 1 ? "" : "s"}`;
  const kwText = kwOnlyGiven > 0 ? ` positional argument${given === 1 ? "" : "s"} (and ${kwOnlyGiven} keyword-only argument${kwOnlyGiven === 1 ? "" : "s"})` : "";
  return `${what} takes ${takes} but ${given}${kwText} ${given === 1 && kwOnlyGiven === 0 ? "was" : "were"} given`;
}

/** CPython's "f() missing 3 required positional arguments: 'a', 'b', and 'c'". */
export function missingArguments(what: string, names: readonly string[], kind: "positional" | "keyword-only"): string {
  const q = names.map((m) => `'${m}'`);
  const list = q.length === 1 ? q[0] : q.length === 2 ? `${q[0]} and ${q[1]}` : `${q.slice(0, -1).join(", ")}, and ${q[q.length - 1]}`;
  return `${what} missing ${names.length} required ${kind} argument${names.length === 1 ? "" : "s"}: ${list}`;
}

function fail(message: string): BindResult {
  return { ok: false, problem: error("bad-argument", message) };
}
