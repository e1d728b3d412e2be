// Calling a module (module(*args) runs forward) and, while tracing, recording the call as a trace entry with its cost.
import { isUnknown, unknown, type CostOrUnknown } from "../core/types";
import { bindMethod, callValue } from "./calls";
import { shapeJson, tensorsIn, toArg } from "./convert";
import { PyError } from "./errors";
import { lookupClassAttr, type Interp } from "./interp";
import { memoDriverCall } from "./drivermemo";
import type { CallFrame, Entry } from "./trace";
import { addNode, collapseSince, costFields } from "./graph";
import type { CallSite, ModuleObj, Value } from "./values";
import { formatShape } from "../core/format";
import { layerClassOf } from "./modules";
import { firstOutputShape } from "../core/layers/util";
import { withHooks } from "./hooks";
import { swappedClassName } from "./stateless";
import { normHookOps } from "./nnutils";

/** Layer families costed by what the module is (isinstance), whatever its forward does (spec §3's layer rules). */
const COSTED_AS_LAYER =
  /^((Lazy)?(Conv|ConvTranspose)[123]d|(Lazy)?Linear|NonDynamicallyQuantizableLinear|Bilinear|(Max|Avg|AdaptiveMax|AdaptiveAvg)Pool[123]d|(Lazy)?BatchNorm[123]d|SyncBatchNorm|LayerNorm|GroupNorm|(Lazy)?InstanceNorm[123]d|Upsample|Upsampling(Nearest|Bilinear)2d|(RNN|LSTM|GRU)(Cell)?)$/;

/** Of those, the ones whose rule counts a fixed cost per output element (ConvTranspose: its bias adds). */
const COSTED_PER_OUTPUT = /^((Lazy)?Conv[123]d|(Lazy)?Linear|NonDynamicallyQuantizableLinear|(Max|Avg)Pool[123]d|(Lazy)?BatchNorm[123]d|SyncBatchNorm|LayerNorm|GroupNorm|(Lazy)?InstanceNorm[123]d|Upsample|Upsampling(Nearest|Bilinear)2d)$/;

/** numel of a fully known shape, else null. */
export function knownNumel(shape: unknown): number | null {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number")) return null;
  return (shape as number[]).reduce((a, b) => a * b, 1);
}

/**
 * PyTorch's layer rules read `out.numel()`: a subclass whose forward changes the output size around
 * its layer's computation (pads the input before `F.conv2d`, crops `super().forward(x)`) costs the
 * per-output part of its rule for the output it really gave, not the one its rule computed.
 */
function perRealOutput(m: ModuleObj, cost: CostOrUnknown, ruleOn: number | null | undefined, out: Value | null): CostOrUnknown {
  const name = layerClassOf(m)?.name ?? "";
  const transposed = /^(Lazy)?ConvTranspose[123]d$/.test(name);
  if (isUnknown(cost) || !ruleOn || !out || !(transposed || COSTED_PER_OUTPUT.test(name))) return cost;
  const real = tensorsIn(out)[0];
  const realOn = real ? knownNumel(real.t.shape) : null;
  if (realOn === null || realOn === ruleOn) return cost;
  const scale = (n: number): number => Math.round((n / ruleOn) * realOn);
  // ConvTranspose: MACs follow the input; only the bias FLOPs (one per output) follow the output
  if (transposed) return { macs: cost.macs, flops: 2 * cost.macs + scale(cost.flops - 2 * cost.macs) };
  return { macs: scale(cost.macs), flops: scale(cost.flops) };
}

/**
 * A user subclass of such a layer with its own forward (`class StdConv2d(nn.Conv2d)` standardizing
 * its weight) costs what its layer's rule gives for the call's inputs, not the ops its forward runs.
 */
function subclassRuleCost(m: ModuleObj, inputs: Value[], out: Value | null): CostOrUnknown | null {
  const cls = layerClassOf(m);
  const rule = cls?.rule;
  if (!cls || !rule || !m.args || cls === m.cls || !COSTED_AS_LAYER.test(cls.name)) return null;
  const res = rule.forward(m.args, { inputs: inputs.map(toArg), kwargs: {} });
  if (res.problems.some((p) => p.severity === "error")) return null;
  return perRealOutput(m, res.cost, knownNumel(firstOutputShape(res.output)), out);
}

function firstTensorShape(args: Value[], kwargs: [string, Value][]): string | undefined {
  const ts = tensorsIn({ k: "tuple", items: [...args, ...kwargs.map(([, v]) => v)] });
  if (ts.length === 0) return undefined;
  const s = ts[0].t.shape;
  return Array.isArray(s) ? formatShape(s) : undefined;
}

/** module(*args): run forward; while tracing, record the call as an entry when it calls no child module. */
export function callModule(ip: Interp, m: ModuleObj, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const driverCall = !ip.trace && ip.moduleCallDepth === 0 && ip.moduleMethodDepth === 0;
  if (driverCall) ip.noteTopCall(m, args, kwargs);
  const forward = lookupClassAttr(m.cls, "forward");
  if (!forward) return ip.raise("NotImplementedError", `Module [${m.cls.name}] is missing the required "forward" function`);
  const trace = ip.trace;
  const frame: CallFrame | null = trace ? { module: m, isRoot: trace.stack.length === 0, childCalls: 0, ops: [], graphStart: trace.graph.nodes.length } : null;
  if (trace && frame) {
    const parent = trace.stack[trace.stack.length - 1];
    if (parent) parent.childCalls++;
    trace.stack.push(frame);
    for (const op of normHookOps(m)) frame.ops.push({ name: op, cost: unknown(`weight_norm's or spectral_norm's pre-hook recomputes the weight with ${op} (no FLOPs rule)`) });
  }
  ip.moduleCallDepth++;
  let out: Value;
  try {
    const run = (): Value => withHooks(ip, m, args, site, (a) => callValue(ip, bindMethod(forward, { k: "module", m }), a, kwargs, site));
    out = driverCall ? memoDriverCall(ip, m, args, kwargs, run) : run();
  } catch (e) {
    // errors of a driver call's forward are reported when the model itself is analysed
    if (driverCall && e instanceof PyError) e.inForward = true;
    if (e instanceof PyError && !e.module) {
      e.module = m;
      e.moduleInput = firstTensorShape(args, kwargs);
      if (trace && frame && !frame.isRoot && frame.childCalls === 0) trace.entries.push(makeEntry(ip, m, null, frame, args, true));
    }
    throw e;
  } finally {
    ip.moduleCallDepth--;
    if (trace) trace.stack.pop();
  }
  if (trace && frame) {
    // a model that is itself a layer (`class MyLinear(nn.Linear): pass`): its forward's functional op is its rule's cost
    if (frame.isRoot && frame.childCalls === 0 && frame.ruleCost !== undefined) trace.totalOps.push({ name: m.cls.name, cost: frame.ruleCost });
    else if (frame.isRoot || frame.childCalls > 0) trace.totalOps.push(...frame.ops);
    else {
      const entry = makeEntry(ip, m, out, frame, args, false);
      trace.entries.push(entry);
      collapseSince(trace, frame.graphStart);
      addNode(
        trace,
        {
          kind: "module",
          label: entry.type,
          path: entry.path,
          // a module built inside forward has no path: the module whose forward called it
          ...(entry.scope !== undefined ? { scope: entry.scope } : {}),
          entry: trace.entries.length - 1,
          output: shapeJson(out),
          ...costFields(entry.cost),
          line: m.line,
          from: m.from,
          to: m.to,
        },
        [...args, ...kwargs.map(([, v]) => v)],
        out,
      );
    }
  }
  return out;
}

/** Dotted path of the innermost running module that the model holds ("" for the model's own forward). */
function callerPath(trace: NonNullable<Interp["trace"]>): string {
  for (let i = trace.stack.length - 1; i >= 0; i--) {
    const p = trace.names.get(trace.stack[i].module.id);
    if (p !== undefined) return p;
  }
  return "";
}

function makeEntry(ip: Interp, m: ModuleObj, out: Value | null, frame: CallFrame, inputs: Value[], failed: boolean): Entry {
  const trace = ip.trace!;
  let cost = frame.ruleCost !== undefined ? perRealOutput(m, frame.ruleCost, frame.ruleOn, out) : failed ? null : subclassRuleCost(m, inputs, out);
  let unknownOps: string[] | undefined;
  if (!failed && cost === null) {
    const bad = frame.ops.filter((o) => isUnknown(o.cost));
    if (bad.length > 0) {
      unknownOps = [...new Set(bad.map((o) => o.name))].sort();
      cost = { kind: "unknown", reason: `no FLOPs rule for ${unknownOps.join(", ")}` };
    } else {
      let macs = 0;
      let flops = 0;
      for (const o of frame.ops) {
        const c = o.cost as { macs: number; flops: number };
        macs += c.macs;
        flops += c.flops;
      }
      cost = { macs, flops };
    }
  }
  const path = trace.names.get(m.id) ?? null;
  return {
    module: m,
    path,
    // a module built inside forward is not in named_modules(): where it was called from
    ...(path === null ? { scope: callerPath(trace) } : {}),
    type: swappedClassName.get(m) ?? m.cls.name,
    output: out,
    cost: failed ? null : cost,
    // only a single-tensor output has a receptive field in the report (tuples report null)
    rfState: out && out.k === "tensor" ? out.t.rf ?? null : null,
    error: failed,
    inputs,
    unknownOps,
  };
}
