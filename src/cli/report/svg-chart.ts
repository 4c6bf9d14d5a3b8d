// Charts for HTML reports as inline SVG: a result with a label column and numeric columns becomes
// a horizontal bar chart or a line chart. Invariants: no script, no external reference, every
// text escaped; NULL, NaN and infinite values are gaps, never a crash or a NaN coordinate.
import type { ResultValue } from '../../output/values.js';
import type { ChartKind } from './annotate.js';
import { escapeAttr, escapeText } from './escape.js';

export interface ChartSeries {
  name: string;
  /** One value per label; null is a gap. */
  values: (number | null)[];
}

export interface ChartData {
  labels: string[];
  series: ChartSeries[];
  /** Columns left out because they are not numeric. */
  skippedColumns: string[];
  /** Rows in the result when only the first `labels.length` are drawn. */
  truncatedFrom?: number;
}

/** Most categories a bar chart draws, and most points of a line chart. */
export const MAX_POINTS: Record<ChartKind, number> = { bar: 50, line: 500 };

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const finite = (v: ResultValue): number | null => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The first column labels the points; every other column whose values are all numbers or NULL
 * (with at least one number) is a series. Returns why no chart can be drawn otherwise.
 */
export function chartData(columns: string[], rows: ResultValue[][], maxPoints: number): ChartData | { reason: string } {
  if (columns.length < 2) return { reason: 'a chart needs a label column and at least one numeric column' };
  if (rows.length === 0) return { reason: 'no rows to chart' };
  const series: ChartSeries[] = [];
  const skippedColumns: string[] = [];
  const shown = rows.slice(0, maxPoints);
  for (let c = 1; c < columns.length; c++) {
    const numeric =
      rows.every((r) => r[c] === null || typeof r[c] === 'number' || typeof r[c] === 'bigint') && shown.some((r) => finite(r[c]) !== null);
    if (numeric) series.push({ name: columns[c], values: shown.map((r) => finite(r[c])) });
    else skippedColumns.push(columns[c]);
  }
  if (series.length === 0)
    return {
      reason: `no numeric column after the label column '${columns[0]}' (${skippedColumns.join(', ')} ${skippedColumns.length === 1 ? 'is' : 'are'} not numeric)`,
    };
  return {
    labels: shown.map((r) => (r[0] === null ? 'NULL' : String(r[0]))),
    series,
    skippedColumns,
    truncatedFrom: rows.length > shown.length ? rows.length : undefined,
  };
}

// built on first use: creating an Intl.NumberFormat loads ICU data (~30 ms), which a statement
// that draws no chart should not pay at start-up
let compactFormat: Intl.NumberFormat | undefined;
let fullFormat: Intl.NumberFormat | undefined;
export const compact = (v: number) => (compactFormat ??= new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })).format(v);
export const full = (v: number) => (fullFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 })).format(v);

/** About `count` evenly spaced round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const rough = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

function shorten(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${r1(x)}" y="${r1(y)}"${attrs}>${escapeText(body)}</text>`;
}

function legend(series: ChartSeries[], x: number, y: number): string {
  if (series.length < 2) return '';
  let at = x;
  const items = series.map((s, i) => {
    const item = `<rect x="${r1(at)}" y="${y - 9}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>${text(at + 14, y, s.name)}`;
    at += 14 + [...s.name].length * 7 + 18;
    return item;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

function svgOpen(width: number, height: number, title: string): string {
  return `<svg class="chart" viewBox="0 0 ${width} ${Math.ceil(height)}" width="${width}" height="${Math.ceil(height)}" role="img" aria-label="${escapeAttr(title)}"><title>${escapeText(title)}</title>`;
}

function valueRange(series: ChartSeries[]): [number, number] {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  return [Math.min(...all), Math.max(...all)];
}

const WIDTH = 720;

/** Horizontal bars, one band per label and one bar per series; the axis always includes 0. */
export function barChart(data: ChartData, title: string): string {
  const labelW = 180;
  const valueW = 64;
  const barH = data.series.length === 1 ? 18 : 12;
  const bandH = barH * data.series.length;
  const gap = 6;
  const top = data.series.length > 1 ? 28 : 8;
  const [min, max] = valueRange(data.series);
  const ticks = niceTicks(Math.min(0, min), Math.max(0, max));
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const x0 = labelW;
  const x1 = WIDTH - valueW;
  const x = (v: number) => x0 + ((v - lo) / (hi - lo)) * (x1 - x0);
  const plotBottom = top + data.labels.length * (bandH + gap);
  const height = plotBottom + 24;
  const parts: string[] = [svgOpen(WIDTH, height, title), legend(data.series, x0, 16)];
  parts.push('<g class="grid">');
  for (const t of ticks) parts.push(`<line x1="${r1(x(t))}" y1="${top - 4}" x2="${r1(x(t))}" y2="${plotBottom}"/>`);
  parts.push('</g><g class="axis">');
  for (const t of ticks) parts.push(text(x(t), plotBottom + 16, compact(t), ' text-anchor="middle"'));
  parts.push(`<line class="zero" x1="${r1(x(0))}" y1="${top - 4}" x2="${r1(x(0))}" y2="${plotBottom}"/></g>`);
  data.labels.forEach((label, i) => {
    const y = top + i * (bandH + gap);
    // a shortened label keeps its full text as the band's tooltip (a <title> must come first)
    const tip = [...label].length > 26 ? `<title>${escapeText(label)}</title>` : '';
    parts.push(`<g class="band">${tip}${text(labelW - 8, y + bandH / 2 + 4, shorten(label, 26), ' text-anchor="end" class="label"')}`);
    data.series.forEach((s, j) => {
      const v = s.values[i];
      if (v === null) return;
      const from = Math.min(x(0), x(v));
      const width = Math.abs(x(v) - x(0));
      const by = y + j * barH;
      const tip = `${label} · ${s.name}: ${full(v)}`;
      parts.push(
        `<rect x="${r1(from)}" y="${r1(by + 1)}" width="${r1(width)}" height="${barH - 2}" fill="${PALETTE[j % PALETTE.length]}"><title>${escapeText(tip)}</title></rect>`,
      );
      const tx = v >= 0 ? x(v) + 4 : x(v) - 4;
      parts.push(text(tx, by + barH / 2 + 4, compact(v), v >= 0 ? ' class="value"' : ' class="value" text-anchor="end"'));
    });
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The slant of category labels under a line chart. */
const SLANT = (35 * Math.PI) / 180;

/** A label that reads as a UTC instant: `2026-11-30`, `2026-11-30T14`, `2026-11-30 14:00`, `…T14:00:00.000Z`. */
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2}(?:\.\d+)?))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds of a label that is a date or date-time (sessql's timestamps are UTC), else undefined. */
export function instant(label: string): number | undefined {
  const m = INSTANT.exec(label.trim());
  if (!m) return undefined;
  const [, day, h = '00', mi = '00', sec = '00', zone = 'Z'] = m;
  const ms = Date.parse(`${day}T${h}:${mi}:${sec}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The labels as instants when every one is a date or date-time in increasing order (a time series). */
export function timeAxis(labels: string[]): number[] | undefined {
  if (labels.length < 2) return undefined;
  const times = labels.map(instant);
  if (times.some((t) => t === undefined)) return undefined;
  const ts = times as number[];
  return ts.every((t, i) => i === 0 || t > ts[i - 1]) ? ts : undefined;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  365 * DAY,
];

/** Round UTC instants for the ticks of a time axis over [lo, hi], at most `count`. */
export function timeTicks(lo: number, hi: number, count = 8): { ticks: number[]; step: number } {
  const step = TIME_STEPS.find((s) => (hi - lo) / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return { ticks, step };
}

/** A tick label: the date at midnight (or for day steps), else `MM-DD HH:MM`, all UTC. */
function timeLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  if (step >= DAY) return iso.slice(0, 10);
  return iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** The usual spacing of points on a time axis (the smallest gap that occurs most): longer gaps break the line. */
function usualGap(times: number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) counts.set(times[i] - times[i - 1], (counts.get(times[i] - times[i - 1]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

/**
 * One line per series. Labels that are dates or date-times in increasing order make a time axis
 * to scale (round UTC ticks; a gap longer than the usual spacing breaks the line instead of
 * drawing a slope across missing periods); other labels are evenly spaced categories. The value
 * axis includes 0, so a small change never looks like a surge. A NULL breaks the line.
 */
export function lineChart(data: ChartData, title: string): string {
  const times = timeAxis(data.labels);
  const padR = 24;
  const padT = data.series.length > 1 ? 32 : 12;
  // categories are slanted labels: room below, and on the left for the first one
  // a slanted label (-35°, at most 16 characters of about 7 px) reaches left and down by its length
  const slant = Math.min(16, Math.max(...data.labels.map((l) => [...l].length))) * 7;
  const padB = times ? 40 : Math.ceil(18 + slant * Math.sin(SLANT)) + 6;
  const padL = times ? 56 : Math.max(56, Math.ceil(slant * Math.cos(SLANT)) + 8);
  const height = 256 + padB;
  const [min, max] = valueRange(data.series);
  const ticks = niceTicks(Math.min(0, min), Math.max(0, max === min ? min + 1 : max));
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const n = data.labels.length;
  const plotW = WIDTH - padL - padR;
  const t0 = times?.[0] ?? 0;
  const t1 = times?.[n - 1] ?? 1;
  const x = times
    ? (i: number) => padL + ((times[i] - t0) / (t1 - t0)) * plotW
    : (i: number) => (n === 1 ? padL + plotW / 2 : padL + (i * plotW) / (n - 1));
  const y = (v: number) => height - padB - ((v - lo) / (hi - lo)) * (height - padB - padT);
  const parts: string[] = [svgOpen(WIDTH, height, title), legend(data.series, padL, 16)];
  parts.push('<g class="grid">');
  for (const t of ticks) parts.push(`<line x1="${padL}" y1="${r1(y(t))}" x2="${WIDTH - padR}" y2="${r1(y(t))}"/>`);
  parts.push('</g><g class="axis">');
  for (const t of ticks) parts.push(text(padL - 6, y(t) + 4, compact(t), ' text-anchor="end"'));
  parts.push(`<line class="zero" x1="${padL}" y1="${r1(y(lo))}" x2="${WIDTH - padR}" y2="${r1(y(lo))}"/>`);
  if (times) {
    const { ticks: tt, step } = timeTicks(t0, t1);
    for (const t of tt) {
      const tx = padL + ((t - t0) / (t1 - t0)) * plotW;
      parts.push(`<line x1="${r1(tx)}" y1="${height - padB}" x2="${r1(tx)}" y2="${height - padB + 4}"/>`);
      // centred under its tick, but kept inside the chart at either end
      const label = timeLabel(t, step);
      const half = (label.length * 6.5) / 2;
      const anchor = tx + half > WIDTH - 2 ? ['end', WIDTH - 2] : tx - half < 2 ? ['start', 2] : ['middle', tx];
      parts.push(text(Number(anchor[1]), height - padB + 18, label, ` text-anchor="${anchor[0]}"`));
    }
    parts.push(text(WIDTH - padR, height - 6, `time (UTC), ${data.labels[0]} to ${data.labels[n - 1]}`, ' text-anchor="end" class="note"'));
  } else {
    // at most 16 x labels, evenly spaced
    const step = Math.ceil(n / 16);
    data.labels.forEach((label, i) => {
      if (i % step !== 0) return;
      const lx = r1(x(i));
      const ly = height - padB + 14;
      parts.push(`<text x="${lx}" y="${ly}" text-anchor="end" transform="rotate(-35 ${lx} ${ly})">${escapeText(shorten(label, 16))}</text>`);
    });
  }
  parts.push('</g>');
  const gap = times ? usualGap(times) * 1.5 : Number.POSITIVE_INFINITY;
  data.series.forEach((s, j) => {
    const color = PALETTE[j % PALETTE.length];
    const segments: string[] = [];
    let pen = 'M';
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = 'M';
        return;
      }
      if (times && i > 0 && times[i] - times[i - 1] > gap) pen = 'M';
      segments.push(`${pen}${r1(x(i))} ${r1(y(v))}`);
      pen = 'L';
    });
    parts.push(`<g class="series"><path d="${segments.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      const tip = `${data.labels[i]} · ${s.name}: ${full(v)}`;
      parts.push(`<circle cx="${r1(x(i))}" cy="${r1(y(v))}" r="3" fill="${color}"><title>${escapeText(tip)}</title></circle>`);
    });
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

const DRAW: Record<ChartKind, (data: ChartData, title: string) => string> = { bar: barChart, line: lineChart };

export function svgChart(kind: ChartKind, data: ChartData, title: string): string {
  return DRAW[kind](data, title);
}
