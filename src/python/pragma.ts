// The input-shape pragma: `# shape-lens: input=(1, 3, 32, 32)`, several shapes, named (symbolic) dims.

const PRAGMA = /#\s*shape-lens:\s*input\s*=\s*(.+)$/;

/** The shapes a pragma line declares, or null when the line has none. */
export function parsePragma(line: string): (number | string)[][] | null {
  const m = PRAGMA.exec(line);
  if (!m) return null;
  const shapes: (number | string)[][] = [];
  for (const grp of m[1].matchAll(/\(([^()]*)\)/g)) {
    const dims: (number | string)[] = [];
    for (const tok of grp[1].split(",")) {
      const t = tok.trim();
      if (!t) continue;
      const n = /^-?\d+$/.test(t) ? Number(t) : null;
      if (n !== null && (!Number.isSafeInteger(n) || n < 0)) return null; // not a size (past 2^53 it would be rounded)
      dims.push(n ?? t);
    }
    shapes.push(dims);
  }
  return shapes.length > 0 ? shapes : null;
}

/** The pragma on a model's line (1-based) or the line above it. */
export function findPragma(lines: readonly string[], line: number): (number | string)[][] | null {
  for (const ln of [line, line - 1]) {
    if (ln >= 1 && ln <= lines.length) {
      const p = parsePragma(lines[ln - 1]);
      if (p) return p;
    }
  }
  return null;
}
