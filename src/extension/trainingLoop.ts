// The PyTorch training-loop template inserted by "Insert Training Loop", as snippet text with tab stops (vscode-free).

/**
 * Snippet syntax: `${1:model}` tab stops (the same number is edited everywhere at once), `${3|a,b|}`
 * choices, `$0` the final cursor. Only fully qualified `torch.` names, so the code runs whatever
 * the file's `nn` alias is. Literal `$`, `}` and `\` would need escaping; the template has none.
 */
export const TRAINING_LOOP_SNIPPET = [
  'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
  "${1:model}.to(device)",
  "optimizer = torch.optim.Adam(${1:model}.parameters(), lr=${2:1e-3})",
  "criterion = ${3|torch.nn.CrossEntropyLoss(),torch.nn.MSELoss(),torch.nn.BCEWithLogitsLoss(),torch.nn.L1Loss()|}",
  "",
  "for epoch in range(${4:10}):",
  "    ${1:model}.train()",
  "    train_loss = 0.0",
  "    for inputs, targets in ${5:train_loader}:",
  "        inputs, targets = inputs.to(device), targets.to(device)",
  "        optimizer.zero_grad()",
  "        outputs = ${1:model}(inputs)",
  "        loss = criterion(outputs, targets)",
  "        loss.backward()",
  "        optimizer.step()",
  "        train_loss += loss.item()",
  "    train_loss /= max(len(${5:train_loader}), 1)",
  "",
  "    ${1:model}.eval()",
  "    val_loss = 0.0",
  "    with torch.no_grad():",
  "        for inputs, targets in ${6:val_loader}:",
  "            inputs, targets = inputs.to(device), targets.to(device)",
  "            outputs = ${1:model}(inputs)",
  "            val_loss += criterion(outputs, targets).item()",
  "    val_loss /= max(len(${6:val_loader}), 1)",
  '    print(f"epoch {epoch + 1}: train loss {train_loss:.4f}, val loss {val_loss:.4f}")',
  "$0",
].join("\n");

/** The snippet with every tab stop replaced by its default (first choice), as VS Code inserts it when the user just tabs through. */
export function expandSnippetDefaults(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, "$1")
    .replace(/\$\{\d+:([^}]*)\}/g, "$1")
    .replace(/\$\d+/g, "");
}
