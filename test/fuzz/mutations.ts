// Fuzz inputs made from the fixtures: line edits, truncation, stray tokens, indentation, extreme numbers, renamed layers.
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";

const repo = path.resolve(__dirname, "../..");

function pyFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pyFilesUnder(path.join(dir, e.name)) : e.name.endsWith(".py") ? [path.join(dir, e.name)] : []))
    .sort();
}

/** Every fixture and example model file, as [relative path, text]. */
export function fixtureSources(): [string, string][] {
  return [...pyFilesUnder(path.join(repo, "test/fixtures")), ...pyFilesUnder(path.join(repo, "examples"))].map((f) => [
    path.relative(repo, f),
    fs.readFileSync(f, "utf8"),
  ]);
}

/** Tokens a half-typed edit leaves behind. */
export const STRAY_TOKENS = [
  "(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "==", "*", "**", "->", "@", "\\", "#", "'", '"', '"""', "'''",
  "lambda", "lambda x:", "def", "class", "if", "else:", "elif", "for", "in", "while True:", "return", "yield", "await",
  "async", "not", "and", "is", "None", "True", "self", "self.", "nn.", "torch.", "F.", "super().__init__()", "x", "x,",
  "\n", "\n    ", "\t", "\r", "\r\n", " ", "\u0000", "\ufffd", "é", "😀", "0", "-1", "1e999", "10**12", "0x", "1_",
  "f'{", "f'{x}'", "b'\\x00'", "...", "pass", "break", "continue", "global x", "del self", "import", "from", "as", "raise",
  "try:", "except:", "finally:", "with", "assert", "nonlocal", ";", "~", "<<", ">>", "//", "%", "!=", ":=", "[::-1]", "*args",
];

/** Replacement numbers: huge, past 2^53, negative, zero, fractional, non-finite. */
export const EXTREME_NUMBERS = [
  "0", "1", "-1", "-7", "2", "3", "1000000", "10**12", "2**53", "2**53 + 1", "2**62", "99999999999999999999", "10**100",
  "1e308", "1e999", "-1e999", "0.5", "3.7", "1e-9", "-0.0", "float('inf')", "float('nan')", "True", "None", "'3'", "(1, 2)",
  "2**31", "65536", "4097",
];

/** Layer names to swap in for `nn.X`: real ones with other signatures, containers, and misspellings. */
export const LAYER_NAMES = [
  "Conv1d", "Conv2d", "Conv3d", "ConvTranspose2d", "Linear", "Bilinear", "LazyLinear", "BatchNorm1d", "BatchNorm2d",
  "LayerNorm", "GroupNorm", "InstanceNorm2d", "ReLU", "GELU", "Softmax", "Dropout", "MaxPool2d", "AvgPool1d",
  "AdaptiveAvgPool2d", "Flatten", "Unflatten", "Upsample", "PixelShuffle", "PixelUnshuffle", "Embedding", "LSTM", "GRU",
  "RNN", "MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder", "Transformer", "Identity", "Sequential",
  "ModuleList", "ModuleDict", "ZeroPad2d", "Module", "Parameter", "Senquential", "Conv2D", "Lineer", "Foo",
];

export type Mutation = (text: string) => string;

function lines(text: string): string[] {
  return text.split("\n");
}

const at = (n: number, len: number): number => (len === 0 ? 0 : n % len);

/** One random edit of a source text. */
export const mutationArb: fc.Arbitrary<{ name: string; apply: Mutation }> = fc.oneof(
  fc.record({ i: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }).map(({ i, n }) => ({
    name: `delete ${n} line(s) at ${i}`,
    apply: (t: string) => {
      const ls = lines(t);
      ls.splice(at(i, ls.length), n);
      return ls.join("\n");
    },
  })),
  fc.record({ i: fc.nat(), n: fc.integer({ min: 1, max: 6 }), j: fc.nat() }).map(({ i, n, j }) => ({
    name: `duplicate ${n} line(s) from ${i} to ${j}`,
    apply: (t: string) => {
      const ls = lines(t);
      const from = at(i, ls.length);
      ls.splice(at(j, ls.length + 1), 0, ...ls.slice(from, from + n));
      return ls.join("\n");
    },
  })),
  fc.record({ i: fc.nat(), j: fc.nat() }).map(({ i, j }) => ({
    name: `swap lines ${i} and ${j}`,
    apply: (t: string) => {
      const ls = lines(t);
      const a = at(i, ls.length);
      const b = at(j, ls.length);
      [ls[a], ls[b]] = [ls[b], ls[a]];
      return ls.join("\n");
    },
  })),
  fc.nat().map((i) => ({ name: `truncate at ${i}`, apply: (t: string) => t.slice(0, at(i, t.length + 1)) })),
  fc.record({ i: fc.nat(), tok: fc.constantFrom(...STRAY_TOKENS), n: fc.integer({ min: 1, max: 3 }) }).map(({ i, tok, n }) => ({
    name: `insert ${JSON.stringify(tok)} x${n} at ${i}`,
    apply: (t: string) => {
      const p = at(i, t.length + 1);
      return t.slice(0, p) + tok.repeat(n) + t.slice(p);
    },
  })),
  fc.record({ i: fc.nat(), indent: fc.constantFrom("", " ", "  ", "    ", "        ", "\t", "\t    ", " \t"), keep: fc.boolean() }).map(
    ({ i, indent, keep }) => ({
      name: `re-indent line ${i} with ${JSON.stringify(indent)}`,
      apply: (t: string) => {
        const ls = lines(t);
        const k = at(i, ls.length);
        ls[k] = indent + (keep ? ls[k] : ls[k].trimStart());
        return ls.join("\n");
      },
    }),
  ),
  fc.record({ i: fc.nat(), num: fc.constantFrom(...EXTREME_NUMBERS) }).map(({ i, num }) => ({
    name: `number #${i} -> ${num}`,
    apply: (t: string) => {
      const hits = [...t.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?![\w.])/g)];
      if (hits.length === 0) return t;
      const h = hits[at(i, hits.length)];
      return t.slice(0, h.index) + num + t.slice(h.index! + h[0].length);
    },
  })),
  fc.record({ num: fc.constantFrom(...EXTREME_NUMBERS) }).map(({ num }) => ({
    name: `every number -> ${num}`,
    apply: (t: string) => t.replace(/(?<![\w.])\d+(?![\w.])/g, num),
  })),
  fc.record({ i: fc.nat(), layer: fc.constantFrom(...LAYER_NAMES) }).map(({ i, layer }) => ({
    name: `nn layer #${i} -> nn.${layer}`,
    apply: (t: string) => {
      const hits = [...t.matchAll(/\bnn\.([A-Za-z_]\w*)/g)];
      if (hits.length === 0) return t;
      const h = hits[at(i, hits.length)];
      return t.slice(0, h.index) + `nn.${layer}` + t.slice(h.index! + h[0].length);
    },
  })),
  fc.constantFrom<{ name: string; apply: Mutation }>(
    { name: "CRLF line endings", apply: (t) => t.replace(/\r?\n/g, "\r\n") },
    { name: "CR line endings", apply: (t) => t.replace(/\r?\n/g, "\r") },
    { name: "tabs for indentation", apply: (t) => t.replace(/^((?: {4})+)/gm, (m) => "\t".repeat(m.length / 4)) },
    { name: "byte-order mark", apply: (t) => "\ufeff" + t },
    { name: "no final newline", apply: (t) => t.replace(/\n+$/, "") },
    { name: "binary noise", apply: (t) => t.slice(0, t.length >> 1) + "\u0000\u0001\u00ff\ufffd\u0000" + t.slice(t.length >> 1) },
  ),
);

/** A fixture with 1 to 4 random edits. */
export function mutatedFixtureArb(sources: readonly [string, string][]): fc.Arbitrary<{ file: string; before: string; after: string; edits: string[] }> {
  return fc
    .record({ src: fc.constantFrom(...sources), muts: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) })
    .map(({ src, muts }) => ({
      file: src[0],
      before: src[1],
      after: muts.reduce((t, m) => m.apply(t), src[1]),
      edits: muts.map((m) => m.name),
    }));
}

/** The text cut at every `step`-th character (what the editor sees while a file is typed top to bottom). */
export function truncations(text: string, step: number): string[] {
  const out: string[] = [];
  for (let i = 0; i <= text.length; i += step) out.push(text.slice(0, i));
  return out;
}
