// torchvision.models / torchvision.ops: the Python source of tvsource.ts and its parts, parsed and run only when a file asks for it.
import type { Interp } from "./interp";
import { makeUnit, type SourceUnit } from "./source";
import { execStatement } from "./statements";
import { TV_DENSE } from "./tvdense";
import { TV_MOBILE } from "./tvmobile";
import { TV_RESNET } from "./tvresnet";
import { bindKernels, TV_FPN_NAMES, TV_OPS_NAMES, TV_OPS_SOURCE } from "./tvops";
import { TV_SOURCE } from "./tvsource";
import { Scope, unknownValue, type Value } from "./values";

/** Weights enums: name, members, the DEFAULT member, the crop size of their transforms(). */
const WEIGHTS: readonly (readonly [string, 1 | 2, 1 | 2, number?])[] = [
  ["ResNet18_Weights", 1, 1], ["ResNet34_Weights", 1, 1], ["ResNet50_Weights", 2, 2], ["ResNet101_Weights", 2, 2],
  ["ResNet152_Weights", 2, 2], ["ResNeXt50_32X4D_Weights", 2, 2], ["ResNeXt101_32X8D_Weights", 2, 2],
  ["ResNeXt101_64X4D_Weights", 1, 1], ["Wide_ResNet50_2_Weights", 2, 2], ["Wide_ResNet101_2_Weights", 2, 2],
  ["VGG11_Weights", 1, 1], ["VGG11_BN_Weights", 1, 1], ["VGG13_Weights", 1, 1], ["VGG13_BN_Weights", 1, 1],
  ["VGG16_Weights", 1, 1], ["VGG16_BN_Weights", 1, 1], ["VGG19_Weights", 1, 1], ["VGG19_BN_Weights", 1, 1],
  ["AlexNet_Weights", 1, 1], ["MobileNet_V2_Weights", 2, 2], ["MobileNet_V3_Large_Weights", 2, 2],
  ["MobileNet_V3_Small_Weights", 1, 1], ["DenseNet121_Weights", 1, 1], ["DenseNet161_Weights", 1, 1],
  ["DenseNet169_Weights", 1, 1], ["DenseNet201_Weights", 1, 1], ["SqueezeNet1_0_Weights", 1, 1],
  ["SqueezeNet1_1_Weights", 1, 1], ["ShuffleNet_V2_X0_5_Weights", 1, 1], ["ShuffleNet_V2_X1_0_Weights", 1, 1],
  ["ShuffleNet_V2_X1_5_Weights", 1, 1], ["ShuffleNet_V2_X2_0_Weights", 1, 1], ["EfficientNet_B0_Weights", 1, 1],
  ["EfficientNet_B1_Weights", 2, 2, 240], ["EfficientNet_B2_Weights", 1, 1, 288], ["EfficientNet_B3_Weights", 1, 1, 300],
  ["EfficientNet_B4_Weights", 1, 1, 380], ["EfficientNet_B5_Weights", 1, 1, 456], ["EfficientNet_B6_Weights", 1, 1, 528],
  ["EfficientNet_B7_Weights", 1, 1, 600],
];

/** The builders, by name (get_model / list_models). */
const BUILDERS = [
  "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "resnext101_32x8d", "resnext101_64x4d",
  "wide_resnet50_2", "wide_resnet101_2", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
  "alexnet", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small", "densenet121", "densenet161", "densenet169",
  "densenet201", "squeezenet1_0", "squeezenet1_1", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5",
  "shufflenet_v2_x2_0", "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4",
  "efficientnet_b5", "efficientnet_b6", "efficientnet_b7",
];

const CLASSES = ["ResNet", "BasicBlock", "Bottleneck", "VGG", "AlexNet", "MobileNetV2", "MobileNetV3", "DenseNet", "SqueezeNet",
  "ShuffleNetV2", "EfficientNet", "InvertedResidualConfig", "MBConvConfig", "MBConv"];

/** What `torchvision.ops` offers of the source. */
const OPS = ["Conv2dNormActivation", "ConvNormActivation", "SqueezeExcitation", "StochasticDepth", "stochastic_depth", ...TV_OPS_NAMES, ...TV_FPN_NAMES];
/** torchvision.ops submodules that hold the detection ops. */
const OPS_SUBMODULES = new Set(["misc", "stochastic_depth", "boxes", "roi_align", "roi_pool", "feature_pyramid_network"]);

/** torchvision.models' submodules: their public names come from the same source. */
const SUBMODULES = new Set(["resnet", "vgg", "alexnet", "mobilenet", "mobilenetv2", "mobilenetv3", "densenet", "squeezenet",
  "shufflenetv2", "efficientnet", "_utils", "_api"]);

/** The source run after the models: the weights enums and the model registry. */
function tail(): string {
  const enums = WEIGHTS.map(([name, n, def, crop]) => {
    const member = (v: number): string => `    IMAGENET1K_V${v} = _Weights("${name}", "IMAGENET1K_V${v}"${crop ? `, ${crop}` : ""})\n`;
    return `class ${name}(_WeightsEnum):\n${member(1)}${n === 2 ? member(2) : ""}    DEFAULT = IMAGENET1K_V${def}\n`;
  });
  return `
_CATEGORIES = ["?"] * 1000
${enums.join("\n")}
_BUILDERS = {${BUILDERS.map((b) => `"${b}": ${b}`).join(", ")}}


def get_model(name, **config):
    name = name.lower()
    if name not in _BUILDERS:
        raise ValueError(f"Unknown model {name}")
    return _BUILDERS[name](**config)


def get_model_builder(name):
    name = name.lower()
    if name not in _BUILDERS:
        raise ValueError(f"Unknown model {name}")
    return _BUILDERS[name]


def list_models(module=None):
    return sorted(_BUILDERS.keys())
`;
}

/** torchvision 0.14's other public builders and registry functions: their calls are not modelled. */
const UNMODELLED = [
  "convnext_base", "convnext_large", "convnext_small", "convnext_tiny", "efficientnet_v2_l", "efficientnet_v2_m", "efficientnet_v2_s",
  "get_model_weights", "get_weight", "googlenet", "inception_v3", "maxvit_t", "mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3",
  ...["16gf", "1_6gf", "32gf", "3_2gf", "400mf", "800mf", "8gf"].flatMap((s) => [`regnet_x_${s}`, `regnet_y_${s}`]), "regnet_y_128gf",
  "swin_b", "swin_s", "swin_t", "swin_v2_b", "swin_v2_s", "swin_v2_t", "vit_b_16", "vit_b_32", "vit_h_14", "vit_l_16", "vit_l_32",
];

const MODEL_NAMES = new Set([...BUILDERS, ...CLASSES, ...WEIGHTS.map(([n]) => n), "get_model", "get_model_builder", "list_models",
  "_make_divisible", "_ovewrite_named_param"]);

let unit: SourceUnit | null = null;
const scopes = new WeakMap<Interp, Scope>();
/** How many sessions ran the source (for tests: a file that does not ask for torchvision never does). */
export const tvStats = { parses: 0, runs: 0 };

/** The source's scope for this session: parsed once per process, run once per session, on first use. */
function tvScope(ip: Interp): Scope {
  const hit = scopes.get(ip);
  if (hit) return hit;
  if (!unit) {
    unit = makeUnit({ text: TV_SOURCE + TV_OPS_SOURCE + TV_RESNET + TV_MOBILE + TV_DENSE + tail(), offset: 0, line0: 0 }, false);
    tvStats.parses++;
  }
  tvStats.runs++;
  const scope = new Scope(ip.builtins, "module");
  bindKernels(ip, scope);
  ip.pushFrame({ unit, callNode: null, inModuleMethod: false });
  try {
    for (let st = unit.root.firstChild; st; st = st.nextSibling) execStatement({ ip, unit, scope }, st);
  } finally {
    ip.popFrame();
  }
  scopes.set(ip, scope);
  return scope;
}

/** `ns.name` for the torchvision namespaces, or undefined for other namespaces. */
export function torchvisionAttr(ip: Interp, ns: string, name: string): Value | undefined {
  if (ns === "torchvision") return name === "models" || name === "ops" ? { k: "ns", name: `torchvision.${name}` } : undefined;
  const models = ns === "torchvision.models" || (ns.startsWith("torchvision.models.") && SUBMODULES.has(ns.slice(19)));
  if (models) {
    // a builder named as its submodule (alexnet) is the function, as the package's star-import leaves it
    if (MODEL_NAMES.has(name) || (ns !== "torchvision.models" && OPS.includes(name))) return tvScope(ip).vars.get(name);
    if (ns === "torchvision.models" && SUBMODULES.has(name)) return { k: "ns", name: `torchvision.models.${name}` };
    // models.__dict__[args.arch] (the ImageNet example's model_names): the builders and classes by name
    if (ns === "torchvision.models" && name === "__dict__") {
      const keys = [...MODEL_NAMES].filter((n) => !n.startsWith("_")).concat(UNMODELLED);
      const vals = keys.map((n): Value => (MODEL_NAMES.has(n) ? tvScope(ip).vars.get(n)! : { k: "builtin", name: n, call: () => unknownValue(`torchvision.models.${n} is not modelled`) }));
      return { k: "dict", keys: keys.map((n) => ({ k: "str", v: n })), vals };
    }
    return unknownValue(`${ns}.${name} is not modelled`);
  }
  if (ns === "torchvision.ops" || (ns.startsWith("torchvision.ops.") && OPS_SUBMODULES.has(ns.slice(16)))) {
    // torchvision.ops.roi_align is the function (it shadows its submodule)
    if (ns === "torchvision.ops" && OPS_SUBMODULES.has(name) && !OPS.includes(name)) return { k: "ns", name: `torchvision.ops.${name}` };
    if (OPS.includes(name)) return tvScope(ip).vars.get(name);
    return unknownValue(`${ns}.${name} is not modelled`);
  }
  return undefined;
}
