// Every contributed command id, in one place.
export const enum Command {
  Ping = "shapeLens.ping",
  ShowSummary = "shapeLens.showSummary",
  CopyMarkdown = "shapeLens.copySummaryMarkdown",
  CopyCsv = "shapeLens.copySummaryCsv",
  CopyJson = "shapeLens.copySummaryJson",
  SetInputShape = "shapeLens.setInputShape",
  ConvCalculator = "shapeLens.convCalculator",
  InsertTrainingLoop = "shapeLens.insertTrainingLoop",
  ToggleInlayHints = "shapeLens.toggleInlayHints",
  Refresh = "shapeLens.refresh",
  ToggleFlopsMacs = "shapeLens.toggleFlopsMacs",
  PinFile = "shapeLens.pinFile",
  RevealLayer = "shapeLens.revealLayer",
  UnpinFile = "shapeLens.unpinFile",
  /** The tree's title-bar summary button: the summary of the tree's file (pinned or followed). */
  ShowTreeSummary = "shapeLens.showTreeSummary",
  ShowNetwork = "shapeLens.showNetwork",
  /** Test hooks (not contributed): the network picture's state, a message as if from its webview, an export to a file. */
  NetworkState = "shapeLens.internal.networkState",
  NetworkMessage = "shapeLens.internal.networkMessage",
  NetworkExport = "shapeLens.internal.networkExport",
  /** Test hook (not contributed): which extension host runs the bundle, "webworker" (vscode.dev) or "node". */
  Host = "shapeLens.internal.host",
  /** Test hook (not contributed): the whole model tree as plain data. */
  TreeSnapshot = "shapeLens.internal.treeSnapshot",
}
