// Pan and zoom of the picture: drag or scroll to move, Ctrl/Cmd+scroll or the buttons to zoom; kept across updates.

export interface ViewTransform {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

const MIN_SCALE = 0.1;
const MAX_SCALE = 4;

export class PanZoom {
  private t: ViewTransform = { x: 0, y: 0, k: 1 };
  private drag: { x: number; y: number; startX: number; startY: number; id: number } | null = null;
  /** Whether the last pointer gesture moved the view (its click is then not a click). */
  private moved = false;

  constructor(
    private readonly host: SVGSVGElement,
    private readonly viewport: SVGGElement,
    private readonly onChange: (t: ViewTransform) => void,
  ) {
    host.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    host.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, startX: this.t.x, startY: this.t.y, id: e.pointerId };
      this.moved = false;
    });
    host.addEventListener("pointermove", (e) => {
      if (!this.drag || e.pointerId !== this.drag.id) return;
      const dx = e.clientX - this.drag.x;
      const dy = e.clientY - this.drag.y;
      if (!this.moved && Math.hypot(dx, dy) < 4) return;
      if (!this.moved) host.setPointerCapture(e.pointerId);
      this.moved = true;
      host.classList.add("panning");
      this.set({ ...this.t, x: this.drag.startX + dx, y: this.drag.startY + dy });
    });
    const end = (e: PointerEvent): void => {
      if (!this.drag || e.pointerId !== this.drag.id) return;
      this.drag = null;
      host.classList.remove("panning");
      if (host.hasPointerCapture(e.pointerId)) host.releasePointerCapture(e.pointerId);
    };
    host.addEventListener("pointerup", end);
    host.addEventListener("pointercancel", end);
    // a drag that moved the view is not a click on what it started on
    host.addEventListener(
      "click",
      (e) => {
        if (this.moved) {
          e.stopPropagation();
          this.moved = false;
        }
      },
      true,
    );
  }

  get transform(): ViewTransform {
    return this.t;
  }

  set(t: ViewTransform): void {
    this.t = { x: t.x, y: t.y, k: Math.min(MAX_SCALE, Math.max(MIN_SCALE, t.k)) };
    this.viewport.setAttribute("transform", `translate(${this.t.x.toFixed(1)},${this.t.y.toFixed(1)}) scale(${this.t.k.toFixed(4)})`);
    this.onChange(this.t);
  }

  /** Zooms by `factor` keeping the point (cx, cy) of the view still (the centre by default). */
  zoom(factor: number, cx?: number, cy?: number): void {
    const r = this.host.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.t.k * factor));
    const f = k / this.t.k;
    this.set({ k, x: px - (px - this.t.x) * f, y: py - (py - this.t.y) * f });
  }

  /** The whole picture in view (never larger than 1:1). */
  fitAll(width: number, height: number): void {
    const r = this.host.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || width === 0 || height === 0) return;
    const k = Math.min(1, (r.width - 16) / width, (r.height - 16) / height);
    this.set({ k, x: (r.width - width * k) / 2, y: Math.max(8, (r.height - height * k) / 2) });
  }

  /** A first view: 1:1 when the width fits (never below 60%), the input at the top, centred horizontally. */
  fitTop(width: number): void {
    const r = this.host.getBoundingClientRect();
    if (r.width === 0 || width === 0) return;
    const k = Math.max(0.6, Math.min(1, (r.width - 16) / width));
    this.set({ k, x: Math.max(8, (r.width - width * k) / 2), y: 8 });
  }

  /** Moves the view the least that shows the box (picture coordinates), when it is not visible already. */
  reveal(box: { x: number; y: number; width: number; height: number }): void {
    const r = this.host.getBoundingClientRect();
    const { x, y, k } = this.t;
    const left = box.x * k + x;
    const top = box.y * k + y;
    const right = left + box.width * k;
    const bottom = top + box.height * k;
    const m = 24;
    let dx = 0;
    let dy = 0;
    if (right > r.width - m) dx = r.width - m - right;
    if (left + dx < m) dx = m - left;
    if (bottom > r.height - m) dy = r.height - m - bottom;
    if (top + dy < m) dy = m - top;
    if (dx !== 0 || dy !== 0) this.set({ k, x: x + dx, y: y + dy });
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const r = this.host.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) {
      this.zoom(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), e.clientX - r.left, e.clientY - r.top);
    } else {
      const unit = e.deltaMode === 1 ? 16 : 1;
      this.set({ ...this.t, x: this.t.x - e.deltaX * unit, y: this.t.y - e.deltaY * unit });
    }
  }
}
