// Receptive fields by index spans (spec §4): the states tensors carry and the layer/op rules.
//
// A port of the oracle's receptive-field machinery (tools/oracle.py). Spans of conv/pool/pad/crop
// chains are kept in closed form (position o reads input j*o+a .. j*o+b), which needs neither
// arrays nor concrete sizes, so symbolic inputs get exact numbers there; after an upsampling,
// adaptive pool or misaligned merge, spans are computed per position, lazily and within limits
// (such a layer on a symbolic or unknown size, or a size beyond 1e6, is "unknown").
import { isTensor, type DType, type Output } from "../types";
import { releaseSpanCaches } from "./spans";
import { InState, MISSING, rfReport, type RfReport, type RfState } from "./state";

export { FlatState, GLOBAL, InState, MISSING, SpState, UNKNOWN, rfReport, spatialish } from "./state";
export type { RfReport, RfState, RfValue } from "./state";
export { stateOf, withRf } from "./stateOf";
export { layerRf, LAYER_RF_RULES } from "./layers";
export { opRf } from "./ops";
export type { SliceIndex } from "./getitem";
export { Fraction } from "./fraction";

/**
 * The state of a model input: float inputs may be images (spatial once a spatial layer reads
 * them). A new forward starts here, so span caches of earlier analyses are let go.
 */
export function inputRfState(dtype: DType): RfState {
  releaseSpanCaches();
  return dtype === "float" ? new InState() : null;
}

/** Whether an op result carries no state (leave the output's `rf` unset). */
export function isMissing(state: RfState): boolean {
  return state === MISSING;
}

/**
 * A layer's (rf, jump) as the report shows it, at the end of the forward: only a layer whose
 * output is one tensor has them (the oracle reports null for tuple outputs such as
 * MultiheadAttention's, though the tensors in them carry the state).
 */
export function layerReport(state: RfState, output: Output): RfReport {
  return isTensor(output) ? rfReport(state) : { rf: null, jump: null };
}
