// The e2e check's expectations (test/e2e/expectations.json): what a person must see in the workbench.
import * as fs from "node:fs";
import * as path from "node:path";
import { integrationWorkspace, repoRoot } from "../vscode/paths";

/** The shape of expectations.json; see test/e2e/README.md. */
export interface Expectations {
  /** Folder opened in the workbench, relative to the repo root. */
  workspace: string;
  /** File to open, relative to the workspace; the first *.py there when absent or missing. */
  file?: string;
  /** Exact texts of visible inlay hints: each must equal the hints of some editor line, joined. */
  hints?: string[];
  /** At least this many editor lines must show inlay hints. */
  minHints?: number;
  /** A hover shown at a position of the file (Go to Line, then Show Hover). */
  hover?: HoverExpectations | null;
  /** The Shape Lens tree: the view container to open and the rows it must show. */
  sidebar?: SidebarExpectations | null;
  /** A file with a problem, opened in a workspace of its own: squiggle, Problems panel, quick fixes. */
  diagnostic?: DiagnosticExpectations | null;
  /** The same file again in VS Code set to another display language (a test language pack installed). */
  locales?: LocaleExpectations[];
}

/** What shows when VS Code's display language is `language` (hints, hover, tree rows in that language). */
export interface LocaleExpectations extends Pick<Expectations, "hints" | "minHints" | "hover" | "sidebar"> {
  /** VS Code's --locale, e.g. "zh-cn". */
  language: string;
  /** The network picture opened from the first code lens titled `lens`: texts its toolbar or costs panel must show. */
  network?: { lens: string; contains: string[] };
}

export interface HoverExpectations {
  /** 1-based line and column the cursor goes to. */
  line: number;
  column: number;
  /** Texts that must each appear in the hover widget. */
  contains: string[];
}

export interface DiagnosticExpectations {
  /** Folder to open, relative to the repo root. */
  workspace: string;
  /** File to open, relative to that folder. */
  file: string;
  /** 1-based line and column of the problem: the cursor goes there before the quick-fix menu opens. */
  line: number;
  column: number;
  /** Texts that must each appear in some row of the Problems panel. */
  problems: string[];
  /** Titles that must each appear in the quick-fix menu (Ctrl+.). */
  quickFixes: string[];
}

export interface SidebarExpectations {
  /** Activity bar entry to click (its title, e.g. "Shape Lens"); omit for the Explorer. */
  container?: string;
  /** Title of the view's pane header (expanded if collapsed). */
  view: string;
  /** Texts that must each appear in some row of the view. */
  rows?: string[];
}

export function readExpectations(): Expectations {
  const file = process.env.SHAPE_LENS_E2E_EXPECT ?? path.join(repoRoot, "test", "e2e", "expectations.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as Expectations;
}

/** The workspace and file to open; falls back to the integration workspace while examples/ is empty. */
export function chooseFile(expect: Expectations): { workspace: string; file: string } {
  const candidates = [path.resolve(repoRoot, expect.workspace), integrationWorkspace];
  for (const workspace of candidates) {
    const pythonFiles = fs.existsSync(workspace) ? fs.readdirSync(workspace).filter((n) => n.endsWith(".py")).sort() : [];
    if (expect.file && pythonFiles.includes(expect.file)) return { workspace, file: expect.file };
    if (pythonFiles.length > 0) {
      const wanted = path.join(expect.workspace, expect.file ?? "*.py");
      process.stdout.write(`  note: no ${wanted} yet; opening ${path.relative(repoRoot, path.join(workspace, pythonFiles[0]))}\n`);
      return { workspace, file: pythonFiles[0] };
    }
  }
  throw new Error(`no Python file in ${candidates.join(" or ")}`);
}
