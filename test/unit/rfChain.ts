// Test helper: replay a model's forward through the rf API with hand-built tensors, as the evaluator would.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Dim } from "../../src/core/dim";
import { inputRfState, layerReport, layerRf, opRf, withRf, type RfState } from "../../src/core/rf";
import type { ArgValue, Args, DType, Output, TensorMeta } from "../../src/core/types";

export interface ExpectedLayer {
  readonly path: string;
  readonly type: string;
  readonly output: unknown;
  readonly rf: unknown;
  readonly jump: unknown;
}

/** The layers of a model in a fixture's expected report. */
export function fixtureLayers(fixture: string, model: string): ExpectedLayer[] {
  const file = path.resolve(__dirname, "../fixtures", `${fixture}.expected.json`);
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { models: { name: string; layers: ExpectedLayer[] }[] };
  const m = report.models.find((x) => x.name === model);
  if (!m) throw new Error(`no model ${model} in ${fixture}`);
  return m.layers;
}

export function tensor(shape: readonly Dim[], rf?: RfState, dtype: DType = "float"): TensorMeta {
  return rf === undefined ? { kind: "tensor", shape, dtype } : { kind: "tensor", shape, dtype, rf };
}

/** One forward: layer calls are recorded (reported at the end), ops are not. */
export class Chain {
  private readonly entries: { path: string; type: string; state: RfState; out: Output }[] = [];
  private next = 0;

  /** expected: the fixture's layers, whose output shapes the calls use in order. */
  constructor(private readonly expected: readonly ExpectedLayer[] = []) {}

  input(shape: readonly Dim[], dtype: DType = "float"): TensorMeta {
    return tensor(shape, inputRfState(dtype), dtype);
  }

  /** A layer call; the output shape comes from the fixture unless given. */
  layer(p: string, type: string, args: Args, inputs: TensorMeta | readonly ArgValue[], outShape?: readonly Dim[], kwargs: Args = {}): TensorMeta {
    const exp = this.expected[this.next++];
    if (exp && (exp.path !== p || exp.type !== type)) throw new Error(`expected ${exp.path} ${exp.type}, got ${p} ${type}`);
    const shape = outShape ?? (exp?.output as number[]);
    const out = tensor(shape);
    const ins = Array.isArray(inputs) ? (inputs as readonly ArgValue[]) : [inputs as TensorMeta];
    const st = layerRf(type, args, ins, kwargs, out);
    this.entries.push({ path: p, type, state: st, out });
    return withRf(out, st);
  }

  /** A layer returning a tuple of tensors (MultiheadAttention): its row reports null. */
  layerTuple(p: string, type: string, args: Args, inputs: readonly ArgValue[], shapes: readonly (readonly Dim[])[]): TensorMeta[] {
    this.next++;
    const out = shapes.map((s) => tensor(s));
    const st = layerRf(type, args, inputs, {}, out);
    this.entries.push({ path: p, type, state: st, out });
    return withRf(out, st);
  }

  /** A functional op with its output shape. */
  op(name: string, args: Args, outShape: readonly Dim[]): TensorMeta {
    const out = tensor(outShape);
    return withRf(out, opRf(name, args, out));
  }

  /** (path, rf, jump) of every layer, reported at the end of the forward. */
  report(): { path: string; type: string; rf: unknown; jump: unknown }[] {
    return this.entries.map((e) => ({ path: e.path, type: e.type, ...layerReport(e.state, e.out) }));
  }
}

/** The fixture's (path, type, rf, jump) rows, for deepEqual against Chain.report(). */
export function expectedRows(layers: readonly ExpectedLayer[]): { path: string; type: string; rf: unknown; jump: unknown }[] {
  return layers.map((l) => ({ path: l.path, type: l.type, rf: l.rf, jump: l.jump }));
}
