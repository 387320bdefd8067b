/**
 * A latency–throughput chart as a standalone SVG, written by hand (no plotting dependency):
 * side-by-side panels sharing one y axis scale, each with a linear x axis (offered load) and a
 * log-scale y axis (latency: a hardhat node answers in milliseconds, the devnet in hundreds, and
 * an overloaded point in seconds, so a linear axis would flatten everything but the worst), one
 * polyline per series with a marker at each point, and one legend for all panels.
 *
 * Pure: figures in, SVG text out. A point whose y is missing (not measured, not final in time) is
 * left out of its line rather than drawn at zero.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  /** SVG stroke-dasharray, e.g. "6 3"; undefined: solid. */
  readonly dash?: string;
  readonly points: readonly { readonly x: number; readonly y: number | null }[];
}

export interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
}

export interface Chart {
  readonly title: string;
  /** A second line under the title (date, machine, load average). */
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly panels: readonly Panel[];
}

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 320;
const MARGIN = { left: 70, right: 20, top: 70, bottom: 60 };
const GAP = 40;
const LEGEND_HEIGHT = 30;

/** Escapes text for an XML text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** 1, 2 or 5 times a power of ten: about `count` ticks from 0 to at least `max`. */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

/** The decades covering [min, max]: 1, 10, 100... (at least two). */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1e-3))));
  return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}

function msLabel(ms: number): string {
  return ms >= 1000 ? `${fmt(ms / 1000)} s` : `${fmt(ms)} ms`;
}

export function renderLatencyCurve(chart: Chart): string {
  const all = chart.panels.flatMap((p) => p.series.flatMap((s) => s.points));
  const ys = all.map((p) => p.y).filter((y): y is number => y !== null && Number.isFinite(y) && y > 0);
  const yTicks = logTicks(ys.length === 0 ? 1 : Math.min(...ys), ys.length === 0 ? 1000 : Math.max(...ys));
  const [yLo, yHi] = [Math.log10(yTicks[0]!), Math.log10(yTicks[yTicks.length - 1]!)];
  const panels = chart.panels.length;
  const width = MARGIN.left + panels * PANEL_WIDTH + (panels - 1) * GAP + MARGIN.right;
  const height = MARGIN.top + PANEL_HEIGHT + MARGIN.bottom + LEGEND_HEIGHT;
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  if (chart.subtitle !== undefined) out.push(`<text x="${width / 2}" y="40" text-anchor="middle" fill="#555">${escapeXml(chart.subtitle)}</text>`);
  const y = (v: number) => MARGIN.top + PANEL_HEIGHT - ((Math.log10(v) - yLo) / (yHi - yLo)) * PANEL_HEIGHT;
  for (const [i, panel] of chart.panels.entries()) {
    const left = MARGIN.left + i * (PANEL_WIDTH + GAP);
    const xs = panel.series.flatMap((s) => s.points.map((p) => p.x));
    const xTicks = linearTicks(xs.length === 0 ? 1 : Math.max(...xs));
    const xHi = xTicks[xTicks.length - 1]!;
    const x = (v: number) => left + (v / xHi) * PANEL_WIDTH;
    out.push(`<g class="panel">`);
    out.push(`<text x="${left + PANEL_WIDTH / 2}" y="${MARGIN.top - 10}" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`);
    out.push(`<rect x="${left}" y="${MARGIN.top}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#888"/>`);
    for (const t of yTicks) {
      out.push(`<line x1="${left}" y1="${fmt(y(t))}" x2="${left + PANEL_WIDTH}" y2="${fmt(y(t))}" stroke="#ddd"/>`);
      out.push(`<text x="${left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end">${escapeXml(msLabel(t))}</text>`);
    }
    for (const t of xTicks) {
      out.push(`<line x1="${fmt(x(t))}" y1="${MARGIN.top + PANEL_HEIGHT}" x2="${fmt(x(t))}" y2="${MARGIN.top + PANEL_HEIGHT + 5}" stroke="#333"/>`);
      out.push(`<text x="${fmt(x(t))}" y="${MARGIN.top + PANEL_HEIGHT + 18}" text-anchor="middle">${fmt(t)}</text>`);
    }
    out.push(`<text class="x-label" x="${left + PANEL_WIDTH / 2}" y="${MARGIN.top + PANEL_HEIGHT + 40}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
    if (i === 0) {
      const cy = MARGIN.top + PANEL_HEIGHT / 2;
      out.push(`<text class="y-label" x="18" y="${cy}" text-anchor="middle" transform="rotate(-90 18 ${cy})">${escapeXml(chart.yLabel)}</text>`);
    }
    for (const s of panel.series) {
      const shown = s.points.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y) && p.y > 0);
      const dash = s.dash === undefined ? "" : ` stroke-dasharray="${s.dash}"`;
      const coords = shown.map((p) => `${fmt(x(p.x))},${fmt(y(p.y))}`).join(" ");
      out.push(`<polyline data-series="${escapeXml(s.name)}" points="${coords}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/>`);
      for (const p of shown) out.push(`<circle cx="${fmt(x(p.x))}" cy="${fmt(y(p.y))}" r="3" fill="${escapeXml(s.color)}"/>`);
    }
    out.push(`</g>`);
  }
  // One legend: every panel draws the same series.
  const names = [...new Map(chart.panels.flatMap((p) => p.series).map((s) => [s.name, s])).values()];
  const legendY = MARGIN.top + PANEL_HEIGHT + MARGIN.bottom + 10;
  out.push(`<g class="legend">`);
  const step = (width - 2 * MARGIN.left) / Math.max(1, names.length);
  for (const [i, s] of names.entries()) {
    const lx = MARGIN.left + i * step;
    const dash = s.dash === undefined ? "" : ` stroke-dasharray="${s.dash}"`;
    out.push(`<line x1="${fmt(lx)}" y1="${legendY}" x2="${fmt(lx + 24)}" y2="${legendY}" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${fmt(lx + 30)}" y="${legendY + 4}">${escapeXml(s.name)}</text>`);
  }
  out.push(`</g>`, `</svg>`, ``);
  return out.join("\n");
}
