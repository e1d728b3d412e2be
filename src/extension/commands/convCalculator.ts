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
      { label: "Conv", description: "nn.Conv1d/2d/3d, pools", detail: "O = ⌊(I + 2P − D(K − 1) − 1)/S⌋ + 1", transposed: false },
      { label: "ConvTranspose", description: "nn.ConvTranspose1d/2d/3d", detail: "O = (I − 1)S − 2P + D(K − 1) + OP + 1", transposed: true },
    ],
    { title: "Conv Output Size (1/7): which layer?", placeHolder: last.transposed ? "ConvTranspose" : "Conv" },
  );
  if (!kind) return undefined;
  const transposed = kind.transposed;
  const steps = transposed ? 7 : 6;
  const t = (n: number, what: string): string => `Conv Output Size (${n}/${steps}): ${what}`;
  const input = await askNumber(t(2, "input size I"), "Size of the input along one spatial dim (a name such as H gives a symbolic answer)", last.input, 1, true);
  if (input === undefined) return undefined;
  const kernel = await askNumber(t(3, "kernel size K"), "kernel_size", last.kernel, 1);
  if (kernel === undefined) return undefined;
  const stride = await askNumber(t(4, "stride S"), "stride (1 by default for conv layers)", last.stride, 1);
  if (stride === undefined) return undefined;
  const padding = await askNumber(t(5, "padding P"), "padding on each side", last.padding, 0);
  if (padding === undefined) return undefined;
  const dilation = await askNumber(t(6, "dilation D"), "dilation (1 = no gaps)", last.dilation, 1);
  if (dilation === undefined) return undefined;
  let outputPadding = 0;
  if (transposed) {
    const op = await askNumber(t(7, "output padding OP"), "output_padding (smaller than the stride or the dilation)", last.outputPadding, 0);
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
      void vscode.window.showInformationMessage(text, "Copy").then((choice) => {
        if (choice === "Copy") void vscode.env.clipboard.writeText(String(result.output));
      });
    }
    return result;
  });
}
