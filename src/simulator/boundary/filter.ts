// The subset of go-bexpr that Boundary list filters use (api-facts A.7): selectors as JSON pointers
// ("/item/status") or dotted (item.status); ==, !=, is [not] empty, "v" [not] in sel, sel [not]
// contains "v", sel [not] matches "re"; and, or, not, parentheses. A parse error throws (→ 400);
// a selector that does not resolve compares as the empty string (the proto zero value).

type Tok = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'op'; v: string } | { t: 'paren'; v: string };

export type Expr =
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'cmp'; op: '==' | '!='; sel: string[]; v: string }
  | { k: 'empty'; sel: string[]; not: boolean }
  | { k: 'in'; sel: string[]; v: string; not: boolean }
  | { k: 'matches'; sel: string[]; re: RegExp; not: boolean };

export class FilterSyntaxError extends Error {}

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === '`') {
      let j = i + 1;
      let v = '';
      while (j < s.length && s[j] !== c) {
        if (c === '"' && s[j] === '\\' && j + 1 < s.length) {
          v += s[j + 1];
          j += 2;
          continue;
        }
        v += s[j++];
      }
      if (j >= s.length) throw new FilterSyntaxError('unterminated string');
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: 'paren', v: c });
      i++;
      continue;
    }
    if (s.startsWith('==', i) || s.startsWith('!=', i)) {
      out.push({ t: 'op', v: s.slice(i, i + 2) });
      i += 2;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.\-/]*/.exec(s.slice(i));
    if (!m) throw new FilterSyntaxError(`unexpected '${c}' at ${i}`);
    out.push({ t: 'word', v: m[0] });
    i += m[0].length;
  }
  return out;
}

function selector(tok: Tok | undefined): string[] {
  if (!tok) throw new FilterSyntaxError('expected a selector');
  if (tok.t === 'str' && tok.v.startsWith('/')) return tok.v.slice(1).split('/');
  if (tok.t === 'word' && !['and', 'or', 'not', 'in', 'is', 'contains', 'matches', 'empty'].includes(tok.v)) return tok.v.split('.');
  throw new FilterSyntaxError('expected a selector');
}

export function parseFilter(text: string): Expr {
  const toks = lex(text);
  let p = 0;
  const peekWord = (w: string) => toks[p]?.t === 'word' && toks[p].v === w;
  const value = (): string => {
    const t = toks[p++];
    if (!t || t.t !== 'str') throw new FilterSyntaxError('expected a quoted value');
    return t.v;
  };
  const primary = (): Expr => {
    if (peekWord('not')) {
      p++;
      return { k: 'not', e: primary() };
    }
    if (toks[p]?.t === 'paren' && toks[p].v === '(') {
      p++;
      const e = or();
      if (toks[p]?.t !== 'paren' || toks[p].v !== ')') throw new FilterSyntaxError('expected )');
      p++;
      return e;
    }
    // "v" [not] in sel
    if (toks[p]?.t === 'str' && !toks[p].v.startsWith('/')) {
      const v = value();
      const not = peekWord('not') ? (p++, true) : false;
      if (!peekWord('in')) throw new FilterSyntaxError('expected in');
      p++;
      return { k: 'in', sel: selector(toks[p++]), v, not };
    }
    const sel = selector(toks[p++]);
    const t = toks[p];
    if (t?.t === 'op') {
      p++;
      return { k: 'cmp', op: t.v as '==' | '!=', sel, v: value() };
    }
    if (peekWord('is')) {
      p++;
      const not = peekWord('not') ? (p++, true) : false;
      if (!peekWord('empty')) throw new FilterSyntaxError('expected empty');
      p++;
      return { k: 'empty', sel, not };
    }
    const not = peekWord('not') ? (p++, true) : false;
    if (peekWord('contains')) {
      p++;
      return { k: 'in', sel, v: value(), not };
    }
    if (peekWord('matches')) {
      p++;
      return { k: 'matches', sel, re: new RegExp(value()), not };
    }
    throw new FilterSyntaxError('expected an operator');
  };
  const and = (): Expr => {
    let e = primary();
    while (peekWord('and')) {
      p++;
      e = { k: 'and', a: e, b: primary() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (peekWord('or')) {
      p++;
      e = { k: 'or', a: e, b: and() };
    }
    return e;
  };
  const e = or();
  if (p !== toks.length) throw new FilterSyntaxError('unexpected trailing input');
  return e;
}

function resolve(doc: unknown, sel: string[]): unknown {
  let cur = doc;
  for (const s of sel) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** Evaluates against `{item}`; an item the expression cannot be evaluated on does not match. */
export function matches(e: Expr, doc: unknown): boolean {
  switch (e.k) {
    case 'and':
      return matches(e.a, doc) && matches(e.b, doc);
    case 'or':
      return matches(e.a, doc) || matches(e.b, doc);
    case 'not':
      return !matches(e.e, doc);
    case 'cmp': {
      const v = resolve(doc, e.sel) ?? '';
      if (typeof v === 'object') return false;
      return (String(v) === e.v) === (e.op === '==');
    }
    case 'empty': {
      const v = resolve(doc, e.sel);
      const empty =
        v === undefined ||
        v === null ||
        v === '' ||
        (Array.isArray(v) && v.length === 0) ||
        (typeof v === 'object' && Object.keys(v as object).length === 0);
      return empty !== e.not;
    }
    case 'in': {
      const v = resolve(doc, e.sel);
      const has = Array.isArray(v) ? v.map(String).includes(e.v) : typeof v === 'string' ? v.includes(e.v) : false;
      return has !== e.not;
    }
    case 'matches': {
      const v = resolve(doc, e.sel);
      return (typeof v === 'string' && e.re.test(v)) !== e.not;
    }
  }
}
