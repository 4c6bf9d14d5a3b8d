// One timestamp text for every instant: sessql stores timestamps as `2026-11-23T17:00:00.000Z`
// (what toISOString prints), and rewrites the two other sources of timestamp text in a statement
// to the same form before it is analysed or run — date-time string literals (with `T` or a space,
// with or without seconds, fraction or zone) and `datetime(…)`/CURRENT_TIMESTAMP — so that text
// comparisons order by instant. Bare dates (`'2026-11-23'`, `date('now')`) already order correctly
// against the stored form and are left alone.
import { significant, tokenize, stringValue, type Token } from './lexer.js';

/**
 * strftime format that `datetime()` becomes: the stored form, to whole seconds as SQLite's
 * datetime() gives them (`2026-11-23T17:00:00.000Z`).
 */
export const ISO_FORMAT = '%Y-%m-%dT%H:%M:%S.000Z';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([Zz]|[+-]\d{2}:?\d{2})?$/;

/** The stored form of a date-time text, or undefined when the text is not a date-time. */
export function canonicalTimestamp(text: string): string | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${z}`);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString();
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface Normalised {
  text: string;
  /** The offset in the original text of an offset in `text` (for showing the user's own words). */
  original(offset: number): number;
}

/** Rewrites date-time literals and datetime()/CURRENT_TIMESTAMP to the stored form. */
export function normaliseTimestamps(sql: string): Normalised {
  const tokens = tokenize(sql);
  const sig = significant(tokens);
  const edits: Edit[] = [];
  sig.forEach((t, i) => {
    if (t.kind === 'string' && t.text.startsWith("'")) {
      const canonical = canonicalTimestamp(stringValue(t));
      if (canonical !== undefined && canonical !== stringValue(t)) edits.push({ start: t.start, end: t.end, text: `'${canonical}'` });
      return;
    }
    if (t.kind !== 'word' || isQualified(sig, i)) return;
    const word = t.text.toLowerCase();
    if (word === 'datetime' && sig[i + 1]?.text === '(') {
      const empty = sig[i + 2]?.text === ')';
      edits.push({ start: t.start, end: sig[i + 1].end, text: `strftime('${ISO_FORMAT}', ${empty ? "'now'" : ''}` });
    } else if (word === 'current_timestamp') {
      edits.push({ start: t.start, end: t.end, text: `strftime('${ISO_FORMAT}', 'now')` });
    }
  });
  let out = '';
  let at = 0;
  // [offset in the new text where an edit starts, its original start, new length, original length]
  const moved: Array<[number, number, number, number]> = [];
  for (const e of edits) {
    out += sql.slice(at, e.start);
    moved.push([out.length, e.start, e.text.length, e.end - e.start]);
    out += e.text;
    at = e.end;
  }
  const original = (offset: number): number => {
    let shift = 0;
    for (const [from, start, newLength, oldLength] of moved) {
      if (offset < from) break;
      if (offset < from + newLength) return offset === from ? start : start + oldLength;
      shift = start + oldLength - (from + newLength);
    }
    return offset + shift;
  };
  return { text: out + sql.slice(at), original };
}

/** `x.datetime` is a column or table name, not a call. */
function isQualified(sig: Token[], i: number): boolean {
  return sig[i - 1]?.text === '.';
}
