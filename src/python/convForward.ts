// Conv1d/2d/3d._conv_forward(input, weight, bias): the call nn.ConvNd.forward makes, run as F.pad + F.convNd with the layer's settings.
import { findOp } from "../core/ops";
import { fromOutput } from "./convert";
import { layerClassOf } from "./modules";
import { applyOp } from "./tensorOps";
import type { Interp } from "./interp";
import type { ModuleObj, Value } from "./values";

/** PyTorch's `_reversed_padding_repeated_twice` for a padding of ints or 'same'/'valid' (F.pad's order: last dim first). */
function padAmounts(nd: number, args: ModuleObj["args"]): number[] | undefined {
  const seq = (v: unknown): number[] | undefined =>
    typeof v === "number" ? Array<number>(nd).fill(v) : Array.isArray(v) && v.every((x) => typeof x === "number") ? (v as number[]) : undefined;
  const k = seq(args?.kernel_size);
  const d = seq(args?.dilation);
  const pairs: [number, number][] = [];
  if (args?.padding === "valid") return Array<number>(2 * nd).fill(0);
  if (args?.padding === "same") {
    if (!k || !d) return undefined;
    for (let i = 0; i < nd; i++) {
      const total = d[i] * (k[i] - 1);
      pairs.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
    }
  } else {
    const p = seq(args?.padding);
    if (!p) return undefined;
    for (const x of p) pairs.push([x, x]);
  }
  return pairs.reverse().flat();
}

/** The bound `_conv_forward` of a ConvNd layer, or undefined for other modules. */
export function convForwardMethod(ip: Interp, m: ModuleObj): Value | undefined {
  const nd = /^(?:Lazy)?Conv([123])d$/.exec(layerClassOf(m)?.name ?? "")?.[1];
  if (!nd || !m.args) return undefined;
  const a = m.args;
  const conv = findOp("F", `conv${nd}d`);
  const pad = findOp("F", "pad");
  if (!conv || !pad) return undefined;
  return {
    k: "builtin",
    name: "_conv_forward",
    call: (args, kwargs, site) => {
      const [input, weight, bias] = [args[0], args[1], args[2]].map((v, i) => v ?? kwargs.find(([n]) => n === ["input", "weight", "bias"][i])?.[1] ?? { k: "none" } as Value);
      const settings = (padding: Value): [string, Value][] => [
        ["stride", fromOutput(a.stride ?? 1)],
        ["padding", padding],
        ["dilation", fromOutput(a.dilation ?? 1)],
        ["groups", fromOutput(a.groups ?? 1)],
      ];
      if (a.padding_mode === undefined || a.padding_mode === "zeros") return applyOp(ip, conv, [input, weight, bias], settings(fromOutput(a.padding ?? 0)), site);
      const amounts = padAmounts(Number(nd), a);
      if (!amounts) return { k: "unknown", reason: "the layer's padding is not known" };
      const padded = applyOp(ip, pad, [input, fromOutput(amounts)], [["mode", fromOutput(a.padding_mode)]], site);
      return applyOp(ip, conv, [padded, weight, bias], settings({ k: "int", v: 0 }), site);
    },
  };
}
