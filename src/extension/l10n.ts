// Runtime strings in the user's language (vscode-free): `t("English text with {0}", value)`; activation installs vscode.l10n.t, the CLI and unit tests keep English.
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/** The English message with its `{n}` placeholders filled in (what vscode.l10n.t does without a bundle). */
export const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));

let current: Translate = english;

/**
 * A user-visible string. The message is the key of l10n/bundle.l10n.*.json: pass a string literal
 * (a unit test checks every key has a translation) and put values in `{0}`, `{1}`, ... placeholders.
 */
export function t(message: string, ...args: (string | number | boolean)[]): string {
  return current(message, ...args);
}

/** Installs the translator (vscode.l10n.t in the extension); undefined restores English. */
export function setTranslator(translate: Translate | undefined): void {
  current = translate ?? english;
}
