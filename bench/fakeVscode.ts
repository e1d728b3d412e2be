// A stand-in for the `vscode` module, enough to run the extension's providers and activate() under plain Node for the benchmark.

type Listener<T> = (e: T) => void;

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>): Disposable => {
    this.listeners.push(l);
    return new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== l)));
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  compareTo(o: Position): number {
    return this.line - o.line || this.character - o.character;
  }
  isBefore(o: Position): boolean {
    return this.compareTo(o) < 0;
  }
  isAfter(o: Position): boolean {
    return this.compareTo(o) > 0;
  }
  translate(dl = 0, dc = 0): Position {
    return new Position(this.line + dl, this.character + dc);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === "number" ? new Position(a, b as number) : a;
    this.end = typeof a === "number" ? new Position(c!, d!) : (b as Position);
  }
  contains(p: Position): boolean {
    return !p.isBefore(this.start) && !p.isAfter(this.end);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class MarkdownString {
  value = "";
  isTrusted = false;
  supportHtml = false;
  constructor(value = "") {
    this.value = value;
  }
  appendText(s: string): this {
    this.value += s.replace(/[\\`*_{}[\]()#+\-.!|]/g, "\\$&");
    return this;
  }
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendCodeblock(s: string): this {
    this.value += `\n\`\`\`\n${s}\n\`\`\`\n`;
    return this;
  }
}

export enum InlayHintKind {
  Type = 1,
  Parameter = 2,
}

export class InlayHint {
  paddingLeft?: boolean;
  paddingRight?: boolean;
  tooltip?: string | MarkdownString;
  constructor(
    readonly position: Position,
    readonly label: string,
    readonly kind?: InlayHintKind,
  ) {}
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly fragment = "",
  ) {}
  static file(p: string): Uri {
    return new Uri("file", p);
  }
  static parse(s: string): Uri {
    const m = /^(\w[\w+.-]*):(.*)$/.exec(s);
    return m ? new Uri(m[1], m[2]) : new Uri("file", s);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** A text document over a string (what the providers read: text, version, positions). */
export class FakeDocument {
  readonly languageId = "python";
  readonly uri: Uri;
  readonly isClosed = false;
  version = 1;
  private starts: number[] = [];
  constructor(
    name: string,
    private text: string,
  ) {
    this.uri = Uri.file(name);
    this.index();
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
    this.index();
  }
  private index(): void {
    this.starts = [0];
    for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  getText(range?: Range): string {
    return range ? this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }
  offsetAt(p: Position): number {
    const line = Math.min(Math.max(p.line, 0), this.starts.length - 1);
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return Math.min(this.starts[line] + p.character, end);
  }
  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return new Position(lo, offset - this.starts[lo]);
  }
  lineAt(line: number | Position): { text: string; range: Range; lineNumber: number } {
    const n = typeof line === "number" ? line : line.line;
    const from = this.starts[n];
    const to = n + 1 < this.starts.length ? this.starts[n + 1] - 1 : this.text.length;
    return { text: this.text.slice(from, to), range: new Range(n, 0, n, to - from), lineNumber: n };
  }
}

const noop = (): Disposable => new Disposable();

/** Anything else the extension touches: callable, constructible, every property another such value. */
function anything(): unknown {
  const target = function () {
    return undefined;
  };
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => (key === "dispose" ? () => undefined : key === Symbol.toPrimitive ? () => "" : key === "then" ? undefined : proxy),
    set: () => true,
    defineProperty: () => true,
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

export const workspace: Record<string, unknown> = new Proxy({
  textDocuments: [] as FakeDocument[],
  notebookDocuments: [] as unknown[],
  getConfiguration: () => ({ get: <T>(_key: string, d?: T): T | undefined => d, has: () => false, inspect: () => undefined, update: async () => undefined }),
  onDidChangeTextDocument: noop,
  onDidCloseTextDocument: noop,
  onDidOpenTextDocument: noop,
  onDidSaveTextDocument: noop,
  onDidChangeNotebookDocument: noop,
  onDidCloseNotebookDocument: noop,
  onDidOpenNotebookDocument: noop,
  onDidChangeConfiguration: noop,
  onDidChangeWorkspaceFolders: noop,
  workspaceFolders: [],
} as Record<string, unknown>, { get: (t, key: string) => (key in t ? t[key] : key.startsWith("on") ? noop : anything()) });

export const window = new Proxy(
  {
    visibleTextEditors: [],
    activeTextEditor: undefined,
    createOutputChannel: () => ({ appendLine: () => undefined, append: () => undefined, show: () => undefined, dispose: () => undefined }),
  } as Record<string, unknown>,
  { get: (t, key: string) => (key in t ? t[key] : key.startsWith("on") ? noop : anything()) },
);

const handler = { get: (_t: object, key: string) => (key.startsWith("on") ? noop : anything()) };
export const languages = new Proxy({}, handler);
export const commands = new Proxy({}, handler);
export const extensions = new Proxy({}, handler);
export const env = new Proxy({}, handler);
export const notebooks = new Proxy({}, handler);
export const debug = new Proxy({}, handler);
export const tasks = new Proxy({}, handler);
export const NotebookCellKind = { Markup: 1, Code: 2 };
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 };
export const EndOfLine = { LF: 1, CRLF: 2 };
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
export const CodeActionKind = new Proxy({}, { get: () => ({ append: () => ({}) }) });
export class Diagnostic {
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity?: number,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(readonly id: string) {}
}
export class TreeItem {
  constructor(readonly label: unknown) {}
}
export class CodeAction {
  constructor(readonly title: string) {}
}
export class WorkspaceEdit {
  replace(): void {}
  insert(): void {}
}
export class Selection extends Range {}
export class Hover {
  constructor(readonly contents: unknown) {}
}
export const l10n = {
  t: (message: string | { message: string }, ...args: unknown[]): string => {
    const text = typeof message === "string" ? message : message.message;
    const values = args.length === 1 && typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0]) ? (args[0] as Record<string, unknown>) : args;
    return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String((values as Record<string, unknown>)[k]) : m));
  },
  bundle: undefined,
  uri: undefined,
};
export enum TextEditorRevealType {
  Default = 0,
  InCenter = 1,
  InCenterIfOutsideViewport = 2,
  AtTop = 3,
}
export class DocumentLink {
  constructor(
    readonly range: Range,
    readonly target?: Uri,
  ) {}
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: unknown,
  ) {}
}
export class SnippetString {
  constructor(readonly value = "") {}
}
