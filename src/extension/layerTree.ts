// The layer hierarchy of one model, rebuilt from the report's dotted paths (vscode-free; the tree view and summaries use it).
import type { LayerReport, ShapeJson } from "../python/report";
import type { ModuleObj } from "../python/values";

/** One call of a container module (`head`, `stage1.0`): the leaf calls it made, in order. */
export interface LayerGroup {
  readonly kind: "group";
  /** Dotted path of the container, as named_modules() prints it. */
  readonly path: string;
  /** The last path segment (`0`, `head`). */
  readonly name: string;
  /** 1-based number of this call among its siblings (a container called twice in a row: two sibling groups). */
  call: number;
  /** How many sibling calls of this path there are (filled in once the walk is over). */
  calls: number;
  readonly children: LayerNode[];
  /** Index (into the report's layers) of the first and last leaf call inside. */
  readonly first: number;
  last: number;
}

/** One leaf-module call: a row of the report. */
export interface LayerLeaf {
  readonly kind: "layer";
  /** Null for a module built inside forward (not a submodule): it is named by its type. */
  readonly path: string | null;
  readonly name: string;
  /** Index into the report's layers (and the analysis' entries). */
  readonly index: number;
  call: number;
  calls: number;
}

export type LayerNode = LayerGroup | LayerLeaf;

interface OpenGroup {
  readonly group: LayerGroup;
  /** The key of the first leaf call inside this call: seeing it again means the container was called again. */
  readonly firstLeaf: string;
}

function lastSegment(path: string): string {
  const i = path.lastIndexOf(".");
  return i < 0 ? path : path.slice(i + 1);
}

/** "a.b.c" → ["a", "a.b", "a.b.c"]; "" → []. */
function prefixes(path: string): string[] {
  if (path === "") return [];
  const segs = path.split(".");
  return segs.map((_, i) => segs.slice(0, i + 1).join("."));
}

/** The fields of a report row the tree reads. */
export type TreeRow = Pick<LayerReport, "path"> & { readonly type?: string; readonly line?: number | null };

/**
 * Nests the leaf calls under their containers. Consecutive calls that share a prefix share a group;
 * a container called twice (`self.refine(self.refine(x))`) appears as two groups, its calls in order:
 * a new call starts when the container's first leaf comes round again. A leaf called several times
 * inside one call of its container (a shared `self.relu`) stays in that call.
 * A module built inside forward (path null) is named by its type and sits in the container whose
 * forward built it: `scopes[i]` (the caller's dotted path) when known, else in the groups the next
 * leaf call continues.
 */
export function buildLayerTree(layers: readonly TreeRow[], scopes?: readonly (string | undefined)[]): LayerNode[] {
  const roots: LayerNode[] = [];
  const open: OpenGroup[] = [];
  /** How many open groups a leaf call with these containers continues. */
  const kept = (chain: readonly string[], key: string): number => {
    let keep = 0;
    while (keep < chain.length && keep < open.length && open[keep].group.path === chain[keep] && open[keep].firstLeaf !== key) keep++;
    return keep;
  };
  const chainOf = (l: TreeRow & { path: string }): string[] => prefixes(l.path.includes(".") ? l.path.slice(0, l.path.lastIndexOf(".")) : "");
  layers.forEach((layer, index) => {
    let chain: string[];
    let key: string;
    let name: string;
    if (layer.path !== null) {
      chain = chainOf(layer as TreeRow & { path: string });
      key = layer.path;
      name = lastSegment(layer.path);
    } else {
      const scope = scopes?.[index];
      key = `new:${scope ?? ""}:${layer.type ?? ""}@${layer.line ?? ""}`;
      name = layer.type ?? "";
      if (scope !== undefined) chain = prefixes(scope);
      else {
        const next = layers.slice(index + 1).find((l) => l.path !== null) as (TreeRow & { path: string }) | undefined;
        chain = next ? open.slice(0, kept(chainOf(next), next.path)).map((o) => o.group.path) : [];
      }
    }
    const keep = kept(chain, key);
    open.length = keep;
    for (let level = keep; level < chain.length; level++) {
      const path = chain[level];
      const group: LayerGroup = { kind: "group", path, name: lastSegment(path), call: 1, calls: 1, children: [], first: index, last: index };
      (level === 0 ? roots : open[level - 1].group.children).push(group);
      open.push({ group, firstLeaf: key });
    }
    for (const o of open) o.group.last = index;
    const leaf: LayerLeaf = { kind: "layer", path: layer.path, name, index, call: 1, calls: 1 };
    (open.length === 0 ? roots : open[open.length - 1].group.children).push(leaf);
  });
  numberCalls(roots);
  return roots;
}

/** Sets `call`/`calls` among siblings: `refine` called twice is two sibling groups #1 and #2; a shared `relu` called three times in one block, #1 to #3. */
function numberCalls(nodes: readonly LayerNode[]): void {
  const count = new Map<string, number>();
  // modules built inside forward are counted by type among their siblings (ReLU #1, ReLU #2)
  const keyOf = (n: LayerNode): string => (n.path === null ? `new:${n.name}` : `${n.kind}:${n.path}`);
  for (const n of nodes) {
    const key = keyOf(n);
    n.call = (count.get(key) ?? 0) + 1;
    count.set(key, n.call);
  }
  for (const n of nodes) {
    n.calls = count.get(keyOf(n)) ?? 1;
    if (n.kind === "group") numberCalls(n.children);
  }
}

/** Totals of a group call: its output (the last leaf's), parameters (each submodule once), MACs and FLOPs (every call). */
export interface GroupTotals {
  readonly output: ShapeJson;
  readonly params: number | null;
  readonly macs: number | null;
  readonly flops: number | null;
  readonly error: boolean;
}

export function groupTotals(group: LayerGroup, layers: readonly LayerReport[]): GroupTotals {
  const leaves: LayerReport[] = [];
  const seen = new Set<string>();
  let params: number | null = 0;
  let macs: number | null = 0;
  let flops: number | null = 0;
  let error = false;
  for (let i = group.first; i <= group.last; i++) {
    const l = layers[i];
    if (!l) continue;
    leaves.push(l);
    // a module built inside forward is none of the container's parameters (as parameters() counts)
    if (l.path !== null && !seen.has(l.path)) {
      seen.add(l.path);
      params = params === null || l.params === null ? null : params + l.params;
    }
    macs = macs === null || l.macs === null ? null : macs + l.macs;
    flops = flops === null || l.flops === null ? null : flops + l.flops;
    if (l.error) error = true;
  }
  const last = leaves[leaves.length - 1];
  return { output: last && !last.error ? last.output : null, params, macs, flops, error };
}

/** Every node in display order with its depth (for flat renderings such as the summary table). */
export function flattenLayerTree(roots: readonly LayerNode[]): { node: LayerNode; depth: number; lastSibling: boolean; ancestorsLast: boolean[] }[] {
  const out: { node: LayerNode; depth: number; lastSibling: boolean; ancestorsLast: boolean[] }[] = [];
  const walk = (nodes: readonly LayerNode[], depth: number, ancestorsLast: boolean[]): void => {
    nodes.forEach((node, i) => {
      const lastSibling = i === nodes.length - 1;
      out.push({ node, depth, lastSibling, ancestorsLast });
      if (node.kind === "group") walk(node.children, depth + 1, [...ancestorsLast, lastSibling]);
    });
  };
  walk(roots, 0, []);
  return out;
}

/** The module at a dotted path under the model's root (`stage1.0.downsample`), for a container's type and constructor site. */
export function moduleAtPath(root: ModuleObj | null, path: string): ModuleObj | undefined {
  let m: ModuleObj | null | undefined = root;
  if (path === "") return m ?? undefined;
  for (const seg of path.split(".")) {
    if (!m) return undefined;
    m = m.children.get(seg);
  }
  return m ?? undefined;
}
