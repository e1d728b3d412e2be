// Building a model's report: the empty report, layer rows from trace entries or from the static structure, the ModelAnalysis around them.
import { rfReport } from "../core/rf";
import { type Cost, isUnknown } from "../core/types";
import { shapeJson } from "./convert";
import { containerKind, namedModules } from "./modules";
import { paramTotals } from "./paramcount";
import type { Entry, Graph } from "./trace";
import type { ModuleObj } from "./values";
import type { LayerReport, ModelReport } from "./report";
import type { ModelCandidate } from "./modelCandidates";
import type { ModelAnalysis } from "./analyze";

/** A model not analysed at all (the wall-clock budget ran out before it). */
export function notAnalysed(cand: ModelCandidate, reason: string): ModelAnalysis {
  const report = emptyReport(cand);
  report.error = `not analysed: ${reason}`;
  return modelAnalysis(cand, report, [], null, { nodes: [], edges: [] });
}

/** A model's result; its positions are read from the candidate (they follow later edits above it). */
export function modelAnalysis(cand: ModelCandidate, report: ModelReport, entries: readonly Entry[], root: ModuleObj | null, graph: Graph): ModelAnalysis {
  return {
    report,
    entries,
    root,
    graph,
    get from() {
      return cand.from;
    },
    get to() {
      return cand.to;
    },
  };
}

export function emptyReport(c: ModelCandidate): ModelReport {
  return {
    name: c.name,
    get line() {
      return c.line;
    },
    input: null,
    output: null,
    params: null,
    trainableParams: null,
    macs: null,
    flops: null,
    layers: [],
  };
}

export function layerReport(e: Entry): LayerReport {
  const m = e.module;
  const known = e.cost && !isUnknown(e.cost) ? (e.cost as Cost) : null;
  const cost = known && Number.isSafeInteger(known.macs) && Number.isSafeInteger(known.flops) ? known : null;
  const rf = e.error ? { rf: null, jump: null } : rfReport(e.rfState as never);
  const out: LayerReport = {
    path: e.path,
    type: e.type,
    get line() {
      return m.line; // read when reported: follows edits above the layer's line
    },
    output: e.error ? null : (shapeJson(e.output) as LayerReport["output"]),
    params: paramTotals(m).params,
    macs: cost ? cost.macs : null,
    flops: cost ? cost.flops : null,
    rf: rf.rf,
    jump: rf.jump,
  };
  if (e.error) out.error = true;
  return out;
}

export function staticLayers(inst: ModuleObj, names: Map<number, string>): LayerReport[] {
  const out: LayerReport[] = [];
  for (const [path, m] of namedModules(inst)) {
    if (m === inst) continue;
    const atomic = containerKind(m) === "layer";
    if (!atomic && m.children.size > 0) continue;
    out.push({
      path: names.get(m.id) ?? path,
      type: m.cls.name,
      get line() {
        return m.line;
      },
      output: null,
      params: paramTotals(m).params,
      macs: null,
      flops: null,
      rf: null,
      jump: null,
    });
  }
  return out;
}
