// The network picture's messages between the extension and its webview, and the payload it draws (plain data, no vscode, no DOM).

/** Where a node's source is: document offsets of the constructor or op call, and its 1-based line. */
export interface SourceSpot {
  readonly from: number | null;
  readonly to: number | null;
  readonly line: number | null;
}

/** A box of the picture: a model input/output, a leaf-module call, an op, or a collapsed module call. */
export interface NetNode {
  /** "n12" for graph node 12, "g:unit1#1" for a collapsed call of unit1. */
  readonly id: string;
  readonly kind: "input" | "module" | "op" | "output" | "group";
  /** Dotted module path (modules, groups), op name, "input 0" or "output". */
  readonly title: string;
  /** Module class (Conv2d, ResidualUnit) or "" for ops and inputs. */
  readonly type: string;
  /** Key constructor arguments as PyTorch prints them ("3, 20, kernel_size=5"); "" if none. */
  readonly args: string;
  /** Element-wise layers folded into this one, in flow order ("ReLU", "dropout"). */
  readonly folded: readonly string[];
  /** Output shape, e.g. "(1, 20, 28, 28)". */
  readonly shape: string;
  readonly params: number | null;
  /** FLOPs, or MACs when the user chose MACs. */
  readonly cost: number | null;
  /** "1.52K params · 2.35M FLOPs" ("" for inputs and outputs). */
  readonly figures: string;
  /** Share of the model's total cost, 0..1 (0 when unknown). */
  readonly share: number;
  /** Colour intensity: the share relative to the largest share in the picture, 0..1. */
  readonly heat: number;
  /** The expanded module call drawn around this node ("c:head#1"), or null at the top level. */
  readonly parent: string | null;
  /** Groups: the module path that the +/− toggle collapses or expands. */
  readonly groupPath?: string;
  /** Groups: how many layer and op calls are inside. */
  readonly members?: number;
  readonly source: SourceSpot;
  /** Full numbers and details for the tooltip. */
  readonly tooltip: string;
}

/** An expanded module call drawn as a frame around its nodes. */
export interface NetCluster {
  /** "c:unit1#1" */
  readonly id: string;
  readonly path: string;
  readonly type: string;
  /** "unit1 · ResidualUnit" (with "#2" for a second call). */
  readonly label: string;
  readonly parent: string | null;
  readonly source: SourceSpot;
  readonly tooltip: string;
}

export interface NetEdge {
  readonly from: string;
  readonly to: string;
  /** The tensor's shape along the edge. */
  readonly shape: string;
  /** Whether to print the shape on the edge (it differs from what the source box shows). */
  readonly labelled: boolean;
}

/** One bar of the "heaviest layers" charts. */
export interface CostBar {
  /** "b:cost:0", "b:params:3": what the click reveals. */
  readonly id: string;
  readonly label: string;
  readonly value: number;
  /** "2.35M (18.8%)" */
  readonly text: string;
  /** Share of the total, 0..1. */
  readonly share: number;
  /** Where the layer is (absent for "rest"). */
  readonly source?: SourceSpot;
  readonly rest?: true;
}

export interface NetTotals {
  readonly input: string;
  readonly output: string;
  readonly params: string;
  readonly trainable: string;
  /** "50.3M FLOPs" or "25M MACs". */
  readonly cost: string;
  /** "FLOPs" or "MACs". */
  readonly costName: string;
  readonly layerCalls: number;
  /** Why some numbers are missing (untraced model, ops without a FLOPs rule). */
  readonly notes: readonly string[];
}

export interface NetworkPayload {
  /** Identifies the model (document + name): a new key means a new picture, so the view refits. */
  readonly key: string;
  readonly model: string;
  readonly file: string;
  readonly nodes: readonly NetNode[];
  readonly clusters: readonly NetCluster[];
  readonly edges: readonly NetEdge[];
  readonly bars: { readonly cost: readonly CostBar[]; readonly params: readonly CostBar[] };
  readonly totals: NetTotals;
  /** Whether element-wise layers are folded into their producers. */
  readonly folded: boolean;
  /** Shown instead of a picture when the model was not traced. */
  readonly message: string | null;
}

/** The model a panel shows, kept in the webview's state so that the panel comes back after a reload. */
export interface SavedTarget {
  /** The document that defines the model, and its file (a notebook for a cell). */
  readonly uri: string;
  readonly source: string;
  readonly model: string;
  readonly line: number;
}

/** Extension → webview. */
export type ToWebview =
  | { readonly type: "graph"; readonly payload: NetworkPayload; readonly target?: SavedTarget }
  /** Nodes and clusters at the editor's cursor. */
  | { readonly type: "highlight"; readonly ids: readonly string[] }
  /** Produce the picture as SVG or PNG and send it back with "exported". */
  | { readonly type: "export"; readonly format: ExportFormat };

export type ExportFormat = "svg" | "png";

/** Webview → extension. */
export type FromWebview =
  | { readonly type: "ready" }
  /** A node, cluster or bar was clicked: show its source. */
  | { readonly type: "reveal"; readonly id: string }
  /** Collapse or expand every call of a module path. */
  | { readonly type: "toggle"; readonly path: string }
  | { readonly type: "expandAll" }
  | { readonly type: "collapseAll" }
  | { readonly type: "fold"; readonly value: boolean }
  /** Asks the extension to save the picture: the webview answers "export" with "exported". */
  | { readonly type: "requestExport"; readonly format: ExportFormat }
  /** The picture: SVG markup, or a PNG as base64. */
  | { readonly type: "exported"; readonly format: ExportFormat; readonly data: string }
  | { readonly type: "log"; readonly message: string };
