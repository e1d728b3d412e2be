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
 * Rename the callee of the call (or the name) at `offset` to `suggestion`: `nn.Senquential` →
 * `nn.Sequential` (the last part is replaced); a bare `Conv2D` → the suggestion as given (`nn.Conv2d`).
 */
export function renameEditAt(text: string, offset: number, suggestion: string): TextEdit | null {
  const call = callAt(text, offset);
  let span: { from: number; to: number } | null = null;
  let dotted = false;
  if (call) {
    span = call.nameSpan;
    dotted = call.dotted;
  } else {
    const m = /^[A-Za-z_][\w.]*/.exec(text.slice(offset, offset + 200));
    if (!m) return null;
    const dot = m[0].lastIndexOf(".");
    dotted = dot >= 0;
    span = { from: offset + dot + 1, to: offset + m[0].length };
  }
  const insert = dotted ? suggestion.slice(suggestion.lastIndexOf(".") + 1) : suggestion;
  if (!/^[A-Za-z_][\w.]*$/.test(insert) || text.slice(span.from, span.to) === insert) return null;
  return { from: span.from, to: span.to, insert };
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
