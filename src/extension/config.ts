// The extension's settings, mirrored by one typed, readonly interface (re-read on every use; cheap).
import * as vscode from "vscode";

export type Metric = "shape" | "params" | "flops" | "rf";

export interface ShapeLensConfig {
  /** Show inlay hints at layer constructions and model lines. */
  readonly inlayHintsEnabled: boolean;
  /** Which figures the hints show, in order. */
  readonly hintMetrics: readonly Metric[];
  /** Show MACs instead of FLOPs everywhere. */
  readonly useMacs: boolean;
  /** "compact" (1.52K) or "full" (1,520) numbers. */
  readonly numberFormat: "compact" | "full";
  /** Input shape for models with neither a pragma nor a call in the file. */
  readonly defaultInputShape: readonly number[] | null;
  /** Longest hint label before it is shortened with an ellipsis. */
  readonly maxHintLength: number;
  /** Also hint shape-changing lines in forward(). */
  readonly forwardHints: boolean;
  readonly diagnosticsEnabled: boolean;
  readonly statusBarEnabled: boolean;
  /** Milliseconds to wait after typing before re-analysing. */
  readonly debounceMs: number;
}

export function readConfig(scope?: vscode.ConfigurationScope): ShapeLensConfig {
  const c = vscode.workspace.getConfiguration("shapeLens", scope);
  const shape = c.get<number[] | null>("defaultInputShape", null);
  return {
    inlayHintsEnabled: c.get("inlayHints.enabled", true),
    hintMetrics: c.get<Metric[]>("inlayHints.metrics", ["shape", "params", "flops", "rf"]),
    useMacs: c.get("useMacs", false),
    numberFormat: c.get<"compact" | "full">("numberFormat", "compact"),
    defaultInputShape: Array.isArray(shape) && shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0) ? shape : null,
    maxHintLength: c.get("inlayHints.maxLength", 80),
    forwardHints: c.get("inlayHints.forwardLines", false),
    diagnosticsEnabled: c.get("diagnostics.enabled", true),
    statusBarEnabled: c.get("statusBar.enabled", true),
    debounceMs: c.get("debounceMs", 150),
  };
}
