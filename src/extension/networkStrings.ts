// The network picture's words, translated here (vscode.l10n) and handed to the webview, which has no l10n of its own.
import { t } from "./l10n";

/**
 * English message → the text in the editor's language, for every `t("…")` of src/webview
 * (a unit test checks the two lists agree, and the l10n test that the zh-cn bundle has each).
 */
export function webviewStrings(): Record<string, string> {
  return {
    "Network picture": t("Network picture"),
    Network: t("Network"),
    "Loading…": t("Loading…"),
    "Zoom out": t("Zoom out"),
    "Zoom in": t("Zoom in"),
    Fit: t("Fit"),
    "Show the whole picture": t("Show the whole picture"),
    "Expand all": t("Expand all"),
    "Expand every module into its layers": t("Expand every module into its layers"),
    "Collapse all": t("Collapse all"),
    "Collapse the model's top-level modules into one box each": t("Collapse the model's top-level modules into one box each"),
    "Fold activations": t("Fold activations"),
    "Fold activations and dropout into the layer before them": t("Fold activations and dropout into the layer before them"),
    Costs: t("Costs"),
    "Show or hide the totals and the heaviest layers": t("Show or hide the totals and the heaviest layers"),
    "Save the picture as SVG…": t("Save the picture as SVG…"),
    "Save the picture as PNG…": t("Save the picture as PNG…"),
    "{0} in {1}": t("{0} in {1}"),
    "Nothing to draw: forward() records no layer or op.": t("Nothing to draw: forward() records no layer or op."),
    "{0} params": t("{0} params"),
    Input: t("Input"),
    Output: t("Output"),
    Parameters: t("Parameters"),
    Trainable: t("Trainable"),
    "Layer calls": t("Layer calls"),
    "nothing to show": t("nothing to show"),
    "click to go to the layer": t("click to go to the layer"),
    "Heaviest layers by {0}": t("Heaviest layers by {0}"),
    "Heaviest layers by parameters": t("Heaviest layers by parameters"),
    Colours: t("Colours"),
    "A box's tint and the bar at its bottom show its share of the model's {0}: the darker, the more.": t("A box's tint and the bar at its bottom show its share of the model's {0}: the darker, the more."),
    "Activations and dropout are folded into the layer before them (+ ReLU).": t("Activations and dropout are folded into the layer before them (+ ReLU)."),
    "Click a box to go to its line; the box at the cursor is outlined. Drag or scroll to move, Ctrl+scroll to zoom.": t("Click a box to go to its line; the box at the cursor is outlined. Drag or scroll to move, Ctrl+scroll to zoom."),
    "{0}: go to its constructor": t("{0}: go to its constructor"),
    "collapse {0} into one box": t("collapse {0} into one box"),
    "expand {0}": t("expand {0}"),
  };
}
