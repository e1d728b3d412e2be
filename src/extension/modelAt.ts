// Which model the cursor is in: the top-level statement (class or assignment) of each model, from the lezer tree (vscode-free).
import { parseBlock, splitBlocks } from "../python/source";

export interface ModelSpan {
  /** Offsets of the model's name (ModelAnalysis.from/to). */
  readonly from: number;
  readonly to: number;
}

/** The document range [from, to) of the top-level statement that defines each model (class body included). */
export function modelStatementRanges(text: string, models: readonly ModelSpan[]): { from: number; to: number }[] {
  const blocks = splitBlocks(text);
  return models.map((m) => {
    const block = blocks.find((b) => m.from >= b.offset && m.from < b.offset + b.text.length);
    if (!block) return { from: m.from, to: m.to };
    const { tree } = parseBlock(block.text);
    const at = m.from - block.offset;
    for (let st = tree.topNode.firstChild; st; st = st.nextSibling) {
      if (st.from <= at && at < st.to) return { from: block.offset + st.from, to: block.offset + st.to };
    }
    return { from: m.from, to: m.to };
  });
}

/** Index of the model whose statement contains `offset`, or -1. */
export function modelIndexAt(text: string, models: readonly ModelSpan[], offset: number): number {
  const ranges = modelStatementRanges(text, models);
  let best = -1;
  ranges.forEach((r, i) => {
    if (r.from <= offset && offset <= r.to && (best < 0 || r.to - r.from < ranges[best].to - ranges[best].from)) best = i;
  });
  return best;
}

/** Index of the last model that starts at or before `offset` (to preselect in a picker), or -1. */
export function modelIndexBefore(models: readonly ModelSpan[], offset: number): number {
  let best = -1;
  models.forEach((m, i) => {
    if (m.from <= offset && (best < 0 || m.from >= models[best].from)) best = i;
  });
  return best;
}
