// The network picture's view-model (vscode-free): module calls as collapsible groups, element-wise layers folded, FLOPs-share heat.
import { formatCount, formatWithCommas } from "../core/format";
import type { ModelAnalysis } from "../python/analyze";
import { parametersOf } from "../python/modules";
import type { GraphNode } from "../python/trace";
import { constructorText } from "./hoverText";
import { t } from "./l10n";
import { moduleAtPath } from "./layerTree";
import { costBars, totalsOf } from "./networkCosts";
import type { NetCluster, NetEdge, NetNode, NetworkPayload, SourceSpot } from "./networkProtocol";
import { shapeText } from "./summaryFormat";
import { moduleCalls, callCounts, type ModuleCall, groupPaths } from "./networkCalls";
import { keyArgs, insideText, untracedMessage } from "./networkLabels";

export interface NetworkOptions {
  /** Module paths whose calls are drawn as one box each. */
  readonly collapsed: ReadonlySet<string>;
  /** Fold element-wise activations and dropout into the layer that feeds them. */
  readonly fold: boolean;
  /** Count MACs instead of FLOPs. */
  readonly useMacs: boolean;
  /** Identifies the model for the webview (a new key refits the view). */
  readonly key: string;
  readonly file: string;
}

/** The payload plus, per node, cluster and bar id, every source spot it stands for (the first is where a click goes). */
export interface NetworkView {
  readonly payload: NetworkPayload;
  readonly spots: ReadonlyMap<string, readonly SourceSpot[]>;
}

const FOLDABLE_OPS = new Set(
  "relu relu_ relu6 leaky_relu leaky_relu_ elu elu_ selu selu_ celu celu_ gelu silu mish sigmoid sigmoid_ tanh tanh_ hardswish hardsigmoid hardtanh hardtanh_ softplus softsign logsigmoid tanhshrink rrelu rrelu_ hardshrink softshrink prelu dropout dropout1d dropout2d dropout3d alpha_dropout feature_alpha_dropout".split(" "),
);
const FOLDABLE_MODULES = new Set(
  "ReLU ReLU6 LeakyReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Hardswish Hardsigmoid Hardtanh Softplus Softsign LogSigmoid Tanhshrink RReLU Hardshrink Softshrink PReLU Threshold Dropout Dropout1d Dropout2d Dropout3d AlphaDropout FeatureAlphaDropout Identity".split(" "),
);

/** Whether a graph node is an element-wise layer or op that may fold into its producer. */
export function isFoldable(n: GraphNode): boolean {
  if (n.kind === "op") return FOLDABLE_OPS.has(n.label) && n.shapeChanging !== true;
  return n.kind === "module" && FOLDABLE_MODULES.has(n.label);
}

function spotOf(x: { from: number | null; to: number | null; line: number | null }): SourceSpot {
  return { from: x.from, to: x.to, line: x.line };
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** A box while it is being built. */
interface Item {
  id: string;
  kind: NetNode["kind"];
  title: string;
  /** The full dotted path (titles inside frames are relative to the frame). */
  fullTitle: string;
  type: string;
  args: string;
  folded: string[];
  shape: string;
  params: number | null;
  cost: number | null;
  parent: string | null;
  groupPath?: string;
  members: number;
  /** Groups: layer calls and op calls inside. */
  layers: number;
  ops: number;
  spots: SourceSpot[];
  details: string[];
}

/** The picture of a model with the given groups collapsed (and element-wise layers folded when asked). */
export function buildNetwork(model: ModelAnalysis, opts: NetworkOptions): NetworkView {
  const g = model.graph;
  const costName = opts.useMacs ? "MACs" : "FLOPs";
  const costOf = (n: GraphNode): number | null => (opts.useMacs ? n.macs : n.flops);
  const chains = moduleCalls(g.nodes);
  const counts = callCounts(chains);
  // inside a frame, names are relative to it (`conv2` in the frame of `features.block1.layer1`)
  const relative = (path: string, within: ModuleCall | null): string => (within && path.startsWith(`${within.path}.`) ? path.slice(within.path.length + 1) : path);
  const callLabel = (c: ModuleCall): string => {
    const name = relative(c.path, c.parent);
    return (counts.get(c.path) ?? 1) > 1 ? `${name} #${c.call}` : name;
  };
  const moduleOf = (path: string) => moduleAtPath(model.root, path);

  const items = new Map<string, Item>();
  const order: string[] = [];
  const visibleOf: string[] = [];
  const clusters = new Map<string, NetCluster>();
  const clusterSpots = new Map<string, SourceSpot[]>();
  const clusterOf = (c: ModuleCall | null): string | null => {
    if (!c) return null;
    const id = `c:${c.id}`;
    if (!clusters.has(id)) {
      const m = moduleOf(c.path);
      const type = m?.cls.name ?? "";
      const spot: SourceSpot = { from: m?.from ?? null, to: m?.to ?? null, line: m?.line ?? null };
      clusters.set(id, { id, path: c.path, type, label: type ? `${callLabel(c)} · ${type}` : callLabel(c), parent: clusterOf(c.parent), source: spot, tooltip: "" });
      clusterSpots.set(id, [spot]);
    }
    return id;
  };

  g.nodes.forEach((n, i) => {
    const chain = chains[i];
    const hidden = chain.find((c) => opts.collapsed.has(c.path));
    const entry = n.entry !== undefined ? model.entries[n.entry] : undefined;
    const params = n.kind === "module" ? (n.entry !== undefined ? (model.report.layers[n.entry]?.params ?? null) : null) : 0;
    if (hidden) {
      const id = `g:${hidden.id}`;
      let item = items.get(id);
      if (!item) {
        const m = moduleOf(hidden.path);
        const ps = m ? parametersOf(m) : [];
        const spot: SourceSpot = { from: m?.from ?? null, to: m?.to ?? null, line: m?.line ?? null };
        item = {
          id,
          kind: "group",
          title: callLabel(hidden),
          fullTitle: (counts.get(hidden.path) ?? 1) > 1 ? `${hidden.path} #${hidden.call}` : hidden.path,
          type: m?.cls.name ?? "",
          args: "",
          folded: [],
          shape: "",
          params: ps.some((p) => p.numel === null) ? null : ps.reduce((s, p) => s + (p.numel ?? 0), 0),
          cost: 0,
          parent: clusterOf(hidden.parent),
          groupPath: hidden.path,
          members: 0,
          layers: 0,
          ops: 0,
          spots: [spot],
          details: [],
        };
        items.set(id, item);
        order.push(id);
      }
      item.members++;
      if (n.kind === "module") item.layers++;
      else item.ops++;
      item.cost = sumOrNull(item.cost, costOf(n));
      item.shape = shapeText(n.output as never);
      item.spots.push(spotOf(n));
      visibleOf.push(id);
      return;
    }
    const id = `n${n.id}`;
    const type = n.kind === "module" ? n.label : "";
    const inputs = g.nodes.filter((x) => x.kind === "input").length;
    const title = n.kind === "module" ? relative(n.path ?? n.label, chain[chain.length - 1] ?? null) : n.kind === "input" && inputs === 1 ? "input" : n.label;
    items.set(id, {
      id,
      kind: n.kind,
      title,
      fullTitle: n.kind === "module" ? (n.path ?? t("built inside forward, not a submodule")) : title,
      type,
      args: n.kind === "module" ? keyArgs(n.label, entry?.module.args) : "",
      folded: [],
      shape: shapeText(n.output as never),
      params,
      cost: n.kind === "input" || n.kind === "output" ? 0 : costOf(n),
      parent: clusterOf(chain[chain.length - 1] ?? null),
      members: 1,
      layers: 0,
      ops: 0,
      spots: [spotOf(n)],
      details: n.kind === "module" ? [constructorText(n.label, entry?.module.args)] : [],
    });
    order.push(id);
    visibleOf.push(id);
  });

  // edges between visible boxes (inside a collapsed call they vanish; parallel edges become one)
  let edges: { from: string; to: string; shape: string }[] = [];
  const seen = new Set<string>();
  for (const e of g.edges) {
    const from = visibleOf[e.from];
    const to = visibleOf[e.to];
    if (!from || !to || from === to || seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    edges.push({ from, to, shape: shapeText(e.shape as never) });
  }

  if (opts.fold) edges = foldElementwise(g.nodes, items, order, edges);

  const visible = order.filter((id) => items.has(id));
  const total = opts.useMacs ? model.report.macs : model.report.flops;
  const known = visible.reduce((s, id) => s + (items.get(id)!.cost ?? 0), 0);
  const denominator = total ?? known;
  const share = (c: number | null): number => (c !== null && denominator > 0 ? c / denominator : 0);
  const maxShare = Math.max(0, ...visible.map((id) => share(items.get(id)!.cost)));

  const nodes: NetNode[] = visible.map((id) => {
    const it = items.get(id)!;
    const s = share(it.cost);
    const io = it.kind === "input" || it.kind === "output";
    const figures = io ? "" : [it.params ? t("{0} params", formatCount(it.params)) : it.params === null ? t("{0} params", "?") : "", it.cost === null ? `? ${costName}` : it.cost > 0 ? `${formatCount(it.cost)} ${costName}` : ""].filter(Boolean).join(" · ");
    const args = it.kind === "group" ? insideText(it.layers, it.ops) : it.args;
    const tooltip = [
      it.type ? `${it.fullTitle} · ${it.type}` : it.fullTitle,
      ...it.details,
      ...(it.folded.length > 0 ? [t("then {0} (folded)", it.folded.join(", "))] : []),
      t("output {0}", it.shape),
      ...(io ? [] : [t("params {0}", it.params === null ? t("unknown") : formatWithCommas(it.params)), `${costName} ${it.cost === null ? t("unknown") : t("{0} ({1}% of the model)", formatWithCommas(it.cost), (100 * s).toFixed(1))}`]),
      ...(it.spots[0].line !== null ? [t("line {0}", it.spots[0].line)] : []),
    ].join("\n");
    return {
      id,
      kind: it.kind,
      title: it.title,
      type: it.type,
      args,
      folded: it.folded,
      shape: it.shape,
      params: it.params,
      cost: it.cost,
      figures,
      share: s,
      heat: maxShare > 0 ? s / maxShare : 0,
      parent: it.parent,
      ...(it.groupPath !== undefined ? { groupPath: it.groupPath, members: it.members } : {}),
      source: it.spots[0],
      tooltip,
    };
  });

  // only the frames that still hold something, with their tooltips
  const used = new Set<string>();
  const mark = (c: string | null): void => {
    for (let id = c; id && !used.has(id); id = clusters.get(id)!.parent) used.add(id);
  };
  for (const n of nodes) mark(n.parent);
  const frameList = [...clusters.values()]
    .filter((c) => used.has(c.id))
    .map((c) => ({ ...c, tooltip: [c.label, t("click the title to collapse it into one box"), ...(c.source.line !== null ? [t("line {0}", c.source.line)] : [])].join("\n") }));

  const netEdges: NetEdge[] = edges.map((e) => ({ ...e, labelled: e.shape !== items.get(e.from)!.shape }));
  const { bars, spots: barSpots } = costBars(model, opts.useMacs);
  const spots = new Map<string, SourceSpot[]>();
  for (const id of visible) spots.set(id, items.get(id)!.spots);
  for (const c of frameList) spots.set(c.id, clusterSpots.get(c.id)!);
  for (const [id, s] of barSpots) spots.set(id, s);
  const untraced = g.nodes.length === 0;
  return {
    payload: {
      key: opts.key,
      model: model.report.name,
      file: opts.file,
      nodes,
      clusters: frameList,
      edges: netEdges,
      bars,
      totals: totalsOf(model, opts.useMacs),
      folded: opts.fold,
      message: untraced ? untracedMessage(model) : null,
    },
    spots,
  };
}

/** Folds element-wise boxes into the box feeding them, when that box feeds nothing else and sits in the same frame. */
function foldElementwise(nodes: readonly GraphNode[], items: Map<string, Item>, order: readonly string[], edges: { from: string; to: string; shape: string }[]): { from: string; to: string; shape: string }[] {
  for (const id of order) {
    const it = items.get(id);
    if (!it || it.kind === "group" || !id.startsWith("n")) continue;
    const n = nodes[Number(id.slice(1))];
    if (!isFoldable(n)) continue;
    const ins = edges.filter((e) => e.to === id);
    if (ins.length !== 1) continue;
    const host = items.get(ins[0].from);
    if (!host || (host.kind !== "module" && host.kind !== "op") || host.parent !== it.parent) continue;
    if (edges.some((e) => e.from === host.id && e.to !== id)) continue;
    if (ins[0].shape !== it.shape) continue;
    host.folded.push(it.type || it.title, ...it.folded);
    host.params = sumOrNull(host.params, it.params);
    host.cost = sumOrNull(host.cost, it.cost);
    host.members += it.members;
    host.spots.push(...it.spots);
    host.details.push(...it.details);
    edges = edges.filter((e) => e.to !== id).map((e) => (e.from === id ? { ...e, from: host.id } : e));
    items.delete(id);
  }
  return edges;
}

/**
 * What starts collapsed: the deepest container levels, until at most `limit` boxes remain
 * (small models open fully; a ResNet-50 shows its stages' blocks).
 */
export function defaultCollapsed(model: ModelAnalysis, opts: Pick<NetworkOptions, "fold" | "useMacs">, limit = 60): Set<string> {
  const paths = groupPaths(model);
  const maxDepth = Math.max(0, ...paths.values());
  for (let depth = maxDepth; depth >= 1; depth--) {
    const collapsed = new Set([...paths].filter(([, d]) => d > depth).map(([p]) => p));
    const view = buildNetwork(model, { ...opts, collapsed, key: "", file: "" });
    if (view.payload.nodes.length <= limit) return collapsed;
  }
  return new Set([...paths].filter(([, d]) => d >= 1).map(([p]) => p));
}

/** Ids of the boxes and frames whose source contains the offset (the cursor), innermost frames last. */
export function idsAt(view: NetworkView, offset: number): string[] {
  const out: string[] = [];
  for (const [id, spots] of view.spots) {
    if (id.startsWith("b:")) continue;
    if (spots.some((s) => s.from !== null && s.to !== null && s.from <= offset && offset <= s.to)) out.push(id);
  }
  return out;
}
