// Layers given an integer or bool tensor: the error PyTorch 1.13 (CPU) raises, by layer type and input dtype.
import { isTensor, isUnknown, type Args, type DType } from "../types";
import type { LayerCall, LayerRule, LayerResult } from "./rule";
import { failed, forwardError } from "./util";

const MATMUL = /^(Linear|LazyLinear|NonDynamicallyQuantizableLinear|RNN|LSTM|GRU|RNNCell|LSTMCell|GRUCell|MultiheadAttention)$/;

const KERNEL: Readonly<Record<string, string>> = {
  BatchNorm1d: "batch_norm", BatchNorm2d: "batch_norm", BatchNorm3d: "batch_norm", SyncBatchNorm: "batch_norm",
  InstanceNorm1d: "batch_norm", InstanceNorm2d: "batch_norm", InstanceNorm3d: "batch_norm",
  LayerNorm: "LayerNormKernelImpl", GroupNorm: "GroupNormKernelImpl",
  MaxPool1d: "max_pool1d_impl", MaxPool2d: "max_pool2d", MaxPool3d: "max_pool3d_with_indices_cpu",
  AdaptiveMaxPool2d: "adaptive_max_pool2d",
  GELU: "GeluKernelImpl", SiLU: "silu_cpu", ELU: "elu_cpu", LeakyReLU: "leaky_relu_cpu", Hardswish: "hardswish_cpu",
};

/** Kernels that run on integers but not on bool. */
const BOOL_KERNEL: Readonly<Record<string, string>> = { AvgPool1d: "avg_pool2d", AvgPool2d: "avg_pool2d", AvgPool3d: "avg_pool3d_out_frame" };

const allOnes = (v: unknown): boolean => (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);

/** The message PyTorch raises for this layer on an input of this (integer or bool) dtype, if any. */
export function dtypeMessage(type: string, args: Args, dtype: Exclude<DType, "float">): string | undefined {
  const T = dtype === "long" ? "Long" : "Bool";
  const notImpl = (k: string) => `"${k}" not implemented for '${T}'`;
  const scalar = "expected scalar type Long but found Float";
  if (MATMUL.test(type)) return "mat1 and mat2 must have the same dtype";
  if (KERNEL[type]) return notImpl(KERNEL[type]);
  if (dtype === "bool" && BOOL_KERNEL[type]) return notImpl(BOOL_KERNEL[type]);
  switch (type) {
    case "Conv1d":
      return dtype === "long" ? scalar : notImpl("slow_conv2d_cpu");
    case "Conv2d":
      if (args.bias !== false) return `Input type (${dtype === "long" ? "long int" : "bool"}) and bias type (float) should be the same`;
      return dtype === "long" ? scalar : notImpl("slow_conv2d_cpu");
    case "Conv3d":
      return dtype === "long" ? scalar : notImpl("slow_conv3d_cpu");
    case "ConvTranspose1d":
    case "ConvTranspose2d":
      return dtype === "long" ? scalar : notImpl("slow_conv_transpose2d_out_cpu");
    case "ConvTranspose3d":
      return dtype === "long" ? scalar : notImpl("slow_conv_transpose3d_out_cpu");
    case "Bilinear":
      return dtype === "long" ? scalar : notImpl("bmm");
    case "AdaptiveAvgPool1d":
    case "AdaptiveAvgPool2d":
      return allOnes(args.output_size)
        ? `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${T}`
        : notImpl("adaptive_avg_pool2d");
    case "Softmax":
    case "LogSoftmax": {
      if (typeof args.dim !== "number") return undefined;
      const k = type === "Softmax" ? "softmax" : "log_softmax";
      return notImpl(args.dim === -1 ? `${k}_lastdim_kernel_impl` : `${k}_kernel_impl`);
    }
    case "ReLU":
      return dtype === "bool" ? "Boolean inputs not supported for relu" : undefined;
    case "ReLU6":
      return dtype === "bool" ? "Bool inputs not supported for hardtanh" : undefined;
    case "Upsample":
      return notImpl(args.mode === "nearest" || args.mode === undefined ? "compute_indices_weights_nearest" : "compute_indices_weights_linear");
    default:
      return undefined;
  }
}

/** The rule with its forward refusing integer/bool inputs as PyTorch does. */
export function withDtypeCheck(rule: LayerRule): LayerRule {
  const forward = (args: Args, call: LayerCall): LayerResult => {
    const x = call.inputs[0];
    if (isTensor(x) && x.dtype !== "float") {
      const message = dtypeMessage(rule.type, args, x.dtype);
      if (message) return failed(forwardError(rule.type, message, isUnknown(x.shape) ? undefined : x.shape));
    }
    return rule.forward(args, call);
  };
  return { ...rule, forward };
}
