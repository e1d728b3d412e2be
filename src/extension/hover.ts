// Hovers: a layer constructor's resolved arguments, shapes, params, costs, RF and formulas; model totals; the pragma.
import * as vscode from "vscode";
import type { AnalysisCache } from "./analysisCache";
import { displayOptions, readConfig } from "./config";
import { modelHover, pragmaHover, siteHover } from "./hoverText";
import { selfAttributeAt } from "./pySyntax";
import { innermostAt, modelAtOffset, siteOfModule, sitesOf } from "./sites";

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportHtml = false;
  md.isTrusted = false;
  return md;
}

export function provideHover(cache: AnalysisCache, document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
  const analysis = cache.get(document);
  if (!analysis || token.isCancellationRequested) return undefined;
  const line = document.lineAt(position.line);
  const hash = line.text.indexOf("#");
  if (hash >= 0 && position.character >= hash) {
    const text = pragmaHover(line.text, position.line + 1, analysis);
    if (text) return new vscode.Hover(markdown(text), new vscode.Range(position.line, hash, position.line, line.text.length));
  }
  const offset = document.offsetAt(position);
  const range = (from: number, to: number): vscode.Range => new vscode.Range(document.positionAt(from), document.positionAt(to));
  const model = analysis.models.find((m) => m.from <= offset && offset <= m.to);
  if (model) {
    const cfg = readConfig(document);
    const lines = document.getText().split(/\r?\n/);
    return new vscode.Hover(markdown(modelHover(model, lines, cfg.defaultInputShape)), range(model.from, model.to));
  }
  const opts = displayOptions(readConfig(document));
  const site = innermostAt(sitesOf(analysis), offset);
  if (site) return new vscode.Hover(markdown(siteHover(site, analysis, opts)), range(site.from, site.to));
  // `self.conv1` in forward: the layer that attribute holds in this model
  const text = document.getText();
  const attr = selfAttributeAt(text, offset);
  const child = attr ? modelAtOffset(analysis, text, offset)?.root?.children.get(attr.name) : undefined;
  const held = attr && child ? siteOfModule(analysis, child) : undefined;
  return attr && held ? new vscode.Hover(markdown(siteHover(held, analysis, opts)), range(attr.from, attr.to)) : undefined;
}

export function register(cache: AnalysisCache): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { language: "python" },
    { provideHover: (document, position, token) => provideHover(cache, document, position, token) },
  );
}
