// Recording the dataflow graph of a traced forward: nodes for calls, edges for the tensors between them.
import { isUnknown, type CostOrUnknown } from "../core/types";
import { shapeJson, tensorsIn } from "./convert";
import type { Graph, GraphNode, Trace } from "./trace";
import type { Value } from "./values";

type NodeInit = Omit<GraphNode, "id">;

/** Add a node fed by the tensors in `inputs`; the tensors in `output` now come from it. */
export function addNode(trace: Trace, init: NodeInit, inputs: readonly Value[], output: Value | null): GraphNode {
  const g = trace.graph;
  const node: GraphNode = { ...init, id: g.nodes.length };
  g.nodes.push(node);
  const seen = new Set<number>();
  for (const t of tensorsIn({ k: "tuple", items: [...inputs] })) {
    if (t.src === undefined || seen.has(t.src)) continue;
    seen.add(t.src);
    g.edges.push({ from: t.src, to: node.id, shape: shapeJson(t) });
  }
  if (output) for (const t of tensorsIn(output)) t.src = node.id;
  return node;
}

/** A leaf module computed through functional ops: its inner op nodes collapse into its own node. */
export function collapseSince(trace: Trace, start: number): void {
  const g = trace.graph;
  if (g.nodes.length <= start) return;
  g.nodes.length = start;
  const kept = g.edges.filter((e) => e.from < start && e.to < start);
  g.edges.length = 0;
  g.edges.push(...kept);
}

export function costFields(cost: CostOrUnknown | null): { macs: number | null; flops: number | null } {
  if (!cost || isUnknown(cost)) return { macs: null, flops: null };
  return { macs: cost.macs, flops: cost.flops };
}

/** Graphviz DOT of a graph (module calls as boxes, ops as ellipses, edges labelled with shapes). */
export function toDot(name: string, g: Graph): string {
  const esc = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  const shape = (s: unknown): string => (Array.isArray(s) && s.every((d) => !Array.isArray(d)) ? `(${s.map((d) => (d === null ? "?" : String(d))).join(", ")})` : JSON.stringify(s));
  const lines = [`digraph "${esc(name)}" {`, "  rankdir=TB;", '  node [fontname="Helvetica", fontsize=10];'];
  for (const n of g.nodes) {
    const label = n.kind === "module" ? `${n.path}\\n${n.label}\\n${shape(n.output)}` : n.kind === "op" ? `${n.label}\\n${shape(n.output)}` : `${n.label}\\n${shape(n.output)}`;
    const style = n.kind === "module" ? "box" : n.kind === "op" ? "ellipse" : "note";
    lines.push(`  n${n.id} [shape=${style}, label="${esc(label).replace(/\\\\n/g, "\\n")}"];`);
  }
  for (const e of g.edges) lines.push(`  n${e.from} -> n${e.to} [label="${esc(shape(e.shape))}"];`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
