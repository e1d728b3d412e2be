// The models a file defines: nn.Module subclasses and nn.Sequential assignments found while running it, with their positions.
import { type SyntaxNode, lineOf, textOf, type SourceUnit } from "./source";
import type { Where } from "./errors";
import { isModuleClass, Interp } from "./interp";
import { closeMatch } from "./names";
import type { ClassObj, ModuleObj } from "./values";

/** A model found by running the file: a user nn.Module class, or a Sequential assigned at module level. */
export interface ModelCandidate {
  readonly kind: "class" | "sequential";
  readonly name: string;
  /** Positions of the name, read from the statement's unit (they follow later edits above it). */
  readonly line: number;
  readonly from: number;
  readonly to: number;
  readonly cls?: ClassObj;
  readonly instance?: ModuleObj;
  readonly failed?: boolean;
}

class Candidate implements ModelCandidate {
  readonly kind: "class" | "sequential";
  readonly name: string;
  readonly cls?: ClassObj;
  readonly instance?: ModuleObj;
  readonly failed?: boolean;
  constructor(
    private readonly unit: SourceUnit,
    private readonly stmt: SyntaxNode,
    private readonly nameNode: SyntaxNode,
    fields: { kind: "class" | "sequential"; name: string; cls?: ClassObj; instance?: ModuleObj; failed?: boolean },
  ) {
    this.kind = fields.kind;
    this.name = fields.name;
    this.cls = fields.cls;
    this.instance = fields.instance;
    this.failed = fields.failed;
  }
  get line(): number {
    return lineOf(this.unit, this.stmt.from);
  }
  /** The same class statement when its name ends up bound to another class (a redefinition). */
  withClass(cls: ClassObj): Candidate {
    return new Candidate(this.unit, this.stmt, this.nameNode, { kind: this.kind, name: this.name, cls, instance: this.instance, failed: this.failed });
  }
  get from(): number {
    return this.unit.offset + this.nameNode.from;
  }
  get to(): number {
    return this.unit.offset + this.nameNode.to;
  }
}

function candidate(
  unit: SourceUnit,
  stmt: SyntaxNode,
  nameNode: SyntaxNode,
  fields: { kind: "class" | "sequential"; name: string; cls?: ClassObj; instance?: ModuleObj; failed?: boolean },
): ModelCandidate {
  return new Candidate(unit, stmt, nameNode, fields);
}

/** Where a model's own diagnostics go: column 1 of its line. */
export function candidateWhere(cand: ModelCandidate): Where {
  return {
    get line() {
      return cand.line;
    },
    column: 1,
  };
}

function calleeName(unit: SourceUnit, value: SyntaxNode | null): string {
  if (!value || value.name !== "CallExpression") return "";
  const callee = value.firstChild;
  if (!callee) return "";
  if (callee.name === "VariableName") return textOf(unit, callee);
  const prop = callee.getChild("PropertyName");
  return prop ? textOf(unit, prop) : "";
}

export function collectCandidate(ip: Interp, unit: SourceUnit, st: SyntaxNode, created: ModuleObj[], failed: boolean, out: ModelCandidate[]): void {
  let node = st;
  if (node.name === "DecoratedStatement") node = node.getChild("ClassDefinition") ?? node;
  if (node.name === "ClassDefinition") {
    const nameNode = node.getChild("VariableName");
    if (!nameNode) return;
    const name = textOf(unit, nameNode);
    const v = ip.globals.vars.peek(name);
    if (v?.k === "class" && v.cls.isUser && isModuleClass(v.cls)) out.push(candidate(unit, node, nameNode, { kind: "class", name, cls: v.cls }));
    return;
  }
  if (node.name !== "AssignStatement") return;
  const kids: SyntaxNode[] = [];
  for (let ch = node.firstChild; ch; ch = ch.nextSibling) kids.push(ch);
  if (kids.length === 4 && kids[1].name === "TypeDef") kids.splice(1, 1); // seq: nn.Sequential = nn.Sequential(...)
  if (kids.length !== 3 || kids[0].name !== "VariableName" || kids[1].name !== "AssignOp") return;
  const name = textOf(unit, kids[0]);
  const v = ip.globals.vars.peek(name);
  if (!failed && v?.k === "module" && v.m.cls.kind === "sequential" && created.includes(v.m)) {
    out.push(candidate(unit, node, kids[0], { kind: "sequential", name, instance: v.m }));
  } else if (failed) {
    const callee = calleeName(unit, kids[2]);
    if (callee === "Sequential" || closeMatch(callee, ["Sequential"], 0.75)) out.push(candidate(unit, node, kids[0], { kind: "sequential", name, failed: true }));
  }
}

/**
 * The models as the file leaves them, as PyTorch's module namespace shows them at the end: a Sequential
 * whose name is later bound to another object is no model; a class statement reports the class its name
 * finally holds (a later redefinition), and none when the name no longer holds a module class.
 */
export function finalCandidates(ip: Interp, cands: readonly ModelCandidate[]): ModelCandidate[] {
  const out: ModelCandidate[] = [];
  for (const c of cands) {
    if (c.failed) {
      out.push(c);
      continue;
    }
    const v = ip.globals.vars.peek(c.name);
    if (c.kind === "sequential") {
      if (v?.k === "module" && v.m === c.instance) out.push(c);
    } else if (v?.k === "class" && v.cls.isUser && isModuleClass(v.cls)) {
      out.push(v.cls === c.cls || !(c instanceof Candidate) ? c : c.withClass(v.cls));
    }
  }
  return out;
}
