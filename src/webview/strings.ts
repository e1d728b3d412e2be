// The network picture's words in the editor's language: the extension puts the translated table on #app (data-strings); English otherwise.
let table: Record<string, string> | undefined;

function strings(): Record<string, string> {
  if (!table) {
    try {
      table = JSON.parse(document.getElementById("app")?.dataset.strings ?? "{}") as Record<string, string>;
    } catch {
      table = {};
    }
  }
  return table;
}

/**
 * A visible string: `t("Heaviest layers by {0}", costName)`. The message is a key of the table the
 * extension sends (src/extension/networkStrings.ts lists every key; a unit test checks each call here has one).
 */
export function t(message: string, ...args: (string | number)[]): string {
  const text = strings()[message] ?? message;
  return text.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}
