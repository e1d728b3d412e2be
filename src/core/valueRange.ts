// Bounds of integer tensor values (token ids from torch.randint, positions from torch.arange): whether an embedding lookup is out of range.
import type { TensorMeta } from "./types";

/** How likely a random failure must be to be reported as one. */
const SURE = 0.999;

/**
 * Whether indexing a table of `n` rows with this tensor's values fails ("index out of range in self"):
 * known values or an arange: any of them outside [0, n); uniform draws (torch.randint): only when
 * some draw falls outside all but surely (1 - p_in^numel > 0.999), since a run sees one draw. Less
 * sure than that, no error is claimed (the lookup's shape does not depend on the values).
 */
export function indexOutOfRange(t: TensorMeta, n: number): boolean {
  if (t.values) return t.values.some((v) => v < 0 || v >= n);
  const r = t.range;
  if (!r || r.hi < r.lo) return false;
  if (r.lo >= 0 && r.hi < n) return false;
  if (!r.random) return true;
  if (!Array.isArray(t.shape) || !t.shape.every((d) => typeof d === "number")) return false;
  const numel = (t.shape as number[]).reduce((a, b) => a * b, 1);
  if (numel === 0) return false;
  const inside = Math.max(0, Math.min(r.hi, n - 1) - Math.max(r.lo, 0) + 1);
  const pIn = inside / (r.hi - r.lo + 1);
  return 1 - Math.pow(pIn, numel) > SURE;
}
