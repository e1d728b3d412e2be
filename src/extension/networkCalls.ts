// Which container-module calls each graph node of the network picture runs inside (unit1#1, refine#2): its groups.
import type { ModelAnalysis } from "../python/analyze";
import type { GraphNode } from "../python/trace";

/** One call of a container module (`unit1`, `refine` called twice: `refine#1`, `refine#2`). */
export interface ModuleCall {
  /** "unit1#1" */
  readonly id: string;
  readonly path: string;
  /** 1-based number of this call among the calls of `path`. */
  readonly call: number;
  readonly parent: ModuleCall | null;
}

function parentPath(path: string): string {
  const i = path.lastIndexOf(".");
  return i < 0 ? "" : path.slice(0, i);
}

/** "a.b.c" → ["a", "a.b", "a.b.c"]; "" → []. */
function prefixes(path: string): string[] {
  if (path === "") return [];
  const segs = path.split(".");
  return segs.map((_, i) => segs.slice(0, i + 1).join("."));
}

/** The container modules a node runs inside, outermost first (a leaf's parents; an op's calling module and its parents). */
function containerChain(n: GraphNode): string[] {
  // a module built inside forward has no path: it sits in the module whose forward built it, like an op
  if (n.kind === "module" && typeof n.path === "string") return prefixes(parentPath(n.path));
  if (n.kind === "module") return prefixes(n.scope ?? "");
  if (n.kind === "op") return prefixes(n.scope ?? "");
  return [];
}

function memberKey(n: GraphNode): string {
  return n.kind === "module" && typeof n.path === "string" ? `m:${n.path}` : `o:${n.scope ?? ""}:${n.label}@${n.from}`;
}

/**
 * The container calls each graph node runs inside, outermost first. Nodes of one call are contiguous;
 * a container called again starts a new call when its first member comes round again (as the tree's layerTree does).
 */
export function moduleCalls(nodes: readonly GraphNode[]): ModuleCall[][] {
  const open: { call: ModuleCall; firstKey: string }[] = [];
  const counts = new Map<string, number>();
  return nodes.map((n) => {
    const chain = containerChain(n);
    const key = memberKey(n);
    let k = 0;
    while (k < chain.length && k < open.length && open[k].call.path === chain[k] && open[k].firstKey !== key) k++;
    open.length = k;
    for (let i = k; i < chain.length; i++) {
      const path = chain[i];
      const call = (counts.get(path) ?? 0) + 1;
      counts.set(path, call);
      open.push({ call: { id: `${path}#${call}`, path, call, parent: i > 0 ? open[i - 1].call : null }, firstKey: key });
    }
    return open.map((o) => o.call);
  });
}

/** How many calls each container path has (for "#2" only where a path is called more than once). */
export function callCounts(chains: readonly ModuleCall[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chain of chains) for (const c of chain) counts.set(c.path, Math.max(counts.get(c.path) ?? 0, c.call));
  return counts;
}

/** All container paths of the traced forward, with their depth (1 for `unit1`, 2 for `layer1.0`). */
export function groupPaths(model: ModelAnalysis): Map<string, number> {
  const out = new Map<string, number>();
  for (const chain of moduleCalls(model.graph.nodes)) for (const c of chain) out.set(c.path, c.path.split(".").length);
  return out;
}
