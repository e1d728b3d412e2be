// Layer constructor sites of a document (vscode-free): every call traced at a site, grouped for hints and hovers.
import type { Analysis, ModelAnalysis } from "../python/analyze";
import { layerName } from "../python/report";
import type { Entry } from "../python/trace";
import type { ClassObj, ModuleObj } from "../python/values";
import type { LayerFigures } from "./hintText";
import { modelStatementRanges } from "./modelAt";
import { callAt } from "./pySyntax";

/** One thing shown at a site: a traced call of a leaf layer, a module forward never reached, or a built-in composite. */
export interface SiteCall {
  readonly model: ModelAnalysis;
  readonly module: ModuleObj;
  /** The traced call, with its report row (null: not traced). */
  readonly entry: Entry | null;
  /** Dotted path in the model (`head.0`), as named_modules() prints it; the type for a module built inside forward. */
  readonly path: string;
  readonly row: number;
  readonly figures: LayerFigures;
}

/** A constructor call in the document (document offsets of the call expression) and what it produced. */
export interface Site {
  readonly from: number;
  readonly to: number;
  readonly calls: readonly SiteCall[];
}

interface Spanned {
  readonly from: number | null;
  readonly to: number | null;
}

/** Group items by their [from, to) span; items without a span are dropped. Sites come in document order. */
export function groupBySite<T>(items: readonly T[], span: (t: T) => Spanned): { from: number; to: number; items: T[] }[] {
  const groups = new Map<number, { from: number; to: number; items: T[] }>();
  for (const it of items) {
    const { from, to } = span(it);
    if (from === null || to === null) continue;
    const key = spanKey(from, to);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { from, to, items: [] }));
    g.items.push(it);
  }
  return [...groups.values()].sort((a, b) => a.from - b.from || b.to - a.to);
}

/** The innermost span containing `offset` (ends included, so a hover just after `)` still counts). */
export function innermostAt<T extends { from: number; to: number }>(spans: readonly T[], offset: number): T | undefined {
  let best: T | undefined;
  for (const s of spans) {
    if (s.from <= offset && offset <= s.to && (!best || s.to - s.from < best.to - best.from)) best = s;
  }
  return best;
}

/** Whether a class is a built-in leaf layer or derives from one (then its instance is one layer). */
function isLayerClass(cls: ClassObj, seen = new Set<ClassObj>()): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  if (cls.kind === "layer") return true;
  if (cls.kind !== "user" && cls.kind !== "object") return false;
  return cls.bases.some((b) => isLayerClass(b, seen));
}

/** Parameter count of a module and its descendants, shared parameters once; null when one is unknown. */
export function paramCount(m: ModuleObj): number | null {
  const seenParams = new Set<unknown>();
  const seenModules = new Set<ModuleObj>();
  let total = 0;
  let known = true;
  const walk = (x: ModuleObj): void => {
    if (seenModules.has(x)) return;
    seenModules.add(x);
    for (const p of x.params.values()) {
      if (seenParams.has(p)) continue;
      seenParams.add(p);
      if (p.numel === null) known = false;
      else total += p.numel;
    }
    for (const c of x.children.values()) if (c) walk(c);
  };
  walk(m);
  return known ? total : null;
}

/** Every module under root with the outermost module built at the same site (its "owner"). */
function ownersOf(root: ModuleObj): Map<ModuleObj, ModuleObj> {
  const owners = new Map<ModuleObj, ModuleObj>();
  const walk = (m: ModuleObj, parent: ModuleObj | null): void => {
    if (owners.has(m)) return;
    const parentOwner = parent && parent !== root ? owners.get(parent) : undefined;
    const sameSite = parentOwner && m.from !== null && m.from === parentOwner.from && m.to === parentOwner.to;
    owners.set(m, sameSite ? parentOwner : m);
    for (const c of m.children.values()) if (c) walk(c, m);
  };
  walk(root, null);
  return owners;
}

function rowFigures(m: ModelAnalysis, i: number): LayerFigures {
  const r = m.report.layers[i];
  const module = m.entries[i]?.module.id;
  if (!r) return { output: null, params: null, macs: null, flops: null, rf: null, jump: null, traced: true, module };
  return { output: r.output, params: r.params, macs: r.macs, flops: r.flops, rf: r.rf, jump: r.jump, error: r.error === true, traced: true, module };
}

function staticFigures(m: ModuleObj, model: ModelAnalysis): LayerFigures {
  const r = model.report;
  const unused = r.input !== null && !r.truncated && !r.error && model.entries.length > 0;
  return { output: undefined, params: paramCount(m), macs: null, flops: null, rf: null, jump: null, traced: false, unused, module: m.id };
}

/** Sum the traced calls inside one built-in composite (TransformerEncoderLayer) into one figure. */
function compositeFigures(owner: ModuleObj, calls: readonly SiteCall[]): LayerFigures {
  const traced = calls.filter((c) => c.entry);
  const sum = (k: "macs" | "flops"): number | null =>
    traced.some((c) => c.figures[k] === null) ? null : traced.reduce((s, c) => s + (c.figures[k] ?? 0), 0);
  return {
    output: undefined,
    params: paramCount(owner),
    macs: traced.length ? sum("macs") : null,
    flops: traced.length ? sum("flops") : null,
    rf: null,
    jump: null,
    error: calls.some((c) => c.figures.error),
    traced: traced.length > 0,
    module: owner.id,
    composite: { type: owner.cls.name, layers: new Set(calls.map((c) => c.module)).size },
  };
}

/** What one model contributes to the sites, kept per model analysis (an editor session reuses unchanged models' analyses). */
interface ModelParts {
  /** Its traced leaf calls, in call order. */
  readonly traced: readonly SiteCall[];
  /** Its modules with their owners (see ownersOf). */
  readonly owners: ReadonlyMap<ModuleObj, ModuleObj>;
  /** Its leaf modules in named_modules order (the walk goes into each module once), with their paths. */
  readonly leaves: readonly (readonly [ModuleObj, string])[];
}

const partsMemo = new WeakMap<ModelAnalysis, ModelParts>();

function partsOf(model: ModelAnalysis): ModelParts {
  let parts = partsMemo.get(model);
  if (parts) return parts;
  const traced = model.entries.map((entry, row) => ({ model, module: entry.module, entry, row, path: layerName(entry), figures: rowFigures(model, row) }));
  const leaves: [ModuleObj, string][] = [];
  if (model.root) {
    const seen = new Set<ModuleObj>();
    const walk = (m: ModuleObj, path: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      const leaf = m !== model.root && (m.children.size === 0 || isLayerClass(m.cls));
      if (leaf) {
        leaves.push([m, path]);
        if (m.children.size === 0) return;
      }
      for (const [name, c] of m.children) if (c) walk(c, path ? `${path}.${name}` : name);
    };
    walk(model.root, "");
  }
  parts = { traced, owners: model.root ? ownersOf(model.root) : new Map(), leaves };
  partsMemo.set(model, parts);
  return parts;
}

/** A number naming a [from, to) span (documents up to 64M characters; positions are read now: they follow edits). */
function spanKey(from: number, to: number): number {
  return from * 67_108_864 + to;
}

/**
 * Every constructor site of the document's models with what each produced: the traced calls of the
 * leaf layers built there (in call order, across models), else — for modules forward never
 * reached — their parameters. Layers inside a built-in composite (all built at the composite's
 * own call) are summed into one figure for the composite.
 */
export function collectSites(analysis: Analysis): Site[] {
  const calls: SiteCall[] = [];
  const tracedSites = new Set<number>();
  const ownerOf = new Map<ModuleObj, ModuleObj>();
  const parts = analysis.models.map(partsOf);
  for (const p of parts) for (const [m, o] of p.owners) if (!ownerOf.has(m)) ownerOf.set(m, o);
  for (const p of parts) {
    for (const c of p.traced) {
      calls.push(c);
      const { from, to } = c.module;
      if (from !== null && to !== null) tracedSites.add(spanKey(from, to));
    }
  }
  // a module reached by an earlier model's walk was seen there with all its subtree (one call per module)
  const seen = new Set<ModuleObj>();
  analysis.models.forEach((model, i) => {
    for (const [m, path] of parts[i].leaves) {
      if (seen.has(m)) continue;
      seen.add(m);
      const { from, to } = m;
      if (from === null || to === null || !tracedSites.has(spanKey(from, to))) calls.push({ model, module: m, entry: null, row: -1, path, figures: staticFigures(m, model) });
    }
  });
  return groupBySite(calls, (c) => c.module).map((g) => ({ from: g.from, to: g.to, calls: mergeComposites(g.items, ownerOf) }));
}

/** Replace the calls of a composite's sublayers with one call per composite instance. */
function mergeComposites(calls: readonly SiteCall[], ownerOf: Map<ModuleObj, ModuleObj>): SiteCall[] {
  const out: SiteCall[] = [];
  const byOwner = new Map<ModuleObj, SiteCall[]>();
  for (const c of calls) {
    const owner = ownerOf.get(c.module) ?? c.module;
    if (owner === c.module) {
      out.push(c);
      continue;
    }
    let group = byOwner.get(owner);
    if (!group) {
      byOwner.set(owner, (group = []));
      const path = c.path.split(".").slice(0, -1).join(".") || owner.cls.name; // the composite's own path
      out.push({ ...c, module: owner, entry: null, row: -1, path, figures: c.figures }); // figures replaced below
    }
    group.push(c);
  }
  return out.map((c) => {
    const group = byOwner.get(c.module);
    if (!group || c.entry) return c;
    return { ...c, figures: compositeFigures(c.module, group) };
  });
}

/** The sublayer calls of a composite site call, for the hover (empty for plain layers). */
export function compositeParts(site: Site, analysis: Analysis, owner: ModuleObj): SiteCall[] {
  const parts: SiteCall[] = [];
  for (const model of analysis.models) {
    model.entries.forEach((entry, row) => {
      if (entry.module !== owner && entry.module.from === site.from && entry.module.to === site.to && isInside(owner, entry.module)) {
        parts.push({ model, module: entry.module, entry, row, path: layerName(entry), figures: rowFigures(model, row) });
      }
    });
  }
  return parts;
}

function isInside(root: ModuleObj, m: ModuleObj): boolean {
  const stack = [root];
  const seen = new Set<ModuleObj>();
  while (stack.length) {
    const x = stack.pop()!;
    if (x === m) return true;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const c of x.children.values()) if (c) stack.push(c);
  }
  return false;
}

const siteMemo = new WeakMap<Analysis, Site[]>();

/** collectSites, once per analysis (one analysis per document version). */
export function sitesOf(analysis: Analysis): Site[] {
  let sites = siteMemo.get(analysis);
  if (!sites) siteMemo.set(analysis, (sites = collectSites(analysis)));
  return sites;
}

const rangesMemo = new WeakMap<Analysis, { from: number; to: number }[]>();

/** The model whose definition (class with its body, or the assignment) contains the offset; ranges once per analysis. */
export function modelAtOffset(analysis: Analysis, text: string, offset: number): ModelAnalysis | undefined {
  let ranges = rangesMemo.get(analysis);
  if (!ranges) rangesMemo.set(analysis, (ranges = modelStatementRanges(text, analysis.models)));
  let best = -1;
  ranges.forEach((r, i) => {
    if (r.from <= offset && offset <= r.to && (best < 0 || r.to - r.from < ranges![best].to - ranges![best].from)) best = i;
  });
  return best < 0 ? undefined : analysis.models[best];
}

/** The site where `module` was built (a composite's site for its sublayers). */
export function siteOfModule(analysis: Analysis, module: ModuleObj): Site | undefined {
  return sitesOf(analysis).find((s) => s.calls.some((c) => c.module === module));
}

/** A functional op in forward that changes a tensor's shape (`x.view(...)`, `F.max_pool2d(...)`), with each of its calls. */
export interface OpSite {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly calls: readonly LayerFigures[];
}

const opMemo = new WeakMap<Analysis, OpSite[]>();

/**
 * The shape-changing functional ops of every traced forward, grouped by call site. Only ops whose
 * recorded site is a call of that very op are kept (an operator such as `+` has no call of its own,
 * and its recorded site is an enclosing call: never annotate the wrong place).
 */
export function opSitesOf(analysis: Analysis, text: string): OpSite[] {
  let sites = opMemo.get(analysis);
  if (sites) return sites;
  const items: { from: number; to: number; label: string; figures: LayerFigures }[] = [];
  for (const model of analysis.models) {
    for (const n of model.graph.nodes) {
      if (n.kind !== "op" || !n.shapeChanging || n.from === null || n.to === null) continue;
      const call = callAt(text, n.from);
      if (!call || call.to !== n.to || call.name !== n.label) continue;
      const output = n.output as LayerFigures["output"];
      items.push({ from: n.from, to: n.to, label: n.label, figures: { output, params: 0, macs: n.macs, flops: n.flops, rf: null, jump: null, traced: true } });
    }
  }
  sites = groupBySite(items, (i) => i).map((g) => ({ from: g.from, to: g.to, label: g.items[0].label, calls: g.items.map((i) => i.figures) }));
  opMemo.set(analysis, sites);
  return sites;
}
