// Durations and byte sizes as people write them on the command line and in the config file:
// `90s`, `5m`, `1h30m`, `250ms`, a bare number of seconds; `64MB`, `1GiB`, `500k`, a bare number
// of bytes. Invalid text is INVALID_OPTION naming what was expected.
import { SessqlError } from '../errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** Milliseconds of `90s`, `5m`, `1h30m`, `250ms`, `90d`, `2w`, ISO-8601 (`PT5M`, `P90D`) or a bare number of seconds. */
export function parseDuration(text: string | number, what = 'a duration'): number {
  if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return Math.round(text * 1000);
  const s = String(text).trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const iso = /^p(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?)?$/.exec(s);
  if (iso && s.length > 1 && s !== 'pt')
    return ((Number(iso[1] ?? 0) * 24 + Number(iso[2] ?? 0)) * 60 + Number(iso[3] ?? 0)) * 60_000 + Math.round(Number(iso[4] ?? 0) * 1000);
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== s) {
    throw new SessqlError('INVALID_OPTION', `${what}: '${text}' is not a duration`, {
      hint: 'write it as 90s, 5m, 1h30m, 90d, PT5M or a number of seconds',
    });
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * DURATION_UNITS[p[2]], 0));
}

/** Bytes of `64MB`, `1GiB`, `500k` or a bare number of bytes (K/M/G are powers of 1024). */
export function parseSize(text: string | number, what = 'a size'): number {
  if (typeof text === 'number' && Number.isFinite(text) && text > 0) return Math.round(text);
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(String(text).trim().toLowerCase());
  const unit = m ? SIZE_UNITS[m[2] || 'b'] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) {
    throw new SessqlError('INVALID_OPTION', `${what}: '${text}' is not a size`, { hint: 'write it as 64MB, 1GB, 500KB or a number of bytes' });
  }
  return Math.round(Number(m[1]) * unit);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 120) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  const m = s / 60;
  return Number.isInteger(m) ? `${m} min` : `${Math.floor(m)} min ${Math.round(s % 60)} s`;
}
