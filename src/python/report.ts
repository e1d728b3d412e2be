// The JSON report (spec/report-json.md): models with their layer rows, and diagnostics.

export type ShapeJson = (number | string | null)[] | ShapeJson[] | null;

export interface LayerReport {
  path: string;
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
