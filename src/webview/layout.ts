// Lays out the network picture top to bottom with dagre: box sizes from their measured labels, frames for expanded module calls.
import dagre from "@dagrejs/dagre";
import type { NetNode, NetworkPayload } from "../extension/networkProtocol";
import { fit, measure, type Font, type Fonts } from "./fonts";

/** A run of text on a line of a box, drawn with its own font and CSS class. */
export interface Segment {
  readonly text: string;
  readonly font: Font;
  readonly cls: string;
}

export interface Line {
  readonly segments: readonly Segment[];
  readonly height: number;
}

export interface Box {
  readonly node: NetNode;
  /** Centre, as dagre gives it. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly lines: readonly Line[];
}

export interface Frame {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Wire {
  readonly from: string;
  readonly to: string;
  readonly points: readonly { x: number; y: number }[];
  readonly label: { x: number; y: number; width: number; height: number; text: string } | null;
  readonly shape: string;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly boxes: ReadonlyMap<string, Box>;
  readonly frames: ReadonlyMap<string, Frame>;
  readonly wires: readonly Wire[];
}

export const PAD_X = 10;
export const PAD_Y = 7;
/** Room on the right of a collapsed group's first line for its "+" toggle. */
export const TOGGLE = 18;
/** Height of the FLOPs-share bar at the bottom of a box. */
export const SHARE_BAR = 4;
const MAX_WIDTH = 300;
const SEGMENT_GAP = 6;

function lineHeight(f: Font): number {
  return Math.round(f.size * 1.35);
}

function line(segments: Segment[]): Line {
  return { segments, height: Math.max(...segments.map((s) => lineHeight(s.font))) };
}

function lineWidth(l: Line): number {
  return l.segments.reduce((w, s, i) => w + measure(s.text, s.font) + (i > 0 ? SEGMENT_GAP : 0), 0);
}

/** The lines a box shows: name and type; key arguments (and folded layers); output shape; params and FLOPs. */
export function boxLines(n: NetNode, fonts: Fonts): Line[] {
  const inner = MAX_WIDTH - 2 * PAD_X;
  const lines: Line[] = [];
  const first: Segment[] = [{ text: n.title, font: fonts.title, cls: "title" }];
  if (n.type) first.push({ text: n.type, font: fonts.body, cls: "type" });
  lines.push(line(first));
  const extra = [n.args, ...n.folded.map((f) => `+ ${f}`)].filter(Boolean).join("  ");
  if (extra) lines.push(line([{ text: fit(extra, fonts.mono, inner), font: fonts.mono, cls: "args" }]));
  if (n.shape) lines.push(line([{ text: fit(n.shape, fonts.mono, inner), font: fonts.mono, cls: "shape" }]));
  if (n.figures) lines.push(line([{ text: fit(n.figures, fonts.small, inner), font: fonts.small, cls: "figures" }]));
  // the first line is cut last: the title matters most
  const w = lineWidth(lines[0]);
  const room = inner - (n.kind === "group" ? TOGGLE : 0);
  if (w > room && first.length > 1) {
    const titleW = measure(n.title, fonts.title);
    const typeRoom = room - titleW - SEGMENT_GAP;
    lines[0] = line(typeRoom > 30 ? [first[0], { ...first[1], text: fit(first[1].text, fonts.body, typeRoom) }] : [{ ...first[0], text: fit(n.title, fonts.title, room) }]);
  } else if (w > room) {
    lines[0] = line([{ ...first[0], text: fit(n.title, fonts.title, room) }]);
  }
  return lines;
}

function boxSize(n: NetNode, lines: readonly Line[]): { width: number; height: number } {
  const min = n.kind === "op" || n.kind === "input" || n.kind === "output" ? 70 : 110;
  const widest = Math.max(...lines.map((l, i) => lineWidth(l) + (i === 0 && n.kind === "group" ? TOGGLE : 0)));
  const height = lines.reduce((h, l) => h + l.height, 0) + 2 * PAD_Y + (n.kind === "module" || n.kind === "group" ? SHARE_BAR : 0);
  return { width: Math.ceil(Math.max(min, widest + 2 * PAD_X)), height: Math.ceil(height) };
}

export function layout(p: NetworkPayload, fonts: Fonts): Layout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  // with frames, ranksep leaves room inside each frame's top edge for its title
  g.setGraph({ rankdir: "TB", nodesep: 22, ranksep: p.clusters.length > 0 ? 44 : 30, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = new Map<string, Line[]>();
  for (const n of p.nodes) {
    const l = boxLines(n, fonts);
    lines.set(n.id, l);
    g.setNode(n.id, { ...boxSize(n, l) });
  }
  for (const c of p.clusters) g.setNode(c.id, { width: 0, height: 0 });
  for (const c of p.clusters) if (c.parent) g.setParent(c.id, c.parent);
  for (const n of p.nodes) if (n.parent) g.setParent(n.id, n.parent);
  for (const e of p.edges) {
    const label = e.labelled ? { width: Math.ceil(measure(e.shape, fonts.mono)) + 8, height: lineHeight(fonts.mono) + 2, labelpos: "c" as const } : {};
    g.setEdge(e.from, e.to, label);
  }
  dagre.layout(g);

  const boxes = new Map<string, Box>();
  for (const n of p.nodes) {
    const v = g.node(n.id);
    boxes.set(n.id, { node: n, x: v.x ?? 0, y: v.y ?? 0, width: v.width, height: v.height, lines: lines.get(n.id)! });
  }
  const frames = new Map<string, Frame>();
  for (const c of p.clusters) {
    const v = g.node(c.id);
    if (v && typeof v.x === "number" && typeof v.y === "number") frames.set(c.id, { id: c.id, x: v.x - v.width / 2, y: v.y - v.height / 2, width: v.width, height: v.height });
  }
  const wires: Wire[] = p.edges.map((e) => {
    const v = g.edge(e.from, e.to) ?? {};
    const points = (v.points as { x: number; y: number }[] | undefined) ?? [];
    const label = e.labelled && typeof v.x === "number" && typeof v.y === "number" ? { x: v.x, y: v.y, width: Number(v.width ?? 0), height: Number(v.height ?? 0), text: e.shape } : null;
    return { from: e.from, to: e.to, points, label, shape: e.shape };
  });
  const graph = g.graph();
  return { width: graph.width ?? 0, height: graph.height ?? 0, boxes, frames, wires };
}
