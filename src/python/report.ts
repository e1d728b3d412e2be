// The JSON report (spec/report-json.md): models with their layer rows, and diagnostics.

export type ShapeJson = (number | string | null)[] | ShapeJson[] | null;

export interface LayerReport {
  /** Dotted path as named_modules() prints it; null for a module the model does not hold (built inside forward). */
  path: string | null;
  type: string;
  line: number | null;
  output: ShapeJson;
  params: number | null;
  macs: number | null;
  flops: number | null;
  rf: number | number[] | "global" | null;
  jump: number | number[] | null;
  error?: true;
}

export interface ModelReport {
  name: string;
  line: number;
  input: (number | string | null)[][] | null;
  output: ShapeJson;
  params: number | null;
  trainableParams: number | null;
  macs: number | null;
  flops: number | null;
  layers: LayerReport[];
  error?: string;
  truncated?: true;
  unknownFlops?: string[];
  /** Why params/trainableParams are unknown (an attribute holding a module that is not understood, ...). */
  unknownParams?: string[];
}

export interface Diagnostic {
  line: number | null;
  column: number | null;
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  /** Where a single argument edit fixes it (for the editor's quick fix). */
  fix?: { readonly arg: string; readonly value: string };
}

export interface Report {
  version: 1;
  models: ModelReport[];
  diagnostics: Diagnostic[];
}

/** A layer row's name: its dotted path, or its type for a module built inside forward (no path). */
export function layerName(l: Pick<LayerReport, "path" | "type">): string {
  return l.path ?? l.type;
}
