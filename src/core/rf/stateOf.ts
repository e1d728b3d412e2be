// Reading and attaching the receptive-field state a tensor carries in its `rf` field.
import { isTensor, type ArgValue, type Output, type TensorMeta } from "../types";
import { FlatState, GLOBAL, InState, MISSING, SpState, UNKNOWN, type RfState } from "./state";

function isState(v: unknown): v is RfState {
  return v === null || v === GLOBAL || v === UNKNOWN || v instanceof InState || v instanceof SpState || v instanceof FlatState;
}

/** The state a tensor carries; MISSING for non-tensors and tensors without one (parameters, constants). */
export function stateOf(t: TensorMeta | unknown): RfState {
  if (!isTensor(t)) return MISSING;
  const rf = t.rf;
  return rf !== undefined && isState(rf) ? rf : MISSING;
}

/**
 * The output with `rf` set on every tensor in it (tuples walked), the same state object on
 * each; MISSING leaves the output as it is.
 */
export function withRf<T extends Output | ArgValue>(out: T, state: RfState): T {
  if (state === MISSING) return out;
  if (isTensor(out)) return { ...(out as TensorMeta), rf: state } as T;
  if (Array.isArray(out)) return (out as readonly (Output | ArgValue)[]).map((o) => withRf(o, state)) as unknown as T;
  return out;
}
