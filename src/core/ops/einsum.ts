// torch.einsum's output shape (labels, ellipsis broadcasting, implicit output); no FLOPs rule in spec v1.
import { equal, format, type Dim } from "../dim";
import { isTensor, isUnknown, type ArgValue, type Args, type Output } from "../types";
import { broadcastAll } from "./broadcast";
import { failure, isBad, promote, tensorOf, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp } from "./define";

type Label = string; // a letter, or "..." for the ellipsis

function parseTerm(term: string, offset: number): Label[] | Failure {
  const out: Label[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith("...", i)) {
      if (out.includes("...")) return failure("einsum(): found more than one ellipsis ('...') in an operand");
      out.push("...");
      i += 2;
    } else if (/[a-zA-Z]/.test(term[i])) out.push(term[i]);
    else {
      return failure(
        `einsum(): invalid subscript given at index ${offset + i} in the equation string, subscripts must be in [a-zA-Z]`,
        "bad-argument",
      );
    }
  }
  return out;
}

function einsumShape(args: Args): Output | Failure {
  const eq = args.equation;
  if (typeof eq !== "string") return unknownTensor("einsum with an equation that is not a known string");
  let ops = Array.isArray(args.operands) ? (args.operands as readonly ArgValue[]) : [];
  if (ops.length === 1 && Array.isArray(ops[0])) ops = ops[0] as readonly ArgValue[];
  const shapes: Shape[] = [];
  for (const o of ops) {
    if (isUnknown(o)) return unknownTensor(o.reason);
    if (!isTensor(o)) return failure("einsum(): operands must be tensors", "bad-argument");
    if (isUnknown(o.shape)) return unknownTensor(o.shape.reason);
    shapes.push(o.shape);
  }
  const dtype = promote(...ops.filter(isTensor).map((t) => t.dtype));
  const text = eq.replace(/\s+/g, "");
  const arrow = text.indexOf("->");
  const lhs = arrow >= 0 ? text.slice(0, arrow) : text;
  const terms = lhs.split(",");
  if (terms.length < shapes.length) return failure("einsum(): more operands were provided than specified in the equation");
  if (terms.length > shapes.length) return failure("einsum(): fewer operands were provided than specified in the equation");
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  const ellipses: Shape[] = [];
  let offset = 0;
  for (let n = 0; n < terms.length; n++) {
    const labels = parseTerm(terms[n], offset);
    offset += terms[n].length + 1;
    if (isBad(labels)) return labels;
    const shape = shapes[n];
    const letters = labels.filter((l) => l !== "...").length;
    const hasEll = labels.includes("...");
    if (!hasEll && letters !== shape.length) {
      return failure(
        `einsum(): the number of subscripts in the equation (${letters}) does not match the number of dimensions (${shape.length}) for operand ${n} and no ellipsis was given`,
      );
    }
    if (hasEll && letters > shape.length) {
      return failure(
        `einsum(): the number of subscripts in the equation (${letters}) is more than the number of dimensions (${shape.length}) for operand ${n}`,
      );
    }
    let axis = 0;
    for (const l of labels) {
      if (l === "...") {
        const span = shape.length - letters;
        ellipses.push(shape.slice(axis, axis + span));
        axis += span;
        continue;
      }
      const size = shape[axis++];
      counts.set(l, (counts.get(l) ?? 0) + 1);
      const seen = sizes.get(l);
      if (seen === undefined || seen === 1 || (typeof seen !== "number" && typeof size === "number")) sizes.set(l, size);
      else if (size !== 1 && equal(seen, size) === false && typeof seen === "number" && typeof size === "number") {
        return failure(
          `einsum(): subscript ${l} has size ${format(size)} for operand ${n} which does not broadcast with previously seen size ${format(seen)}`,
        );
      }
    }
  }
  const ell = broadcastAll(ellipses);
  if (isBad(ell)) return ell;
  let outLabels: Label[];
  if (arrow >= 0) {
    const parsed = parseTerm(text.slice(arrow + 2), arrow + 2);
    if (isBad(parsed)) return parsed;
    outLabels = parsed;
  } else {
    const once = [...counts.entries()].filter(([, c]) => c === 1).map(([l]) => l);
    once.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    outLabels = [...(ellipses.length > 0 ? ["..."] : []), ...once];
  }
  const out: Dim[] = [];
  for (const l of outLabels) {
    if (l === "...") out.push(...ell);
    else {
      const size = sizes.get(l);
      if (size === undefined) return failure(`einsum(): output subscript ${l} does not appear in the equation for any input operand`);
      out.push(size);
    }
  }
  return tensorOf(out, dtype);
}

export const EINSUM = defineOp({
  name: "einsum",
  namespaces: ["torch"],
  signature: { params: [{ name: "equation" }], varargs: "operands" },
  cost: "none",
  output: einsumShape,
});
