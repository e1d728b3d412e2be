// "Shape Lens: Conv Output Size Calculator…": asks for the conv's numbers step by step and shows O with the formula worked out.
import * as vscode from "vscode";
import { Command } from "../commandIds";
import { checkField, convOutputSize, CONV_DEFAULTS, describeResult, fieldValue, type ConvSizeParams, type ConvSizeResult } from "../convOutputSize";

/** The last numbers entered: the next run starts from them. */
let last: ConvSizeParams = { ...CONV_DEFAULTS, input: 32 };

async function askNumber(title: string, prompt: string, value: number | string, min: number, allowSymbol = false): Promise<number | string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (v) => checkField(v, min, allowSymbol),
  });
  return text === undefined ? undefined : fieldValue(text);
}

async function askParams(): Promise<ConvSizeParams | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: "Conv", description: vscode.l10n.t("nn.Conv1d/2d/3d, pools"), detail: "O = ⌊(I + 2P − D(K − 1) − 1)/S⌋ + 1", transposed: false },
      { label: "ConvTranspose", description: "nn.ConvTranspose1d/2d/3d", detail: "O = (I − 1)S − 2P + D(K − 1) + OP + 1", transposed: true },
    ],
    { title: vscode.l10n.t("Conv Output Size ({0}/{1}): {2}", 1, 7, vscode.l10n.t("which layer?")), placeHolder: last.transposed ? "ConvTranspose" : "Conv" },
  );
  if (!kind) return undefined;
  const transposed = kind.transposed;
  const steps = transposed ? 7 : 6;
  const step = (n: number, what: string): string => vscode.l10n.t("Conv Output Size ({0}/{1}): {2}", n, steps, what);
  const input = await askNumber(
    step(2, vscode.l10n.t("input size I")),
    vscode.l10n.t("Size of the input along one spatial dim (a name such as H gives a symbolic answer)"),
    last.input,
    1,
    true,
  );
  if (input === undefined) return undefined;
  const kernel = await askNumber(step(3, vscode.l10n.t("kernel size K")), "kernel_size", last.kernel, 1);
  if (kernel === undefined) return undefined;
  const stride = await askNumber(step(4, vscode.l10n.t("stride S")), vscode.l10n.t("stride (1 by default for conv layers)"), last.stride, 1);
  if (stride === undefined) return undefined;
  const padding = await askNumber(step(5, vscode.l10n.t("padding P")), vscode.l10n.t("padding on each side"), last.padding, 0);
  if (padding === undefined) return undefined;
  const dilation = await askNumber(step(6, vscode.l10n.t("dilation D")), vscode.l10n.t("dilation (1 = no gaps)"), last.dilation, 1);
  if (dilation === undefined) return undefined;
  let outputPadding = 0;
  if (transposed) {
    const op = await askNumber(step(7, vscode.l10n.t("output padding OP")), vscode.l10n.t("output_padding (smaller than the stride or the dilation)"), last.outputPadding, 0);
    if (op === undefined) return undefined;
    outputPadding = op as number;
  }
  return { input, kernel: kernel as number, stride: stride as number, padding: padding as number, dilation: dilation as number, outputPadding, transposed };
}

export function register(log: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Command.ConvCalculator, async (arg?: Partial<ConvSizeParams>): Promise<ConvSizeResult | undefined> => {
    const params = arg && arg.input !== undefined ? { ...CONV_DEFAULTS, ...arg, input: arg.input } : await askParams();
    if (!params) return undefined;
    last = params;
    const result = convOutputSize(params);
    const text = describeResult(params, result);
    log.appendLine(text);
    if (result.output === null) {
      void vscode.window.showWarningMessage(text);
    } else {
      const copy = vscode.l10n.t("Copy");
      void vscode.window.showInformationMessage(text, copy).then((choice) => {
        if (choice === copy) void vscode.env.clipboard.writeText(String(result.output));
      });
    }
    return result;
  });
}
