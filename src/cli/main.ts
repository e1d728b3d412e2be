// The `shape-lens` command line: analyse PyTorch model files and print tables or the JSON report.
import * as fs from "node:fs";
import { analyzeSource, type Analysis } from "../python/analyze";
import { toDot } from "../python/graph";
import { analyzeNotebook, parseIpynb, type NotebookProgram } from "../python/notebook";
import { parsePragma } from "../python/pragma";
import type { Report } from "../python/report";
import { reportText } from "./table";

const USAGE = `usage: shape-lens FILE... [--json] [--input "(1,3,224,224)"] [--model NAME] [--macs] [--strict]

Shows each layer's output shape, parameters, FLOPs (or MACs) and receptive field of the
PyTorch models in FILE, computed statically: the file is never run.

  --json            print the JSON report (spec v1) on stdout
  --input SHAPES    input shape(s) for models without a pragma or a call in the file
  --model NAME      only this model
  --macs            show MACs instead of FLOPs in the table
  --symbolic        trace models without any input with a symbolic one, e.g. (N, 3, H, W)
  --graph           with --json: add each model's dataflow graph (nodes, edges with shapes)
  --dot             print each model's dataflow graph as Graphviz DOT instead
  --strict          exit 1 when a file has errors
  --help            this text
Exit codes: 0 analysed (even with diagnostics), 1 errors with --strict, 2 bad arguments or unreadable input.`;

interface CliOptions {
  files: string[];
  json: boolean;
  input?: number[][];
  model?: string;
  macs: boolean;
  strict: boolean;
  symbolic: boolean;
  graph: boolean;
  dot: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { files: [], json: false, macs: false, strict: false, symbolic: false, graph: false, dot: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--json") o.json = true;
    else if (a === "--macs") o.macs = true;
    else if (a === "--strict") o.strict = true;
    else if (a === "--symbolic") o.symbolic = true;
    else if (a === "--graph") o.graph = true;
    else if (a === "--dot") o.dot = true;
    else if (a === "--help" || a === "-h") throw new UsageError("");
    else if (a.startsWith("--input")) {
      const shapes = parsePragma(`# shape-lens: input=${value()}`);
      if (!shapes || shapes.some((s) => s.some((d) => typeof d !== "number" || d < 0))) {
        throw new UsageError("--input takes shapes of whole numbers, e.g. \"(1, 3, 224, 224)\"");
      }
      o.input = shapes as number[][];
    } else if (a.startsWith("--model")) o.model = value();
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (o.files.length === 0) throw new UsageError("no file given");
  return o;
}

function readSource(file: string): string {
  if (!/\.(py|ipynb)$/i.test(file)) throw new UsageError(`${file}: not a Python file (.py) or notebook (.ipynb)`);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new UsageError(`${file}: cannot read (no such file)`);
  }
  if (st.isDirectory()) throw new UsageError(`${file}: is a directory`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as Error).message})`);
  }
  if (buf.includes(0)) throw new UsageError(`${file}: binary file, not Python source`);
  return buf.toString("utf8");
}

/** Notebook reports: `line` is the line in the joined program; `cell` and `cellLine` say where that is. */
function withCells(report: Report, program: NotebookProgram): Report {
  const at = (line: number | null): { cell?: number; cellLine?: number } => {
    const p = line !== null ? program.lines[line] : undefined;
    return p ? { cell: p.cell, cellLine: p.line } : {};
  };
  return {
    ...report,
    models: report.models.map((m) => ({ ...m, ...at(m.line), layers: m.layers.map((l) => ({ ...l, ...at(l.line) })) })),
    diagnostics: report.diagnostics.map((d) => ({ ...d, ...at(d.line) })),
  };
}

export function main(argv: string[]): number {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    const msg = (e as Error).message;
    process.stderr.write(msg ? `shape-lens: ${msg}\n\n${USAGE}\n` : `${USAGE}\n`);
    return msg ? 2 : 0;
  }
  let exit = 0;
  const reports: { file: string; report: Report }[] = [];
  const dots: string[] = [];
  for (const file of opts.files) {
    let text: string;
    try {
      text = readSource(file);
    } catch (e) {
      process.stderr.write(`shape-lens: ${(e as Error).message}\n`);
      return 2;
    }
    const options = { defaultInput: opts.input, symbolic: opts.symbolic };
    let report: Report;
    let analysis: Analysis;
    if (/\.ipynb$/i.test(file)) {
      let cells;
      try {
        cells = parseIpynb(text);
      } catch {
        process.stderr.write(`shape-lens: ${file}: not a valid notebook (JSON)\n`);
        return 2;
      }
      const nb = analyzeNotebook(cells, options);
      report = withCells(nb.analysis.report, nb.program);
      analysis = nb.analysis;
    } else {
      analysis = analyzeSource(text, options);
      report = analysis.report;
    }
    const graphs = new Map(analysis.models.map((m) => [m.report, m.graph]));
    if (opts.dot) for (const m of report.models) if (!opts.model || m.name === opts.model) dots.push(toDot(m.name, graphs.get(m) ?? { nodes: [], edges: [] }));
    if (opts.graph) report = { ...report, models: report.models.map((m) => ({ ...m, graph: graphs.get(m) })) };
    if (opts.model) report.models = report.models.filter((m) => m.name === opts.model);
    reports.push({ file, report });
    if (opts.strict && report.diagnostics.some((d) => d.severity === "error")) exit = 1;
  }
  if (opts.dot) {
    process.stdout.write(dots.join("\n"));
  } else if (opts.json) {
    const out = reports.length === 1 ? reports[0].report : reports.map((r) => ({ file: r.file, ...r.report }));
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } else {
    process.stdout.write(reports.map((r) => reportText(r.report, r.file, { macs: opts.macs })).join("\n"));
  }
  return exit;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
