// torchvision 0.14's detection ops (torchvision.ops: box ops, roi_align / roi_pool, nms) as Python source over native kernels.
import type { Dim } from "../core/dim";
import { defineOp, noRule } from "../core/ops/define";
import { failure, intArg, isBad, tensorOf, tensorShape, unknownTensor } from "../core/ops/common";
import type { OpRule } from "../core/ops/rule";
import { sig } from "../core/signature";
import { isUnknown, unknown, type Args, type Output } from "../core/types";
import type { Failure } from "../core/ops/common";
import type { Interp } from "./interp";
import { applyOp } from "./tensorOps";
import type { Scope } from "./values";

/** torch.ops.torchvision.roi_align / roi_pool: (K, C, pooled_height, pooled_width) for rois Tensor[K, 5] over an (N, C, H, W) input. */
function roiShape(fname: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const r = tensorShape(args, "rois", fname);
  if (isBad(r)) return isUnknown(r) ? unknownTensor(r.reason, x.t.dtype) : r;
  if (x.shape.length !== 4) return failure(`${fname}: input must be a 4-D (N, C, H, W) tensor, got ${x.shape.length}-D`);
  if (r.shape.length !== 2 || (typeof r.shape[1] === "number" && r.shape[1] !== 5)) return failure("rois must have shape as Tensor[K, 5]");
  const ph = intArg(args.pooled_height, "pooled_height");
  const pw = intArg(args.pooled_width, "pooled_width");
  if (isBad(ph)) return isUnknown(ph) ? unknownTensor(ph.reason, x.t.dtype) : ph;
  if (isBad(pw)) return isUnknown(pw) ? unknownTensor(pw.reason, x.t.dtype) : pw;
  const out: Dim[] = [r.shape[0], x.shape[1], ph, pw];
  return tensorOf(out, x.t.dtype);
}

const ROI_ALIGN = defineOp({
  name: "roi_align",
  namespaces: [],
  signature: sig("input", "rois", "spatial_scale", "pooled_height", "pooled_width", "sampling_ratio", "aligned"),
  cost: "none",
  output: (args) => roiShape("roi_align", args),
});

/** roi_pool's kernel returns (output, argmax). */
const ROI_POOL = defineOp({
  name: "roi_pool",
  namespaces: [],
  signature: sig("input", "rois", "spatial_scale", "pooled_height", "pooled_width"),
  cost: "none",
  output(args) {
    const o = roiShape("roi_pool", args);
    if (!Array.isArray(o) && typeof o === "object" && o !== null && "shape" in o) return [o, tensorOf(o.shape, "long")];
    return o;
  },
});

/** nms keeps a data-dependent number of boxes: 1-D long of unknown length. */
const NMS = defineOp({
  name: "nms",
  namespaces: [],
  signature: sig("boxes", "scores", "iou_threshold"),
  cost: (_a, _o) => noRule("nms"),
  output(args) {
    const b = tensorShape(args, "boxes", "nms");
    if (isBad(b)) return isUnknown(b) ? unknownTensor(b.reason, "long") : b;
    if (b.shape.length !== 2 || (typeof b.shape[1] === "number" && b.shape[1] !== 4)) {
      return failure(`boxes should have 4 elements in dimension 1, got ${String(b.shape[1] ?? b.shape.length)}`);
    }
    return tensorOf([unknown("the number of boxes nms keeps")], "long");
  },
});

const KERNELS: readonly OpRule[] = [ROI_ALIGN, ROI_POOL, NMS];

/** The kernels as the source's `_C_<name>` functions. */
export function bindKernels(ip: Interp, scope: Scope): void {
  for (const rule of KERNELS) {
    scope.vars.set(`_C_${rule.name}`, { k: "builtin", name: rule.name, call: (args, kwargs, site) => applyOp(ip, rule, args, kwargs, site) });
  }
}

/** The public names of torchvision.ops that the source defines. */
export const TV_OPS_NAMES = ["roi_align", "roi_pool", "RoIAlign", "RoIPool", "nms", "batched_nms", "box_area", "box_iou",
  "generalized_box_iou", "box_convert", "clip_boxes_to_image", "remove_small_boxes"];

/** torchvision.ops.feature_pyramid_network's names. */
export const TV_FPN_NAMES = ["FeaturePyramidNetwork", "ExtraFPNBlock", "LastLevelMaxPool", "LastLevelP6P7"];

/** torchvision/ops/{feature_pyramid_network,boxes,_box_convert,_utils,roi_align,roi_pool}.py, cut down to what shapes and counts need. */
export const TV_OPS_SOURCE = `

class ExtraFPNBlock(nn.Module):
    def forward(self, results, x, names):
        pass


class FeaturePyramidNetwork(nn.Module):
    _version = 2

    def __init__(self, in_channels_list, out_channels, extra_blocks=None, norm_layer=None):
        super().__init__()
        self.inner_blocks = nn.ModuleList()
        self.layer_blocks = nn.ModuleList()
        for in_channels in in_channels_list:
            if in_channels == 0:
                raise ValueError("in_channels=0 is currently not supported")
            inner_block_module = Conv2dNormActivation(
                in_channels, out_channels, kernel_size=1, padding=0, norm_layer=norm_layer, activation_layer=None
            )
            layer_block_module = Conv2dNormActivation(
                out_channels, out_channels, kernel_size=3, norm_layer=norm_layer, activation_layer=None
            )
            self.inner_blocks.append(inner_block_module)
            self.layer_blocks.append(layer_block_module)
        if extra_blocks is not None:
            if not isinstance(extra_blocks, ExtraFPNBlock):
                raise TypeError(f"extra_blocks should be of type ExtraFPNBlock not {type(extra_blocks)}")
        self.extra_blocks = extra_blocks

    def get_result_from_inner_blocks(self, x, idx):
        num_blocks = len(self.inner_blocks)
        if idx < 0:
            idx += num_blocks
        out = x
        for i, module in enumerate(self.inner_blocks):
            if i == idx:
                out = module(x)
        return out

    def get_result_from_layer_blocks(self, x, idx):
        num_blocks = len(self.layer_blocks)
        if idx < 0:
            idx += num_blocks
        out = x
        for i, module in enumerate(self.layer_blocks):
            if i == idx:
                out = module(x)
        return out

    def forward(self, x):
        names = list(x.keys())
        x = list(x.values())
        last_inner = self.get_result_from_inner_blocks(x[-1], -1)
        results = []
        results.append(self.get_result_from_layer_blocks(last_inner, -1))
        for idx in range(len(x) - 2, -1, -1):
            inner_lateral = self.get_result_from_inner_blocks(x[idx], idx)
            feat_shape = inner_lateral.shape[-2:]
            inner_top_down = F.interpolate(last_inner, size=feat_shape, mode="nearest")
            last_inner = inner_lateral + inner_top_down
            results.insert(0, self.get_result_from_layer_blocks(last_inner, idx))
        if self.extra_blocks is not None:
            results, names = self.extra_blocks(results, x, names)
        out = OrderedDict([(k, v) for k, v in zip(names, results)])
        return out


class LastLevelMaxPool(ExtraFPNBlock):
    def forward(self, x, y, names):
        names.append("pool")
        x.append(F.max_pool2d(x[-1], 1, 2, 0))
        return x, names


class LastLevelP6P7(ExtraFPNBlock):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.p6 = nn.Conv2d(in_channels, out_channels, 3, 2, 1)
        self.p7 = nn.Conv2d(out_channels, out_channels, 3, 2, 1)
        self.use_P5 = in_channels == out_channels

    def forward(self, p, c, names):
        p5, c5 = p[-1], c[-1]
        x = p5 if self.use_P5 else c5
        p6 = self.p6(x)
        p7 = self.p7(F.relu(p6))
        p.extend([p6, p7])
        names.extend(["p6", "p7"])
        return p, names


def _tv_pair(x):
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x, x)


def _tv_cat(tensors, dim=0):
    if len(tensors) == 1:
        return tensors[0]
    return torch.cat(tensors, dim)


def convert_boxes_to_roi_format(boxes):
    concat_boxes = _tv_cat([b for b in boxes], dim=0)
    temp = []
    for i, b in enumerate(boxes):
        temp.append(torch.full_like(b[:, :1], i))
    ids = _tv_cat(temp, dim=0)
    rois = torch.cat([ids, concat_boxes], dim=1)
    return rois


def check_roi_boxes_shape(boxes):
    if isinstance(boxes, (list, tuple)):
        for _tensor in boxes:
            if not _tensor.size(1) == 4:
                raise AssertionError("The shape of the tensor in the boxes list is not correct as List[Tensor[L, 4]]")
    elif isinstance(boxes, torch.Tensor):
        if not boxes.size(1) == 5:
            raise AssertionError("The boxes tensor shape is not correct as Tensor[K, 5]")
    else:
        raise AssertionError("boxes is expected to be a Tensor[L, 5] or a List[Tensor[K, 4]]")


def roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    check_roi_boxes_shape(boxes)
    rois = boxes
    output_size = _tv_pair(output_size)
    if not isinstance(rois, torch.Tensor):
        rois = convert_boxes_to_roi_format(rois)
    return _C_roi_align(input, rois, spatial_scale, output_size[0], output_size[1], sampling_ratio, aligned)


class RoIAlign(nn.Module):
    def __init__(self, output_size, spatial_scale, sampling_ratio, aligned=False):
        super().__init__()
        self.output_size = output_size
        self.spatial_scale = spatial_scale
        self.sampling_ratio = sampling_ratio
        self.aligned = aligned

    def forward(self, input, rois):
        return roi_align(input, rois, self.output_size, self.spatial_scale, self.sampling_ratio, self.aligned)


def roi_pool(input, boxes, output_size, spatial_scale=1.0):
    check_roi_boxes_shape(boxes)
    rois = boxes
    output_size = _tv_pair(output_size)
    if not isinstance(rois, torch.Tensor):
        rois = convert_boxes_to_roi_format(rois)
    output, _ = _C_roi_pool(input, rois, spatial_scale, output_size[0], output_size[1])
    return output


class RoIPool(nn.Module):
    def __init__(self, output_size, spatial_scale):
        super().__init__()
        self.output_size = output_size
        self.spatial_scale = spatial_scale

    def forward(self, input, rois):
        return roi_pool(input, rois, self.output_size, self.spatial_scale)


def nms(boxes, scores, iou_threshold):
    return _C_nms(boxes, scores, iou_threshold)


def batched_nms(boxes, scores, idxs, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    max_coordinate = boxes.max()
    offsets = idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
    boxes_for_nms = boxes + offsets[:, None]
    return nms(boxes_for_nms, scores, iou_threshold)


def remove_small_boxes(boxes, min_size):
    ws, hs = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    keep = (ws >= min_size) & (hs >= min_size)
    keep = torch.where(keep)[0]
    return keep


def clip_boxes_to_image(boxes, size):
    dim = boxes.dim()
    boxes_x = boxes[..., 0::2]
    boxes_y = boxes[..., 1::2]
    height, width = size
    boxes_x = boxes_x.clamp(min=0, max=width)
    boxes_y = boxes_y.clamp(min=0, max=height)
    clipped_boxes = torch.stack((boxes_x, boxes_y), dim=dim)
    return clipped_boxes.reshape(boxes.shape)


def _box_cxcywh_to_xyxy(boxes):
    cx, cy, w, h = boxes.unbind(-1)
    x1 = cx - 0.5 * w
    y1 = cy - 0.5 * h
    x2 = cx + 0.5 * w
    y2 = cy + 0.5 * h
    return torch.stack((x1, y1, x2, y2), dim=-1)


def _box_xyxy_to_cxcywh(boxes):
    x1, y1, x2, y2 = boxes.unbind(-1)
    cx = (x1 + x2) / 2
    cy = (y1 + y2) / 2
    w = x2 - x1
    h = y2 - y1
    return torch.stack((cx, cy, w, h), dim=-1)


def _box_xywh_to_xyxy(boxes):
    x, y, w, h = boxes.unbind(-1)
    return torch.stack([x, y, x + w, y + h], dim=-1)


def _box_xyxy_to_xywh(boxes):
    x1, y1, x2, y2 = boxes.unbind(-1)
    w = x2 - x1
    h = y2 - y1
    return torch.stack((x1, y1, w, h), dim=-1)


def box_convert(boxes, in_fmt, out_fmt):
    allowed_fmts = ("xyxy", "xywh", "cxcywh")
    if in_fmt not in allowed_fmts or out_fmt not in allowed_fmts:
        raise ValueError("Unsupported Bounding Box Conversions for given in_fmt and out_fmt")
    if in_fmt == out_fmt:
        return boxes.clone()
    if in_fmt != "xyxy" and out_fmt != "xyxy":
        if in_fmt == "xywh":
            boxes = _box_xywh_to_xyxy(boxes)
        elif in_fmt == "cxcywh":
            boxes = _box_cxcywh_to_xyxy(boxes)
        in_fmt = "xyxy"
    if in_fmt == "xyxy":
        if out_fmt == "xywh":
            boxes = _box_xyxy_to_xywh(boxes)
        elif out_fmt == "cxcywh":
            boxes = _box_xyxy_to_cxcywh(boxes)
    elif out_fmt == "xyxy":
        if in_fmt == "xywh":
            boxes = _box_xywh_to_xyxy(boxes)
        elif in_fmt == "cxcywh":
            boxes = _box_cxcywh_to_xyxy(boxes)
    return boxes


def _upcast(t):
    if t.is_floating_point():
        return t if t.dtype in (torch.float32, torch.float64) else t.float()
    else:
        return t if t.dtype in (torch.int32, torch.int64) else t.int()


def box_area(boxes):
    boxes = _upcast(boxes)
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _box_inter_union(boxes1, boxes2):
    area1 = box_area(boxes1)
    area2 = box_area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = _upcast(rb - lt).clamp(min=0)
    inter = wh[:, :, 0] * wh[:, :, 1]
    union = area1[:, None] + area2 - inter
    return inter, union


def box_iou(boxes1, boxes2):
    inter, union = _box_inter_union(boxes1, boxes2)
    iou = inter / union
    return iou


def generalized_box_iou(boxes1, boxes2):
    inter, union = _box_inter_union(boxes1, boxes2)
    iou = inter / union
    lti = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rbi = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])
    whi = _upcast(rbi - lti).clamp(min=0)
    areai = whi[:, :, 0] * whi[:, :, 1]
    return iou - (areai - union) / areai

`;
