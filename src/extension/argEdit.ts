// Text edits behind the quick fixes (vscode-free): set a call argument, rename a misspelled name, suggest an input shape.
import type { ModelReport } from "../python/report";
import type { ArgValue } from "../core/types";
import type { ModuleObj } from "../python/values";
import { callAt, type CallArg, type CallInfo } from "./pySyntax";

/** Replace text[from, to) with `insert` (document offsets). */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

/**
 * Set argument `arg` of a call to `value`: its keyword if given (`in_channels=1`), else the
 * positional argument at its place in `positionalNames` (the constructor's declared order),
 * else a new keyword at the end. Null when the argument cannot be located safely
 * (hidden in `*args`/`**kwargs`, or the call's signature is unknown and the keyword absent).
 */
export function argumentEdit(call: CallInfo, arg: string, value: string, positionalNames: readonly string[] | undefined): TextEdit | null {
  const keyword = call.args.find((a) => a.kind === "keyword" && a.name === arg);
  if (keyword) return { from: keyword.value.from, to: keyword.value.to, insert: value };
  const index = positionalNames ? positionalNames.indexOf(arg) : -1;
  if (index < 0) return null;
  const positional: CallArg[] = [];
  for (const a of call.args) {
    if (a.kind === "star") {
      if (index >= positional.length) return null; // it may be inside *args
      break;
    }
    if (a.kind === "positional") positional.push(a);
  }
  if (index >= 0 && index < positional.length) return { from: positional[index].from, to: positional[index].to, insert: value };
  if (call.args.some((a) => a.kind === "doubleStar")) return null; // it may be inside **kwargs
  const last = call.args[call.args.length - 1];
  return last ? { from: last.to, to: last.to, insert: `, ${arg}=${value}` } : { from: call.argList.from + 1, to: call.argList.from + 1, insert: `${arg}=${value}` };
}

/** Whether the text of an argument is a constant (numbers and operators only), so replacing it loses nothing. */
export function isConstantText(text: string): boolean {
  return /^[\s\d.+\-*/()%,]*$/.test(text);
}

/** The argument edit for a diagnostic at `offset` with `fix = {arg, value}`, or null. */
export function argumentEditAt(
  text: string,
  offset: number,
  fix: { readonly arg: string; readonly value: string },
  signatureOf: (callee: string) => readonly string[] | undefined,
): { edit: TextEdit; call: CallInfo; replaced: string } | null {
  const call = callAt(text, offset);
  if (!call || !fix.arg) return null;
  const edit = argumentEdit(call, fix.arg, fix.value, signatureOf(call.name));
  return edit ? { edit, call, replaced: text.slice(edit.from, edit.to) } : null;
}

/**
 * Replace the misspelled part of the dotted name at `offset`: `wrong`'s last component
 * (`Senquential` of `nn.Senquential`, `optimal` of `torch.optimal`) becomes `suggestion`'s last
 * component (`nn.Senquential(` → `nn.Sequential(`, `torch.optimal.Adam` → `torch.optim.Adam`);
 * a bare name becomes the suggestion as given (`Conv2d` → `nn.Conv2d`). Null when the name at
 * `offset` has no such part.
 */
export function renameEditAt(text: string, offset: number, wrong: string, suggestion: string): TextEdit | null {
  const found = misspelledPartAt(text, offset, wrong);
  if (!found) return null;
  const insert = found.bare ? suggestion : suggestion.slice(suggestion.lastIndexOf(".") + 1);
  if (!/^[A-Za-z_][\w.]*$/.test(insert) || insert === text.slice(found.from, found.to)) return null;
  return { from: found.from, to: found.to, insert };
}

/** Where `wrong`'s last component is in the dotted name at `offset`, and whether that name is a bare one. */
export function misspelledPartAt(text: string, offset: number, wrong: string): { from: number; to: number; bare: boolean } | null {
  const chain = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/.exec(text.slice(offset, offset + 300));
  if (!chain) return null;
  const target = wrong.slice(wrong.lastIndexOf(".") + 1);
  const names = chain[0].split(".");
  let pos = offset;
  for (const name of names) {
    if (name === target) return { from: pos, to: pos + name.length, bare: names.length === 1 };
    pos += name.length + 1;
  }
  return null;
}

/**
 * The misspelled name a diagnostic is about: `nn.Senquential is not a known layer` in __init__,
 * or Python's `module 'torch.nn.functional' has no attribute 'rellu'` inside forward.
 */
export function misspelledName(d: { readonly message: string }): string | null {
  return /^([A-Za-z_][\w.]*) is not /.exec(d.message)?.[1] ?? /^(?:AttributeError: )?module '[\w.]+' has no attribute '(\w+)'/.exec(d.message)?.[1] ?? null;
}

/** The suggested name of an unknown-layer diagnostic: its fix value, else "did you mean nn.X?" in the message. */
export function suggestedName(d: { readonly message: string; readonly fix?: { readonly arg: string; readonly value: string } }): string | null {
  if (d.fix && !d.fix.arg && d.fix.value) return d.fix.value;
  const m = /did you mean ([\w.]+)\?/.exec(d.message);
  return m ? m[1] : null;
}

function intArg(v: ArgValue | undefined): number | null {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null;
}

/** A first leaf layer of the model, in registration order (the usual first layer of forward). */
function firstLayer(root: ModuleObj): ModuleObj | null {
  const seen = new Set<ModuleObj>();
  const walk = (m: ModuleObj): ModuleObj | null => {
    if (seen.has(m)) return null;
    seen.add(m);
    if (m !== root && m.args) return m;
    for (const c of m.children.values()) {
      const hit = c ? walk(c) : null;
      if (hit) return hit;
    }
    return null;
  };
  return walk(root);
}

/** A shape for the pragma quick fix, from the symbolic input if any, else from the model's first layer. */
export function suggestInputShape(report: ModelReport, root: ModuleObj | null): number[] {
  const symbolic = report.input?.[0];
  if (symbolic && symbolic.length > 0) return symbolic.map((d, i) => (typeof d === "number" ? d : i === 0 ? 1 : 32));
  const layer = root ? firstLayer(root) : null;
  const args = layer?.args ?? {};
  const type = layer ? layer.cls.name : "";
  const channels = intArg(args.in_channels) ?? intArg(args.num_features) ?? intArg(args.num_channels) ?? 3;
  if (/^(Linear|Bilinear|LazyLinear)$/.test(type)) return [1, intArg(args.in_features) ?? 64];
  if (/^(LSTM|GRU|RNN)$/.test(type)) {
    const features = intArg(args.input_size) ?? 32;
    return args.batch_first === true ? [1, 16, features] : [16, 1, features];
  }
  if (type === "Embedding" || type === "EmbeddingBag") return [1, 16];
  if (type === "MultiheadAttention") return [16, 1, intArg(args.embed_dim) ?? 64];
  if (/1d$/.test(type)) return [1, channels, 128];
  if (/3d$/.test(type)) return [1, channels, 8, 32, 32];
  return [1, channels, 32, 32];
}
