// The extension's settings, mirrored by one typed, readonly interface (re-read on every use; cheap).
import * as vscode from "vscode";
import type { DisplayOptions, Metric } from "./hintText";

export type { Metric } from "./hintText";

const METRICS: readonly Metric[] = ["shape", "params", "flops", "rf"];

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
  /** Also hint the functional ops in forward() that change a tensor's shape (`x.view(...)`, `F.max_pool2d(...)`). */
  readonly forwardHints: boolean;
  /** Report shape problems (channel mismatch, misspelled layers, ...) in the Problems panel. */
  readonly diagnosticsEnabled: boolean;
  /** Show the totals of the model under the cursor in the status bar. */
  readonly statusBarEnabled: boolean;
  /** Milliseconds to wait after typing before re-analysing. */
  readonly debounceMs: number;
  /** Network picture: fold element-wise activations and dropout into the layer before them. */
  readonly networkFold: boolean;
  /** Show the "Show network picture" code lens above each model. */
  readonly networkCodeLens: boolean;
}

export function readConfig(scope?: vscode.ConfigurationScope): ShapeLensConfig {
  const c = vscode.workspace.getConfiguration("shapeLens", scope);
  const shape = c.get<number[] | null>("defaultInputShape", null);
  return {
    inlayHintsEnabled: c.get("inlayHints.enabled", true),
    hintMetrics: metricsOf(c.get<unknown>("inlayHints.metrics")),
    useMacs: c.get("useMacs", false),
    numberFormat: c.get("numberFormat") === "full" ? "full" : "compact",
    defaultInputShape: Array.isArray(shape) && shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0) ? shape : null,
    maxHintLength: Math.max(0, Math.floor(Number(c.get("inlayHints.maxLength", 80)) || 0)),
    forwardHints: c.get("inlayHints.forwardLines", false),
    diagnosticsEnabled: c.get("diagnostics.enabled", true),
    statusBarEnabled: c.get("statusBar.enabled", true),
    debounceMs: Math.max(0, Number(c.get("debounceMs", 150)) || 0),
    networkFold: c.get("network.foldActivations", true),
    networkCodeLens: c.get("network.codeLens", true),
  };
}

/** The metrics setting, known names only, in the user's order; the default when unset or invalid. */
function metricsOf(v: unknown): readonly Metric[] {
  if (!Array.isArray(v)) return METRICS;
  return v.filter((m, i): m is Metric => METRICS.includes(m as Metric) && v.indexOf(m) === i);
}

/** What the labels need from the settings. */
export function displayOptions(cfg: ShapeLensConfig): DisplayOptions {
  return { metrics: cfg.hintMetrics, useMacs: cfg.useMacs, numberFormat: cfg.numberFormat, maxLength: cfg.maxHintLength };
}
