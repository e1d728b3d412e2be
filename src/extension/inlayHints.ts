// Inlay hints: each layer construction's output shape, params, FLOPs and RF, and each model's totals.
import * as vscode from "vscode";
import type { AnalysisCache } from "./analysisCache";
import { displayOptions, readConfig } from "./config";
import { modelLabel, siteDetails, siteLabel } from "./hintText";
import { opSitesOf, sitesOf } from "./sites";

function tooltip(lines: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  for (const l of lines) md.appendText(l).appendMarkdown("  \n");
  return md;
}

/** The hints of a document within `range` (a notebook cell: the hints of the notebook's program that fall in this cell). */
export function hintsFor(cache: AnalysisCache, document: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): vscode.InlayHint[] {
  const cfg = readConfig(document);
  if (!cfg.inlayHintsEnabled || token.isCancellationRequested) return [];
  const view = cache.view(document);
  if (!view || token.isCancellationRequested) return [];
  const { analysis, text } = view;
  const opts = displayOptions(cfg);
  // program offsets from here on; positionAt maps back (undefined in another cell)
  const from = view.offsetAt(range.start);
  const to = view.offsetAt(range.end);
  const hints: vscode.InlayHint[] = [];
  const add = (offset: number, label: string, details: readonly string[]): void => {
    const position = view.positionAt(offset);
    if (!position) return;
    const hint = new vscode.InlayHint(position, label, vscode.InlayHintKind.Type);
    hint.paddingLeft = true;
    if (details.length) hint.tooltip = tooltip(details);
    hints.push(hint);
  };
  for (const model of analysis.models) {
    // at the end of the model's line (`class Network(nn.Module):`), where it does not split the header
    const at = lineEnd(text, model.to);
    if (at < from || at > to) continue;
    const label = modelLabel(model.report, opts);
    if (label) add(at, label, [`${model.report.name}: ${modelLabel(model.report, { ...opts, maxLength: 0 })}`]);
  }
  for (const site of sitesOf(analysis)) {
    if (site.to < from || site.to > to) continue;
    const figures = site.calls.map((c) => c.figures);
    const label = siteLabel(figures, opts);
    if (!label) continue;
    const paths = [...new Set(site.calls.map((c) => vscode.l10n.t("{0} in {1}", c.entry?.path ?? c.module.cls.name, c.model.report.name)))];
    add(site.to, label, [...siteDetails(figures, opts), ...(paths.length <= 8 ? paths : [...paths.slice(0, 8), "…"])]);
  }
  if (cfg.forwardHints) {
    // shape-changing functional ops in forward: their output shape (and cost); parameters and RF belong to layers
    const opOpts = { ...opts, metrics: opts.metrics.filter((m) => m === "shape" || m === "flops") };
    for (const site of opSitesOf(analysis, text)) {
      if (site.to < from || site.to > to) continue;
      const label = siteLabel(site.calls, opOpts);
      if (label) add(site.to, label, [`${site.label}: ${siteDetails(site.calls, opOpts).join("; ")}`]);
    }
  }
  return hints.sort((a, b) => a.position.compareTo(b.position));
}

/** The offset after the last non-blank character of the line holding `offset`. */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  let end = nl < 0 ? text.length : nl;
  while (end > offset && /\s/.test(text[end - 1])) end--;
  return end;
}

export function register(cache: AnalysisCache): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    provideInlayHints: (document, range, token) => hintsFor(cache, document, range, token),
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerInlayHintsProvider({ language: "python" }, provider),
    // the cache fires debounced after edits, and after a shapeLens setting changed
    cache.onDidChange(() => changed.fire()),
  );
}
