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
  const view = cache.view(document);
  if (!view || token.isCancellationRequested) return undefined;
  const { analysis, text } = view;
  const line = document.lineAt(position.line);
  const hash = line.text.indexOf("#");
  if (hash >= 0 && position.character >= hash) {
    const md = pragmaHover(line.text, view.programLine(position.line), analysis);
    if (md) return new vscode.Hover(markdown(md), new vscode.Range(position.line, hash, position.line, line.text.length));
  }
  // program offsets from here on (the same as document offsets in a .py file)
  const offset = view.offsetAt(position);
  const range = (from: number, to: number): vscode.Range | undefined => {
    const start = view.positionAt(from);
    const end = view.positionAt(to);
    return start && end ? new vscode.Range(start, end) : undefined;
  };
  const model = analysis.models.find((m) => m.from <= offset && offset <= m.to);
  if (model) {
    const cfg = readConfig(document);
    return new vscode.Hover(markdown(modelHover(model, view.lines, cfg.defaultInputShape)), range(model.from, model.to));
  }
  const opts = displayOptions(readConfig(document));
  const site = innermostAt(sitesOf(analysis), offset);
  if (site) return new vscode.Hover(markdown(siteHover(site, analysis, opts)), range(site.from, site.to));
  // `self.conv1` in forward: the layer that attribute holds in this model
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
