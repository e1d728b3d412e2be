// How errors of the analysed code become diagnostics: statement and syntax errors while running the file, errors inside a model's forward.
import { type SyntaxNode, textOf, UnitPosition, type SourceUnit } from "./source";
import { forwardErrorAt } from "../core/layers/util";
import type { Problem } from "../core/types";
import { BudgetError, PyError, type Where } from "./errors";
import { Interp } from "./interp";
import { containerKind, moduleWhere, namedModules } from "./modules";
import { closeMatch, NN_NAMES } from "./names";
import type { ModuleObj } from "./values";

/**
 * Errors of the analysed code, the JS stack overflowing on absurdly nested code or values, and
 * strings or arrays past what JS can hold; anything else is a bug.
 */
export function asAnalysisError(e: unknown): PyError | BudgetError {
  if (e instanceof PyError || e instanceof BudgetError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new BudgetError("the code is nested too deeply");
  if (e instanceof RangeError && /Invalid (string|array|typed array) length/i.test(e.message)) return new BudgetError("a value too large to build");
  throw e;
}

/** The first syntax error of a block (at `pos`, see ParsedBlock.firstError). */
export function reportSyntaxError(unit: SourceUnit, pos: number, diag: (w: Where | null, p: Problem) => void, what?: string): void {
  diag(positionAt(unit, pos), { code: "syntax-error", severity: "error", message: what ? `syntax error: ${what}` : "syntax error" });
}

function positionAt(unit: SourceUnit, pos: number): Where {
  return new UnitPosition(unit, pos); // read when reported: a reused statement's positions follow it
}

function assignedNamesOf(unit: SourceUnit, st: SyntaxNode): string[] {
  if (st.name !== "AssignStatement" && st.name !== "UpdateStatement") return [];
  const names: string[] = [];
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "AssignOp" || ch.name === "UpdateOp") break;
    if (ch.name === "VariableName") names.push(textOf(unit, ch));
    if (ch.name === "TupleExpression") for (const v of ch.getChildren("VariableName")) names.push(textOf(unit, v));
  }
  return names;
}

export function handleExecError(
  ip: Interp,
  unit: SourceUnit,
  st: SyntaxNode,
  e: PyError | BudgetError,
  failedNames: Set<string>,
  diag: (w: Where | null, p: Problem) => void,
): void {
  for (const n of assignedNamesOf(unit, st)) failedNames.add(n);
  if (e instanceof BudgetError) {
    diag(positionAt(unit, st.from), { code: "budget", severity: "warning", message: `not analysed: ${e.message}` });
    return;
  }
  if (e.inForward || e.pyType.startsWith("Unknown")) return;
  if (e.pyType === "NameError") {
    const m = /name '(\w+)' is not defined/.exec(e.message);
    if (m && failedNames.has(m[1])) return;
    if (m) {
      const guess = closeMatch(m[1], NN_NAMES);
      diag(e.where, { code: "unknown-layer", severity: "error", message: `${m[1]} is not defined${guess ? ` - did you mean nn.${guess}?` : ""}` });
    }
    return;
  }
  if (e.problem) {
    // a wrong call (TypeError) or a generic error is classified as PyTorch's oracle does: shape-mismatch
    const generic = e.problem.code === "bad-argument" || e.problem.code === "shape-mismatch";
    diag(e.where, generic ? { ...e.problem, code: "shape-mismatch", message: `${e.pyType}: ${e.problem.message}` } : e.problem);
    return;
  }
  void ip;
  // as the oracle words any error about group counts or divisibility (a model's own assert or raise)
  if (/num_groups|divisible by/.test(e.message)) diag(e.where, { code: "groups-mismatch", severity: "error", message: e.message.split("\n")[0] });
  else diag(e.where, { code: "shape-mismatch", severity: "error", message: `${e.pyType}: ${e.message}` });
}

/** `calledBefore`: the failing module already ran earlier in this forward (a reused block): a fix of its arguments would break that call. */
export function reportForwardError(e: PyError, inst: ModuleObj, diag: (w: Where | null, p: Problem) => void, calledBefore = false): void {
  const mod = e.module;
  let where = e.where;
  const leaf = mod && mod !== inst && (mod.children.size === 0 || containerKind(mod) === "layer");
  if (leaf && mod.site) where = moduleWhere(mod);
  // inside forward the oracle words every error but PyTorch's shape errors as the exception's own text
  const shapeCodes = ["channel-mismatch", "in-features-mismatch", "size-too-small", "groups-mismatch", "shape-mismatch"];
  // a misspelled name keeps its suggested spelling (fix.value with no argument): the editor offers the rename
  const rename = e.problem?.fix && !e.problem.fix.arg ? { fix: e.problem.fix } : {};
  // an op's shape error is classified and worded by its message, as the oracle does, for the innermost module whose
  // forward ran it ("matrix shapes cannot be multiplied (2x8 and 10x5)", "Conv expects 8 input channels but receives 16 ...",
  // any other one with "(in Module.forward, input ...)")
  const opSized = e.fromOp && mod && e.problem && shapeCodes.includes(e.problem.code);
  const problem: Problem = opSized
    ? forwardErrorAt(mod.cls.name, e.problem!.message, e.moduleInput ?? "?")
    : e.problem && shapeCodes.includes(e.problem.code)
      ? e.problem
      : { code: "shape-mismatch", severity: "error", message: e.message, ...rename };
  // (forwardErrorAt already words a message it keeps as is with the module and its input)
  const suffix = problem.code === "shape-mismatch" && mod && !e.located && !opSized ? ` (in ${mod.cls.name}.forward, input ${e.moduleInput ?? "?"})` : "";
  const { fix, ...rest } = problem;
  // one constructor line building several layers (a block's conv in every block): an edit there changes them all
  const shared = leaf && mod.site && namedModules(inst).filter(([, m]) => m.site?.unit === mod.site?.unit && m.site?.node.from === mod.site?.node.from).length > 1;
  diag(where, { ...rest, ...(fix && !shared && !calledBefore ? { fix } : {}), message: problem.message + suffix });
}
