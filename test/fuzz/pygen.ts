// Grammar-generated random Python: module classes, helpers, loops and driver code over a small pool of names.
import fc from "fast-check";
import { LAYER_NAMES } from "./mutations";

const NAMES = ["x", "y", "h", "n", "c", "k", "i", "j", "out", "cfg", "layers", "blocks", "acc", "s"];
const FUNCS = ["f", "g", "helper", "make", "build"];
const CLASSES = ["Net", "Block", "Head", "M", "Stem"];
const ATTRS = ["conv", "fc", "norm", "act", "body", "layers", "head", "blocks", "w", "me"];
const OPS = ["+", "-", "*", "/", "//", "%", "**", "@", "<", ">", "==", "!=", "and", "or", "in", "not in", "is", "<<", "&"];

const nameArb = fc.constantFrom(...NAMES);
const numberArb = fc.oneof(
  fc.integer({ min: 0, max: 64 }).map(String),
  fc.constantFrom("0", "1", "3", "16", "224", "-1", "-5", "0.5", "1e-5", "10**12", "2**53", "2**64", "99999999999999999999", "1e308", "1e999"),
);
const layerArb = fc.constantFrom(...LAYER_NAMES);

/** Expressions, nested up to a small depth. */
export const exprArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    numberArb,
    nameArb,
    fc.constantFrom("None", "True", "False", "'relu'", "\"s\"", "f'{x}'", "self", "...", "[]", "()", "{}"),
    fc.record({ a: fc.constantFrom(...ATTRS) }).map(({ a }) => `self.${a}`),
    fc.record({ l: layerArb, args: fc.array(tie("expr"), { maxLength: 4 }) }).map(({ l, args }) => `nn.${l}(${args.join(", ")})`),
    fc.array(tie("expr"), { maxLength: 5 }).map((dims) => `torch.randn(${dims.join(", ")})`),
    fc.record({ fn: fc.constantFrom("F.relu", "torch.cat", "torch.flatten", "F.interpolate", "len", "range", "list", "int", "max", "sum", "str", "isinstance", "getattr", "zip", "enumerate", "sorted", ...FUNCS, ...CLASSES), args: fc.array(tie("expr"), { maxLength: 3 }) }).map(
      ({ fn, args }) => `${fn}(${args.join(", ")})`,
    ),
    fc.record({ obj: tie("expr"), m: fc.constantFrom("view", "size", "shape", "permute", "mean", "append", "flatten", "reshape", "transpose", "unsqueeze", "chunk", "split", "T", "dim", "numel", "forward", "children", "parameters", "add_module", "items", "join", "format") , args: fc.array(tie("expr"), { maxLength: 3 }), call: fc.boolean() }).map(
      ({ obj, m, args, call }) => `${obj}.${m}${call ? `(${args.join(", ")})` : ""}`,
    ),
    fc.record({ a: tie("expr"), op: fc.constantFrom(...OPS), b: tie("expr") }).map(({ a, op, b }) => `(${a} ${op} ${b})`),
    fc.record({ op: fc.constantFrom("-", "not ", "~"), a: tie("expr") }).map(({ op, a }) => `${op}${a}`),
    fc.array(tie("expr"), { maxLength: 4 }).map((xs) => `[${xs.join(", ")}]`),
    fc.array(tie("expr"), { maxLength: 4 }).map((xs) => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`),
    fc.record({ k: tie("expr"), v: tie("expr") }).map(({ k, v }) => `{${k}: ${v}}`),
    fc.record({ body: tie("expr"), v: nameArb, it: tie("expr"), cond: fc.option(tie("expr")) }).map(
      ({ body, v, it, cond }) => `[${body} for ${v} in ${it}${cond ? ` if ${cond}` : ""}]`,
    ),
    fc.record({ a: tie("expr"), i: tie("expr"), slice: fc.boolean() }).map(({ a, i, slice }) => (slice ? `${a}[${i}:]` : `${a}[${i}]`)),
    fc.record({ a: tie("expr"), c: tie("expr"), b: tie("expr") }).map(({ a, c, b }) => `(${a} if ${c} else ${b})`),
    fc.record({ v: nameArb, body: tie("expr") }).map(({ v, body }) => `(lambda ${v}: ${body})`),
    fc.record({ a: tie("expr") }).map(({ a }) => `*${a}`),
  ),
})).expr;

type Stmts = (indent: string, depth: number) => fc.Arbitrary<string>;

/** Statements at an indentation, nested bodies down to `depth`. */
export const stmtArb: Stmts = (indent, depth) => {
  const body = (): fc.Arbitrary<string> => (depth <= 0 ? fc.constant(`${indent}    pass`) : blockArb(indent + "    ", depth - 1));
  const simple = fc.oneof(
    fc.record({ t: fc.oneof(nameArb, fc.constantFrom(...ATTRS).map((a) => `self.${a}`), fc.constant("x, y"), fc.constant("x[0]")), e: exprArb }).map(({ t, e }) => `${indent}${t} = ${e}`),
    fc.record({ t: nameArb, op: fc.constantFrom("+=", "*=", "-=", "//="), e: exprArb }).map(({ t, op, e }) => `${indent}${t} ${op} ${e}`),
    exprArb.map((e) => `${indent}${e}`),
    exprArb.map((e) => `${indent}return ${e}`),
    fc.constantFrom("pass", "break", "continue", "return", "global x", "raise ValueError('bad')", "import torch", "import torch.nn as nn", "from torch import nn", "del x", "super().__init__()", "assert x").map((s) => `${indent}${s}`),
  );
  if (depth <= 0) return simple;
  return fc.oneof(
    { weight: 4, arbitrary: simple },
    { weight: 1, arbitrary: fc.record({ c: exprArb, b: body(), e: fc.option(body()) }).map(({ c, b, e }) => `${indent}if ${c}:\n${b}${e ? `\n${indent}else:\n${e}` : ""}`) },
    { weight: 1, arbitrary: fc.record({ v: nameArb, it: exprArb, b: body() }).map(({ v, it, b }) => `${indent}for ${v} in ${it}:\n${b}`) },
    { weight: 1, arbitrary: fc.record({ c: exprArb, b: body() }).map(({ c, b }) => `${indent}while ${c}:\n${b}`) },
    { weight: 1, arbitrary: fc.record({ b: body(), h: body() }).map(({ b, h }) => `${indent}try:\n${b}\n${indent}except Exception:\n${h}`) },
    { weight: 1, arbitrary: fc.record({ f: fc.constantFrom(...FUNCS), ps: fc.array(nameArb, { maxLength: 3 }), b: body() }).map(({ f, ps, b }) => `${indent}def ${f}(${[...new Set(ps)].join(", ")}):\n${b}`) },
  );
};

export function blockArb(indent: string, depth: number): fc.Arbitrary<string> {
  return fc.array(stmtArb(indent, depth), { minLength: 1, maxLength: 4 }).map((ss) => ss.join("\n"));
}

/** A module class: __init__ building layers, a forward, maybe extra methods calling each other. */
const classArb = fc
  .record({
    name: fc.constantFrom(...CLASSES),
    base: fc.constantFrom("nn.Module", "nn.Module", "nn.Sequential", "object", "Net", "Block"),
    params: fc.array(nameArb, { maxLength: 2 }),
    init: blockArb("        ", 2),
    fwd: blockArb("        ", 2),
    extra: fc.option(fc.record({ m: fc.constantFrom("step", "block", "forward_features"), body: blockArb("        ", 1) })),
    pragma: fc.option(fc.array(fc.integer({ min: -2, max: 64 }), { minLength: 1, maxLength: 4 })),
  })
  .map(({ name, base, params, init, fwd, extra, pragma }) => {
    const ps = [...new Set(params)].map((p) => `, ${p}=3`).join("");
    return [
      ...(pragma ? [`# shape-lens: input=(${pragma.join(", ")})`] : []),
      `class ${name}(${base}):`,
      `    def __init__(self${ps}):`,
      `        super().__init__()`,
      init,
      `    def forward(self, x):`,
      fwd,
      `        return x`,
      ...(extra ? [`    def ${extra.m}(self, x):`, extra.body] : []),
    ].join("\n");
  });

/** Driver code after a class: build it and call it on a random tensor. */
const driverArb = fc
  .record({ cls: fc.constantFrom(...CLASSES), v: fc.constantFrom("model", "m", "net"), dims: fc.array(numberArb, { minLength: 1, maxLength: 4 }), extra: fc.option(blockArb("", 1)) })
  .map(({ cls, v, dims, extra }) => [`${v} = ${cls}()`, `y = ${v}(torch.randn(${dims.join(", ")}))`, ...(extra ? [extra] : [])].join("\n"));

/** A whole random file: imports, then helpers, classes with their drivers, and loose top-level code. */
export const programArb: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: classArb.chain((c) => fc.option(driverArb).map((d) => (d ? `${c}\n${d}` : c))) }, { weight: 1, arbitrary: blockArb("", 2) }, { weight: 1, arbitrary: driverArb }), {
    minLength: 1,
    maxLength: 5,
  })
  .map((parts) => ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", "", ...parts].join("\n") + "\n");

/** Part i of a file of independent models: its own class, instance and output names. */
function independentPart(i: number): fc.Arbitrary<string> {
  return fc
    .record({
      init: blockArb("        ", 1),
      fwd: blockArb("        ", 1),
      layer: layerArb,
      args: fc.array(numberArb, { maxLength: 3 }),
      dims: fc.array(numberArb, { minLength: 1, maxLength: 4 }),
    })
    .map(({ init, fwd, layer, args, dims }) =>
      [
        `class Part${i}(nn.Module):`,
        `    def __init__(self):`,
        `        super().__init__()`,
        `        self.layer = nn.${layer}(${args.join(", ")})`,
        init,
        `    def forward(self, x):`,
        `        x = self.layer(x)`,
        fwd,
        `        return x`,
        `model${i} = Part${i}()`,
        `out${i} = model${i}(torch.randn(${dims.join(", ")}))`,
      ].join("\n"),
    );
}

/** A file of two to four models that share nothing but the imports (for the locality property). */
export const independentProgramArb: fc.Arbitrary<string> = fc
  .integer({ min: 2, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => independentPart(i))))
  .map((parts) => ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", "", ...parts].join("\n") + "\n");
