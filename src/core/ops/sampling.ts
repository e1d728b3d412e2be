// Spatial transformers: F.affine_grid (a sampling grid from affine matrices) and F.grid_sample (sampling a tensor at a grid).
import { format, type Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, seqKindOf, type ArgValue } from "../types";
import { failure, fmtList, intList, isBad, tensorOf, tensorShape, unknownTensor } from "./common";
import { defineOp } from "./define";
import type { OpRule } from "./rule";

const sizeText = (ds: readonly Dim[]) => `torch.Size([${ds.map((d) => format(d)).join(", ")}])`;

/** The size argument as Python prints it: a list, a tuple or a torch.Size. */
function givenText(v: ArgValue, ds: readonly Dim[]): string {
  const kind = Array.isArray(v) ? seqKindOf(v as readonly ArgValue[]) : undefined;
  const items = ds.map((d) => format(d)).join(", ");
  if (kind === "list") return `[${items}]`;
  if (kind === "tuple") return ds.length === 1 ? `(${items},)` : `(${items})`;
  return sizeText(ds);
}
const differ = (a: Dim, b: number) => typeof a === "number" && a !== b;

/** affine_grid(theta (N, 2, 3), size (N, C, H, W)) -> (N, H, W, 2); (N, 3, 4) with a 5-d size -> (N, D, H, W, 3). */
const AFFINE_GRID = defineOp({
  name: "affine_grid",
  namespaces: ["F"],
  signature: sig("theta", "size", ["align_corners", null]),
  cost: "none",
  output(args) {
    const theta = tensorShape(args, "theta", "affine_grid");
    if (isBad(theta)) return isUnknown(theta) ? unknownTensor(theta.reason) : theta;
    const size = intList(args.size, "size");
    if (isBad(size)) return isUnknown(size) ? unknownTensor(size.reason, theta.t.dtype) : size;
    if (theta.t.dtype !== "float") {
      return failure(`ValueError: Expected theta to have floating point type, but got torch.${theta.t.dtype === "long" ? "int64" : theta.t.dtype}`, "bad-argument");
    }
    const th = theta.shape;
    if (size.length !== 4 && size.length !== 5) {
      return failure(`NotImplementedError: affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${givenText(args.size, size)}.`, "bad-argument");
    }
    const nd = size.length - 2;
    if (th.length !== 3 || differ(th[1], nd) || differ(th[2], nd + 1)) {
      const what = nd === 2 ? "2D affine matrices of shape Nx2x3" : "3D affine matrices of shape Nx3x4";
      return failure(`ValueError: Expected a batch of ${what} for size ${givenText(args.size, size)}. Got ${sizeText(th)}.`, "shape-mismatch");
    }
    if (size.some((d) => typeof d === "number" && d <= 0)) return failure(`ValueError: Expected non-zero, positive output size. Got ${givenText(args.size, size)}`, "bad-argument");
    if (typeof th[0] === "number" && typeof size[0] === "number" && th[0] !== size[0]) {
      return failure(`Expected size for first two dimensions of batch2 tensor to be: [${size[0]}, ${nd + 1}] but got: [${th[0]}, ${nd + 1}].`, "shape-mismatch");
    }
    return tensorOf([size[0], ...size.slice(2), nd], theta.t.dtype);
  },
});

/** grid_sample(input (N, C, H, W), grid (N, Ho, Wo, 2)) -> (N, C, Ho, Wo); the 5-d form alike with 3 coordinates. */
const GRID_SAMPLE = defineOp({
  name: "grid_sample",
  namespaces: ["F"],
  signature: sig("input", "grid", ["mode", "bilinear"], ["padding_mode", "zeros"], ["align_corners", null]),
  cost: "none",
  output(args) {
    const x = tensorShape(args, "input", "grid_sample");
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    const g = tensorShape(args, "grid", "grid_sample");
    if (isBad(g)) return isUnknown(g) ? unknownTensor(g.reason, x.t.dtype) : g;
    const mode = args.mode;
    if (typeof mode === "string" && !["bilinear", "nearest", "bicubic"].includes(mode)) {
      return failure(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`, "bad-argument");
    }
    const pm = args.padding_mode;
    if (typeof pm === "string" && !["zeros", "border", "reflection"].includes(pm)) {
      return failure(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${pm}'`, "bad-argument");
    }
    const xs = x.shape;
    const gs = g.shape;
    const sizes = `input with sizes ${fmtList(xs)} and grid with sizes ${fmtList(gs)}`;
    if ((xs.length !== 4 && xs.length !== 5) || gs.length !== xs.length) {
      return failure(`grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got ${sizes}`, "shape-mismatch");
    }
    if (typeof xs[0] === "number" && typeof gs[0] === "number" && xs[0] !== gs[0]) {
      return failure(`grid_sampler(): expected grid and input to have same batch size, but got ${sizes}`, "shape-mismatch");
    }
    const nd = xs.length - 2;
    if (differ(gs[gs.length - 1], nd)) {
      return failure(`grid_sampler(): expected grid to have size ${nd} in last dimension, but got grid with sizes ${fmtList(gs)}`, "shape-mismatch");
    }
    if (mode === "bicubic" && nd === 3) return failure("grid_sampler(): bicubic interpolation only supports 4D input", "bad-argument");
    return tensorOf([xs[0], xs[1], ...gs.slice(1, -1)], x.t.dtype);
  },
});

export const SAMPLING_OPS: readonly OpRule[] = [AFFINE_GRID, GRID_SAMPLE];
