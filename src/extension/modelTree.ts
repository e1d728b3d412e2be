// The "Shape Lens" sidebar: file → models → (nested) layer calls, following the active editor or a pinned file.
import * as vscode from "vscode";
import type { ModelAnalysis } from "../python/analyze";
import type { AnalysisCache } from "./analysisCache";
import { Command } from "./commandIds";
import { readConfig } from "./config";
import { sourceUri, type NotebookProgramView } from "./documentView";
import { buildLayerTree, groupTotals, moduleAtPath, type LayerGroup, type LayerLeaf, type LayerNode } from "./layerTree";
import { baseName } from "./commands/target";
import type { RevealArgs } from "./commands/revealLayer";
import { groupDescription, groupTooltip, layerDescription, layerTooltip, modelDescription, modelTooltip, rowLabel, type FigureStyle } from "./treeText";

export const VIEW_ID = "shapeLens.models";
const PINNED_CONTEXT = "shapeLens.treePinned";
/** Models with at most this many layer calls show their containers expanded. */
const EXPAND_LIMIT = 40;

interface FileNode {
  readonly kind: "file";
  readonly id: string;
  readonly uri: vscode.Uri;
  readonly pinned: boolean;
}
/** Also the argument the model row's context-menu commands receive: `{ uri, model, line }`. */
interface ModelNode {
  readonly kind: "model";
  readonly id: string;
  readonly uri: vscode.Uri;
  readonly model: string;
  readonly line: number;
  readonly analysis: ModelAnalysis;
  readonly parent: FileNode;
}
interface GroupNode {
  readonly kind: "group";
  readonly id: string;
  readonly uri: vscode.Uri;
  readonly analysis: ModelAnalysis;
  readonly group: LayerGroup;
  readonly parent: ModelNode | GroupNode;
}
interface LeafNode {
  readonly kind: "layer";
  readonly id: string;
  readonly uri: vscode.Uri;
  readonly analysis: ModelAnalysis;
  readonly leaf: LayerLeaf;
  readonly parent: ModelNode | GroupNode;
}
interface InfoNode {
  readonly kind: "info";
  readonly id: string;
  readonly text: string;
  readonly tooltip?: string;
  readonly parent: FileNode | ModelNode;
}
type Node = FileNode | ModelNode | GroupNode | LeafNode | InfoNode;

/** A row as plain data, for the integration tests (Command.TreeSnapshot). */
export interface TreeSnapshotRow {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly contextValue?: string;
  readonly command?: { readonly command: string; readonly arguments?: unknown[] };
  readonly children: TreeSnapshotRow[];
}

class ModelTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** The file the view follows (the last active Python editor) and the pinned one, which wins. */
  private followed: vscode.Uri | undefined;
  private pinned: vscode.Uri | undefined;
  private readonly layerTrees = new WeakMap<ModelAnalysis, LayerNode[]>();
  /** The programs of the notebooks shown, by URI: their rows reveal positions in cells. */
  private readonly notebooks = new Map<string, NotebookProgramView>();

  constructor(private readonly cache: AnalysisCache) {}

  get current(): vscode.Uri | undefined {
    return this.pinned ?? this.followed;
  }

  get isPinned(): boolean {
    return this.pinned !== undefined;
  }

  /** Follows an editor; returns whether the tree's file changed. */
  follow(editor: vscode.TextEditor | undefined): boolean {
    if (!editor || editor.document.languageId !== "python") return false; // keep showing the last Python file
    // a notebook cell's editor: the tree shows the notebook
    const uri = sourceUri(editor.document);
    if (this.followed?.toString() === uri.toString()) return false;
    this.followed = uri;
    return this.pinned === undefined;
  }

  /** When the followed file's last tab closed: follow another open Python editor, or nothing. Returns whether the tree's file changed. */
  dropClosed(): boolean {
    if (!this.followed || hasTab(this.followed)) return false;
    const before = this.followed.toString();
    // the active editor may still be the one just closed (editor and tab updates arrive separately)
    const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
    const next = editors.find((e) => e && e.document.languageId === "python" && hasTab(sourceUri(e.document)));
    this.followed = next && sourceUri(next.document);
    return this.pinned === undefined && this.followed?.toString() !== before;
  }

  pin(uri: vscode.Uri | undefined): void {
    this.pinned = uri;
    this.refresh();
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  private style(uri: vscode.Uri): FigureStyle {
    const cfg = readConfig(uri);
    return { macs: cfg.useMacs, numberFormat: cfg.numberFormat };
  }

  private async documentOf(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch {
      return undefined;
    }
  }

  private layerTree(analysis: ModelAnalysis): LayerNode[] {
    let t = this.layerTrees.get(analysis);
    if (!t) {
      t = buildLayerTree(analysis.report.layers, analysis.entries.map((e) => e.scope));
      this.layerTrees.set(analysis, t);
    }
    return t;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const uri = this.current;
      if (!uri) return [];
      const notebook = notebookAt(uri);
      const document = notebook ? undefined : await this.documentOf(uri);
      if (!notebook && (!document || document.languageId !== "python")) return [];
      return [{ kind: "file", id: `file:${uri.toString()}`, uri, pinned: this.isPinned }];
    }
    if (node.kind === "file") return this.modelsOf(node);
    if (node.kind === "model") {
      const r = node.analysis.report;
      const info: InfoNode[] = [];
      if (r.error && r.layers.length === 0) info.push({ kind: "info", id: `${node.id}/info`, text: r.error, parent: node });
      else if (r.layers.length === 0) info.push({ kind: "info", id: `${node.id}/info`, text: vscode.l10n.t("no submodule calls"), parent: node });
      return [...info, ...this.wrap(this.layerTree(node.analysis), node)];
    }
    if (node.kind === "group") return this.wrap(node.group.children, node);
    return [];
  }

  private async modelsOf(file: FileNode): Promise<Node[]> {
    const notebook = notebookAt(file.uri);
    let analysis;
    if (notebook) {
      const program = this.cache.notebook(notebook);
      if (program) this.notebooks.set(file.uri.toString(), program);
      analysis = program?.analysis;
    } else {
      const document = await this.documentOf(file.uri);
      analysis = document && this.cache.get(document);
    }
    if (!analysis) return [{ kind: "info", id: `${file.id}/info`, text: vscode.l10n.t("no torch import: nothing to analyse"), parent: file }];
    if (analysis.models.length === 0) {
      return [{ kind: "info", id: `${file.id}/info`, text: vscode.l10n.t("no nn.Module model found"), tooltip: vscode.l10n.t("Define a class that subclasses nn.Module, or assign an nn.Sequential to a variable."), parent: file }];
    }
    const seen = new Map<string, number>();
    return analysis.models.map((m) => {
      const n = (seen.get(m.report.name) ?? 0) + 1;
      seen.set(m.report.name, n);
      return { kind: "model", id: `${file.id}/model:${m.report.name}#${n}`, uri: file.uri, model: m.report.name, line: m.report.line, analysis: m, parent: file };
    });
  }

  private wrap(nodes: readonly LayerNode[], parent: ModelNode | GroupNode): Node[] {
    return nodes.map((n) => {
      const id = `${parent.id}/${n.kind}:${n.name}#${n.call}`;
      return n.kind === "group"
        ? { kind: "group", id, uri: parent.uri, analysis: parent.analysis, group: n, parent }
        : { kind: "layer", id, uri: parent.uri, analysis: parent.analysis, leaf: n, parent };
    });
  }

  getParent(node: Node): Node | undefined {
    return node.kind === "file" ? undefined : node.parent;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case "file": {
        const item = new vscode.TreeItem(node.uri, C.Expanded);
        item.id = node.id;
        item.description = node.pinned ? vscode.l10n.t("pinned") : folderOf(node.uri);
        item.tooltip = node.pinned ? vscode.l10n.t("{0} (pinned)", node.uri.toString(true)) : node.uri.toString(true);
        item.contextValue = node.pinned ? "shapeLens.file.pinned" : "shapeLens.file";
        return item;
      }
      case "model": {
        const r = node.analysis.report;
        const item = new vscode.TreeItem(r.name, C.Expanded);
        item.id = node.id;
        item.description = modelDescription(r, this.style(node.uri));
        item.tooltip = new vscode.MarkdownString(modelTooltip(r));
        item.iconPath = new vscode.ThemeIcon(r.error || r.truncated ? "warning" : "symbol-class");
        item.contextValue = "shapeLens.model";
        item.command = this.reveal(node.uri, node.analysis.from, node.analysis.to, r.line);
        return item;
      }
      case "group": {
        const g = node.group;
        const m = moduleAtPath(node.analysis.root, g.path);
        const totals = groupTotals(g, node.analysis.report.layers);
        // small models open fully; big ones (a ResNet) start with their stages closed
        const open = node.analysis.report.layers.length <= EXPAND_LIMIT;
        const item = new vscode.TreeItem(rowLabel(g.name, m?.cls.name, g.call, g.calls), open ? C.Expanded : C.Collapsed);
        item.id = node.id;
        item.description = groupDescription(totals, this.style(node.uri));
        item.tooltip = new vscode.MarkdownString(groupTooltip(g.path, m?.cls.name, m?.line, totals, g.call, g.calls));
        item.iconPath = new vscode.ThemeIcon(totals.error ? "error" : "symbol-namespace");
        item.contextValue = "shapeLens.group";
        item.command = m ? this.reveal(node.uri, m.from, m.to, m.line) : undefined;
        return item;
      }
      case "layer": {
        const l = node.analysis.report.layers[node.leaf.index];
        const entry = node.analysis.entries[node.leaf.index];
        const item = new vscode.TreeItem(rowLabel(node.leaf.name, l.type, node.leaf.call, node.leaf.calls), C.None);
        item.id = node.id;
        item.description = layerDescription(l, this.style(node.uri));
        item.tooltip = new vscode.MarkdownString(layerTooltip(l));
        item.iconPath = new vscode.ThemeIcon(l.error ? "error" : "symbol-field");
        item.contextValue = "shapeLens.layer";
        item.command = this.reveal(node.uri, entry?.module.from ?? null, entry?.module.to ?? null, l.line);
        return item;
      }
      case "info": {
        const item = new vscode.TreeItem(node.text, C.None);
        item.id = node.id;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon("info");
        item.contextValue = "shapeLens.info";
        return item;
      }
    }
  }

  /** Go to a place given in program offsets or a program line: in a notebook, the cell that holds it. */
  private reveal(uri: vscode.Uri, from: number | null, to: number | null, line: number | null): vscode.Command {
    const program = this.notebooks.get(uri.toString());
    if (!program) return reveal(uri, from, to, line);
    const start = from === null ? undefined : program.locate(from);
    if (start) {
      const end = to === null ? undefined : program.locate(to);
      const d = start.document;
      return reveal(d.uri, d.offsetAt(start.position), end?.document === d ? d.offsetAt(end.position) : null, null);
    }
    const at = line === null ? undefined : program.locateLine(line);
    return at ? reveal(at.document.uri, null, null, at.line + 1) : reveal(uri, null, null, null);
  }

  /** Every row, expanded, as plain data (the test hook). */
  async snapshot(node?: Node): Promise<TreeSnapshotRow[]> {
    const rows: TreeSnapshotRow[] = [];
    for (const child of await this.getChildren(node)) {
      const item = this.getTreeItem(child);
      const label = typeof item.label === "string" ? item.label : (item.label?.label ?? (item.resourceUri ? baseName(item.resourceUri) : ""));
      const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
      rows.push({
        label,
        description: typeof item.description === "string" ? item.description : undefined,
        tooltip,
        contextValue: item.contextValue,
        command: item.command && { command: item.command.command, arguments: item.command.arguments },
        children: await this.snapshot(child),
      });
    }
    return rows;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** The open notebook with this URI. */
function notebookAt(uri: vscode.Uri): vscode.NotebookDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === key);
}

function hasTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => (t.input as { uri?: vscode.Uri } | undefined)?.uri?.toString() === key));
}

/** The file's folder relative to the workspace ("models/vision"), or undefined at its root or outside a workspace. */
function folderOf(uri: vscode.Uri): string | undefined {
  const rel = vscode.workspace.asRelativePath(uri, false);
  if (rel === uri.fsPath || rel === uri.path) return undefined;
  const i = rel.lastIndexOf("/");
  return i > 0 ? rel.slice(0, i) : undefined;
}

function reveal(uri: vscode.Uri, from: number | null, to: number | null, line: number | null): vscode.Command {
  const args: RevealArgs = { uri: uri.toString(), from, to, line };
  return { command: Command.RevealLayer, title: vscode.l10n.t("Go to Definition"), arguments: [args] };
}

/** Registers the view, its title-bar commands and the listeners that keep it current; the caller puts the result in context.subscriptions. */
export function registerTree(_context: vscode.ExtensionContext, cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  const provider = new ModelTreeProvider(cache);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const update = (): void => {
    const uri = provider.current;
    view.description = uri ? (provider.isPinned ? vscode.l10n.t("{0} (pinned)", baseName(uri)) : baseName(uri)) : undefined;
    void vscode.commands.executeCommand("setContext", PINNED_CONTEXT, provider.isPinned);
  };
  provider.follow(vscode.window.activeTextEditor);
  update();
  const pinTarget = (arg: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    if (arg && typeof arg === "object" && (arg as FileNode).uri instanceof vscode.Uri) return (arg as FileNode).uri;
    const editor = vscode.window.activeTextEditor;
    return editor?.document.languageId === "python" ? sourceUri(editor.document) : provider.current;
  };
  return vscode.Disposable.from(
    provider,
    view,
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (provider.follow(editor) || provider.dropClosed()) {
        update();
        provider.refresh();
      }
    }),
    vscode.window.tabGroups.onDidChangeTabs(() => {
      if (provider.dropClosed()) {
        update();
        provider.refresh();
      }
    }),
    cache.onDidChange((document) => {
      if (sourceUri(document).toString() === provider.current?.toString()) provider.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("shapeLens")) provider.refresh();
    }),
    vscode.commands.registerCommand(Command.Refresh, () => {
      log.appendLine("model tree refreshed");
      provider.refresh();
    }),
    vscode.commands.registerCommand(Command.PinFile, (arg?: unknown) => {
      provider.pin(pinTarget(arg));
      update();
    }),
    vscode.commands.registerCommand(Command.UnpinFile, () => {
      provider.pin(undefined);
      provider.follow(vscode.window.activeTextEditor);
      update();
      provider.refresh();
    }),
    vscode.commands.registerCommand(Command.ShowTreeSummary, (arg?: unknown) => {
      const target = arg && typeof arg === "object" && "model" in arg ? arg : provider.current ? { uri: provider.current } : undefined;
      return vscode.commands.executeCommand(Command.ShowSummary, target);
    }),
    vscode.commands.registerCommand(Command.TreeSnapshot, () => provider.snapshot()),
  );
}
