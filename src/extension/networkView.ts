// "Shape Lens: Show Network Picture": a webview beside the editor drawing the model's dataflow graph, live, with its costs.
import * as vscode from "vscode";
import type { AnalysisCache } from "./analysisCache";
import { Command } from "./commandIds";
import { readConfig } from "./config";
import { findModel, resolveModel, baseName, type ResolvedModel } from "./commands/target";
import { sourceUri, type DocumentView } from "./documentView";
import { buildNetwork, defaultCollapsed, idsAt, type NetworkView } from "./networkModel";
import { groupPaths } from "./networkCalls";
import type { ExportFormat, FromWebview, NetworkPayload, SavedTarget, ToWebview } from "./networkProtocol";
import { NetworkLenses } from "./networkLenses";
import { webviewStrings } from "./networkStrings";

export const NETWORK_VIEW_TYPE = "shapeLens.network";

/** Which model the panel shows (its line tells apart models that share a name, and follows edits). */
interface Target {
  /** The document that defines the model (a notebook: the model's cell). */
  readonly uri: vscode.Uri;
  /** The file: the document, or the cell's notebook. */
  readonly source: vscode.Uri;
  readonly model: string;
  line: number;
}

/** What the integration tests read through Command.NetworkState. */
export interface NetworkState {
  readonly open: boolean;
  readonly visible: boolean;
  readonly ready: boolean;
  readonly target: { readonly uri: string; readonly model: string; readonly line: number } | null;
  /** The last messages posted to the webview. */
  readonly graph: NetworkPayload | null;
  readonly highlight: readonly string[];
  readonly received: readonly string[];
}

/** Text for an HTML attribute value in double quotes. */
function attribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function nonce(): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 32; i++) s += chars.charAt(Math.floor(Math.random() * chars.length));
  return s;
}

class NetworkPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: Target | undefined;
  private view: NetworkView | undefined;
  private ready = false;
  private fold: boolean | undefined;
  private readonly collapsed = new Map<string, Set<string>>();
  private lastGraph: NetworkPayload | null = null;
  private lastHighlight: readonly string[] = [];
  private readonly received: string[] = [];
  private readonly exports = new Map<ExportFormat, (data: string) => void>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly cache: AnalysisCache,
    private readonly log: vscode.OutputChannel,
  ) {
    this.subscriptions.push(
      cache.onDidChange((doc) => {
        if (this.target && doc.uri.toString() === this.target.uri.toString()) void this.update();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.highlightFrom(e.textEditor)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration("shapeLens")) return;
        if (e.affectsConfiguration("shapeLens.network.foldActivations")) this.fold = undefined;
        void this.update();
      }),
    );
  }

  /** Opens the panel beside the editor (or brings it forward) on a model. */
  show(resolved: ResolvedModel): void {
    this.target = { uri: resolved.document.uri, source: sourceUri(resolved.document), model: resolved.model.report.name, line: resolved.model.report.line };
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(NETWORK_VIEW_TYPE, vscode.l10n.t("Network"), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.attach(panel);
    } else {
      this.panel.reveal(undefined, true);
    }
    this.panel!.title = vscode.l10n.t("Network · {0}", this.target.model);
    void this.update();
  }

  /**
   * A panel VS Code brings back after a reload (the webview saved its model in its state); a
   * second one, or one without a model, is closed: there is one network picture at a time.
   */
  restore(panel: vscode.WebviewPanel, saved: SavedTarget | undefined): void {
    if (this.panel || !saved) {
      panel.dispose();
      return;
    }
    this.target = { uri: vscode.Uri.parse(saved.uri), source: vscode.Uri.parse(saved.source), model: saved.model, line: saved.line };
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    panel.title = vscode.l10n.t("Network · {0}", saved.model);
    void this.update();
  }

  private webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist", "webview"), vscode.Uri.joinPath(this.extensionUri, "media")] };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "shape-lens.svg");
    this.ready = false;
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: FromWebview) => void this.receive(m), undefined, this.subscriptions);
    panel.onDidChangeViewState(() => {
      // a hidden webview is discarded; it says "ready" again when shown and gets the picture then
      if (!this.panel?.visible) this.ready = false;
    }, undefined, this.subscriptions);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.target = undefined;
      this.view = undefined;
      this.ready = false;
    }, undefined, this.subscriptions);
  }

  private savedTarget(): SavedTarget | undefined {
    const t = this.target;
    return t && { uri: t.uri.toString(), source: t.source.toString(), model: t.model, line: t.line };
  }

  private html(webview: vscode.Webview): string {
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview", "network.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "network.css"));
    const n = nonce();
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${attribute(vscode.l10n.t("Network picture"))}</title>
</head>
<body>
<div id="app" data-strings="${attribute(JSON.stringify(webviewStrings()))}"></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  private key(): string {
    return this.target ? `${this.target.source.toString()}#${this.target.model}` : "";
  }

  /** The analysed program of the target's document (a notebook cell's: the notebook's code cells). */
  private async documentView(): Promise<DocumentView | undefined> {
    const target = this.target;
    if (!target) return undefined;
    let document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
    if (!document && target.uri.scheme !== "vscode-notebook-cell") document = await vscode.workspace.openTextDocument(target.uri);
    return document && this.cache.view(document);
  }

  /** Re-analyses (cached) and sends the picture, keeping the user's collapsed groups. */
  async update(): Promise<void> {
    const target = this.target;
    if (!this.panel || !target) return;
    const docView = await this.documentView();
    const model = docView && findModel(docView.analysis, target.model, target.line);
    const cfg = readConfig(target.source);
    const fold = this.fold ?? cfg.networkFold;
    const file = baseName(target.source);
    if (!model) {
      this.view = undefined;
      this.post({ type: "graph", payload: emptyPayload(this.key(), target.model, file, vscode.l10n.t("{0} is no longer a model in {1}.", target.model, file), fold) });
      return;
    }
    target.line = model.report.line;
    const options = { fold, useMacs: cfg.useMacs };
    let collapsed = this.collapsed.get(this.key());
    if (!collapsed) {
      collapsed = defaultCollapsed(model, options);
      this.collapsed.set(this.key(), collapsed);
    }
    this.view = buildNetwork(model, { ...options, collapsed, key: this.key(), file });
    this.post({ type: "graph", payload: this.view.payload });
    const editor = vscode.window.activeTextEditor;
    if (editor) this.highlightFrom(editor);
  }

  private highlightFrom(editor: vscode.TextEditor): void {
    if (!this.view || !this.target || sourceUri(editor.document).toString() !== this.target.source.toString()) return;
    const docView = this.cache.view(editor.document);
    if (!docView) return;
    const ids = idsAt(this.view, docView.offsetAt(editor.selection.active));
    if (ids.join() === this.lastHighlight.join()) return;
    this.post({ type: "highlight", ids });
  }

  private post(message: ToWebview): void {
    if (message.type === "graph") this.lastGraph = message.payload;
    if (message.type === "highlight") this.lastHighlight = message.ids;
    if (this.panel && this.ready) void this.panel.webview.postMessage(message.type === "graph" ? { ...message, target: this.savedTarget() } : message);
  }

  /** Handles a message from the webview (also called by the tests as if the webview sent it). */
  async receive(m: FromWebview): Promise<unknown> {
    this.received.push(m.type);
    if (this.received.length > 50) this.received.shift();
    switch (m.type) {
      case "ready":
        this.ready = true;
        if (this.lastGraph) void this.panel?.webview.postMessage({ type: "graph", payload: this.lastGraph, target: this.savedTarget() } satisfies ToWebview);
        if (this.lastHighlight.length > 0) void this.panel?.webview.postMessage({ type: "highlight", ids: this.lastHighlight } satisfies ToWebview);
        return undefined;
      case "reveal":
        return this.reveal(m.id);
      case "toggle": {
        const set = this.collapsed.get(this.key());
        if (!set) return undefined;
        if (set.has(m.path)) set.delete(m.path);
        else set.add(m.path);
        return this.update();
      }
      case "expandAll":
        this.collapsed.set(this.key(), new Set());
        return this.update();
      case "collapseAll": {
        const docView = await this.documentView();
        const model = docView && this.target && findModel(docView.analysis, this.target.model, this.target.line);
        if (model) this.collapsed.set(this.key(), new Set([...groupPaths(model)].filter(([, d]) => d === 1).map(([p]) => p)));
        return this.update();
      }
      case "fold":
        this.fold = m.value;
        return this.update();
      case "requestExport":
        return this.exportWithDialog(m.format);
      case "exported": {
        const done = this.exports.get(m.format);
        this.exports.delete(m.format);
        done?.(m.data);
        return undefined;
      }
      case "log":
        this.log.appendLine(`network picture: ${m.message}`);
        return undefined;
    }
  }

  /** Shows the source of a node, frame or bar in the editor beside the panel. */
  private async reveal(id: string): Promise<vscode.Range | undefined> {
    const spot = this.view?.spots.get(id)?.[0];
    const docView = await this.documentView();
    if (!spot || !this.target || !docView) return undefined;
    const program = docView.notebook && this.cache.notebook(docView.notebook);
    if (!program) return vscode.commands.executeCommand<vscode.Range | undefined>(Command.RevealLayer, { uri: this.target.uri, from: spot.from, to: spot.to, line: spot.line });
    // a notebook: the program offset lies in one of its cells
    const start = spot.from === null ? undefined : program.locate(spot.from);
    const end = spot.to === null ? undefined : program.locate(spot.to);
    const at = start ?? (spot.line === null ? undefined : program.locateLine(spot.line));
    if (!at) return undefined;
    const d = at.document;
    const args = start
      ? { uri: d.uri, from: d.offsetAt(start.position), to: end?.document === d ? d.offsetAt(end.position) : null }
      : { uri: d.uri, line: (at as { line: number }).line + 1 };
    return vscode.commands.executeCommand<vscode.Range | undefined>(Command.RevealLayer, args);
  }

  /** Asks the webview for the picture and waits for it (SVG markup or base64 PNG). */
  picture(format: ExportFormat, timeoutMs = 15_000): Promise<string> {
    if (!this.panel || !this.ready) return Promise.reject(new Error("the network picture is not open"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.exports.delete(format);
        reject(new Error(`no ${format.toUpperCase()} from the network picture after ${timeoutMs} ms`));
      }, timeoutMs);
      this.exports.set(format, (data) => {
        clearTimeout(timer);
        resolve(data);
      });
      void this.panel!.webview.postMessage({ type: "export", format } satisfies ToWebview);
    });
  }

  /** Writes the picture to `uri`; returns the number of bytes written. */
  async exportTo(format: ExportFormat, uri: vscode.Uri): Promise<number> {
    const data = await this.picture(format);
    const bytes = format === "svg" ? new TextEncoder().encode(data) : Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    await vscode.workspace.fs.writeFile(uri, bytes);
    this.log.appendLine(`network picture saved to ${uri.toString(true)}`);
    return bytes.length;
  }

  private async exportWithDialog(format: ExportFormat): Promise<void> {
    if (!this.target) return;
    const folder = vscode.Uri.joinPath(this.target.source, "..");
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `${this.target.model}.${format}`),
      filters: format === "svg" ? { "SVG image": ["svg"] } : { "PNG image": ["png"] },
      title: vscode.l10n.t("Save the network picture of {0}", this.target.model),
    });
    if (!uri) return;
    try {
      await this.exportTo(format, uri);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t("Shape Lens: could not save the picture: {0}", (e as Error).message));
    }
  }

  state(): NetworkState {
    return {
      open: this.panel !== undefined,
      visible: this.panel?.visible ?? false,
      ready: this.ready,
      target: this.target ? { uri: this.target.uri.toString(), model: this.target.model, line: this.target.line } : null,
      graph: this.panel ? this.lastGraph : null,
      highlight: this.lastHighlight,
      received: [...this.received],
    };
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function emptyPayload(key: string, model: string, file: string, message: string, fold: boolean): NetworkPayload {
  return {
    key,
    model,
    file,
    nodes: [],
    clusters: [],
    edges: [],
    bars: { cost: [], params: [] },
    totals: { input: "unknown", output: "unknown", params: "unknown", trainable: "unknown", cost: "unknown", costName: "FLOPs", layerCalls: 0, notes: [] },
    folded: fold,
    message,
  };
}

export function register(context: vscode.ExtensionContext, cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  const panel = new NetworkPanel(context.extensionUri, cache, log);
  const lenses = new NetworkLenses(cache);
  return vscode.Disposable.from(
    panel,
    lenses,
    vscode.languages.registerCodeLensProvider({ language: "python" }, lenses),
    vscode.commands.registerCommand(Command.ShowNetwork, async (arg?: unknown) => {
      const resolved = await resolveModel(arg, cache, "show the network picture");
      if (!resolved) return undefined;
      log.appendLine(`network picture of ${resolved.model.report.name} (${resolved.document.uri.toString(true)})`);
      panel.show(resolved);
      return true;
    }),
    vscode.window.registerWebviewPanelSerializer(NETWORK_VIEW_TYPE, {
      deserializeWebviewPanel: (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const saved = (state as { target?: SavedTarget } | undefined)?.target;
        log.appendLine(`network picture restored${saved ? ` for ${saved.model}` : ", with no model: closed"}`);
        panel.restore(webviewPanel, saved);
        return Promise.resolve();
      },
    }),
    vscode.commands.registerCommand(Command.NetworkState, () => panel.state()),
    vscode.commands.registerCommand(Command.NetworkMessage, (m: FromWebview) => panel.receive(m)),
    vscode.commands.registerCommand(Command.NetworkExport, (format: ExportFormat, uri: vscode.Uri | string) =>
      panel.exportTo(format, typeof uri === "string" ? vscode.Uri.parse(uri) : uri),
    ),
  );
}
