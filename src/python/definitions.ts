// Definitions: def and lambda functions, class statements and decorated definitions (dataclasses, classmethod, staticmethod, property).
import { ABC_CLASS, ABC_META } from "./abcModule";
import { type SyntaxNode, textOf } from "./source";
import { BudgetError, PyError } from "./errors";
import { evalExpr, lookupName, type Ctx } from "./eval";
import { evalArgs } from "./evalAccess";
import { paramsOf } from "./interp";
import { callValue, getAttr } from "./calls";
import { isDataclassDecorator, makeDataclass } from "./dataclass";
import { isNamedTupleBase, makeNamedTupleClass } from "./namedtuple";
import { NONE, Scope, type ClassObj, type FuncDef, type Value } from "./values";
import { execStatement, type Completion, NORMAL } from "./statements";

/** A function value for a `def` or `lambda` node, with its defaults evaluated now. */
export function makeFunction(c: Ctx, node: SyntaxNode, name: string, definingClass?: ClassObj): Value {
  const paramList = node.getChild("ParamList");
  const params = paramsOf(paramList, (n) => textOf(c.unit, n));
  const defaults = new Map<string, Value>();
  if (paramList && params.some((p) => p.hasDefault)) {
    for (let ch = paramList.firstChild; ch; ch = ch.nextSibling) {
      if (ch.name === "VariableName") {
        const next = ch.nextSibling?.name === "TypeDef" ? ch.nextSibling.nextSibling : ch.nextSibling;
        if (next?.name === "AssignOp" && next.nextSibling) defaults.set(textOf(c.unit, ch), evalExpr(c, next.nextSibling));
      }
    }
  }
  // methods see the module scope, not the class body
  let closure = c.scope;
  while (closure.kind === "class" && closure.parent) closure = closure.parent;
  const fn: FuncDef = { name, node, unit: c.unit, closure, defaults, definingClass };
  return { k: "func", fn };
}

export function execClass(c: Ctx, st: SyntaxNode, decorators: Value[] = []): void {
  const nameNode = st.getChild("VariableName");
  if (!nameNode) return;
  const name = textOf(c.unit, nameNode);
  const bases: ClassObj[] = [];
  let namedTuple = false;
  const argList = st.getChild("ArgList");
  if (argList) {
    for (let ch = argList.firstChild; ch; ch = ch.nextSibling) {
      if (["(", ")", ",", "Comment"].includes(ch.name)) continue;
      if (ch.name === "VariableName" && ch.nextSibling?.name === "AssignOp") {
        // metaclass=ABCMeta makes an abstract base class as deriving from abc.ABC does; other keywords do not matter here
        const meta = textOf(c.unit, ch) === "metaclass" && ch.nextSibling.nextSibling ? evalExpr(c, ch.nextSibling.nextSibling) : undefined;
        if (meta === ABC_META) bases.push(ABC_CLASS);
        break;
      }
      const b = evalExpr(c, ch);
      if (b.k === "class") bases.push(b.cls);
      else if (isNamedTupleBase(b)) namedTuple = true;
    }
  }
  const cls: ClassObj = {
    name,
    kind: "user",
    bases,
    attrs: new Map(),
    isUser: c.unit.isUser,
    line: c.ip.whereOf({ unit: c.unit, node: st }).line ?? undefined,
  };
  const classScope = new Scope(c.scope, "class");
  const body = st.getChild("Body");
  if (body) {
    const inner: Ctx = { ip: c.ip, unit: c.unit, scope: classScope };
    for (let s = body.firstChild; s; s = s.nextSibling) {
      try {
        if (s.name === "FunctionDefinition") {
          const fnName = s.getChild("VariableName");
          if (fnName) classScope.vars.set(textOf(c.unit, fnName), makeFunction(inner, s, textOf(c.unit, fnName), cls));
        } else if (s.name === "DecoratedStatement") {
          execDecorated(inner, s, cls);
        } else execStatement(inner, s);
      } catch (e) {
        if (e instanceof BudgetError) throw e;
        if (!(e instanceof PyError)) throw e;
        // a failing class attribute leaves the rest of the class usable
      }
    }
  }
  for (const [k, v] of classScope.vars) cls.attrs.set(k, v);
  if (namedTuple) makeNamedTupleClass(c.ip, c.unit, st, cls);
  void decorators;
  c.scope.target(name).vars.set(name, { k: "class", cls });
}

export function execDecorated(c: Ctx, st: SyntaxNode, definingClass?: ClassObj): Completion {
  const decorators: string[] = [];
  let def: SyntaxNode | null = null;
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "Decorator") decorators.push(textOf(c.unit, ch).replace(/^@\s*/, "").trim());
    else if (ch.name === "FunctionDefinition" || ch.name === "ClassDefinition") def = ch;
  }
  if (!def) return NORMAL;
  if (def.name === "ClassDefinition") {
    execClass(c, def);
    const nameNode = def.getChild("VariableName");
    const made = nameNode ? c.scope.target(textOf(c.unit, nameNode)).vars.get(textOf(c.unit, nameNode)) : undefined;
    if (made?.k === "class" && decorators.some(isDataclassDecorator)) makeDataclass(c.ip, c.unit, def, made.cls);
    if (made && nameNode) c.scope.target(textOf(c.unit, nameNode)).vars.set(textOf(c.unit, nameNode), applyUserDecorators(c, st, made));
    return NORMAL;
  }
  const nameNode = def.getChild("VariableName");
  if (!nameNode) return NORMAL;
  const name = textOf(c.unit, nameNode);
  const fn = makeFunction(c, def, name, definingClass);
  const ip = c.ip;
  let value: Value = fn;
  if (decorators.includes("staticmethod")) {
    value = { k: "builtin", name: "staticmethod", call: (args, kwargs, site) => callValue(ip, fn, args, kwargs, site) };
  } else if (decorators.includes("classmethod")) {
    // bound to the class it is read from (see getAttr), or to an instance's class
    value = { k: "builtin", name: "classmethod", call: (args, kwargs, site, self) => callValue(ip, fn, [classOf(self, definingClass), ...args], kwargs, site) };
  } else if (decorators.includes("property")) {
    // attribute access on an instance calls the getter (see getAttr)
    value = { k: "builtin", name: "property", call: () => NONE, self: fn };
  } else value = applyUserDecorators(c, st, fn);
  c.scope.target(name).vars.set(name, value);
  return NORMAL;
}

/** The value a decorator line evaluates to (`@name`, `@a.b`, `@factory(args)`), or null when it cannot be evaluated. */
function decoratorValue(c: Ctx, dec: SyntaxNode): Value | null {
  let v: Value | null = null;
  try {
    for (let ch = dec.firstChild; ch; ch = ch.nextSibling) {
      if (ch.name === "At" || ch.name === "." || ch.name === "Comment") continue;
      if (ch.name === "VariableName") v = v === null ? lookupName(c, textOf(c.unit, ch), ch) : getAttr(c.ip, v, textOf(c.unit, ch), { unit: c.unit, node: ch });
      else if (ch.name === "ArgList" && v) {
        const { args, kwargs } = evalArgs(c, ch);
        v = callValue(c.ip, v, args, kwargs, { unit: c.unit, node: ch });
      } else return null;
    }
  } catch (e) {
    if (e instanceof PyError) return null;
    throw e;
  }
  return v;
}

/** Decorators written in the file (registries, wrappers) applied bottom-up to the class or function; others (torch.no_grad(), dataclass, ...) keep it as it is. */
function applyUserDecorators(c: Ctx, st: SyntaxNode, made: Value): Value {
  const decs = st.getChildren("Decorator").reverse();
  let v = made;
  for (const d of decs) {
    const f = decoratorValue(c, d);
    // user decorators run; of the library's, @abstractmethod marks the function
    const marker = f?.k === "builtin" && f.name === "abc.abstractmethod";
    if (!marker && (f?.k !== "func" || !f.fn.unit.isUser)) continue;
    try {
      const out = callValue(c.ip, f!, [v], [], { unit: c.unit, node: d });
      if (out.k !== "unknown" && out.k !== "none") v = out;
    } catch (e) {
      if (!(e instanceof PyError)) throw e;
    }
  }
  return v;
}

/** The class a classmethod receives: the class it was read from, or the class of the instance. */
function classOf(self: Value | undefined, definingClass: ClassObj | undefined): Value {
  if (self?.k === "class") return self;
  if (self?.k === "module") return { k: "class", cls: self.m.cls };
  if (self?.k === "instance") return { k: "class", cls: self.cls };
  return definingClass ? { k: "class", cls: definingClass } : NONE;
}
