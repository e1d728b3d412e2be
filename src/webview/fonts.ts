// Fonts of the picture (the editor's UI and code fonts) and text measuring, so boxes fit their labels exactly.

export interface Font {
  readonly family: string;
  readonly size: number;
  readonly weight: number;
}

export interface Fonts {
  readonly title: Font;
  readonly body: Font;
  readonly mono: Font;
  readonly small: Font;
}

let ctx: CanvasRenderingContext2D | null = null;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** The theme's fonts, read from VS Code's CSS variables. */
export function themeFonts(): Fonts {
  const ui = cssVar("--vscode-font-family", "system-ui, sans-serif");
  const code = cssVar("--vscode-editor-font-family", "monospace");
  return {
    title: { family: ui, size: 12, weight: 600 },
    body: { family: ui, size: 11, weight: 400 },
    mono: { family: code, size: 11, weight: 400 },
    small: { family: ui, size: 10.5, weight: 400 },
  };
}

export function cssFont(f: Font): string {
  return `${f.weight} ${f.size}px ${f.family}`;
}

/** Width of a line of text in pixels. */
export function measure(s: string, f: Font): number {
  if (!ctx) ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return s.length * f.size * 0.6;
  ctx.font = cssFont(f);
  return ctx.measureText(s).width;
}

/** The text cut with "…" to fit `max` pixels. */
export function fit(s: string, f: Font, max: number): string {
  if (measure(s, f) <= max) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${s.slice(0, mid)}…`, f) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo)}…`;
}

/** SVG attributes that set a font (so measuring and drawing agree, and exports keep it). */
export function fontAttrs(f: Font): Record<string, string | number> {
  return { "font-family": f.family, "font-size": f.size, "font-weight": f.weight };
}

/** The text cut at its start with "…" to fit `max` pixels (keeps a path's last names and the type). */
export function fitStart(s: string, f: Font, max: number): string {
  if (measure(s, f) <= max) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`…${s.slice(s.length - mid)}`, f) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `…${s.slice(s.length - lo)}`;
}
