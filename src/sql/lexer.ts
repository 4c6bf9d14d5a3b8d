// A small SQLite-aware lexer: just enough to split statements, strip comments and find table
// names by their exact character positions. It never rewrites SQL itself; callers splice text at
// the spans it reports, so everything else the user wrote reaches SQLite untouched.

export type TokenKind = 'ws' | 'comment' | 'string' | 'quoted' | 'word' | 'number' | 'param' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

export class LexError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Tokenises SQL; unterminated strings, quoted names and comments raise a LexError. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j])) j++;
      push('ws', j);
    } else if (c === '-' && next === '-') {
      const j = sql.indexOf('\n', i);
      push('comment', j < 0 ? sql.length : j);
    } else if (c === '/' && next === '*') {
      const j = sql.indexOf('*/', i + 2);
      if (j < 0) throw new LexError('unterminated /* comment', i);
      push('comment', j + 2);
    } else if (c === "'") {
      push('string', closing(sql, i, "'", 'string literal'));
    } else if (c === '"' || c === '`') {
      push('quoted', closing(sql, i, c, 'quoted identifier'));
    } else if (c === '[') {
      const j = sql.indexOf(']', i);
      if (j < 0) throw new LexError('unterminated [identifier]', i);
      push('quoted', j + 1);
    } else if (DIGIT.test(c) || (c === '.' && next !== undefined && DIGIT.test(next))) {
      push('number', numberEnd(sql, i));
    } else if ((c === 'x' || c === 'X') && next === "'") {
      // blob literal x'..'
      push('string', closing(sql, i + 1, "'", 'blob literal'));
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD_CHAR.test(sql[j])) j++;
      push('word', j);
    } else if ((c === '?' || c === ':' || c === '@' || c === '$') && next !== undefined && /[A-Za-z0-9_]/.test(next)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j])) j++;
      push('param', j);
    } else {
      const two = sql.slice(i, i + 3);
      const len = two === '->>' ? 3 : ['||', '<=', '>=', '<>', '!=', '==', '<<', '>>', '->'].includes(sql.slice(i, i + 2)) ? 2 : 1;
      push('punct', i + len);
    }
  }
  return tokens;
}

function closing(sql: string, start: number, quote: string, what: string): number {
  let j = start + 1;
  for (;;) {
    const k = sql.indexOf(quote, j);
    if (k < 0) throw new LexError(`unterminated ${what}`, start);
    if (sql[k + 1] === quote) {
      j = k + 2; // doubled quote is an escaped quote
      continue;
    }
    return k + 1;
  }
}

function numberEnd(sql: string, start: number): number {
  const m = /^(?:0[xX][0-9A-Fa-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(sql.slice(start));
  return start + (m ? m[0].length : 1);
}

/** Tokens that carry meaning (no whitespace, no comments). */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
}

/** The identifier a word or quoted token names (quotes removed, doubled quotes undone). */
export function identifierText(t: Token): string {
  if (t.kind === 'quoted') {
    const q = t.text[0];
    if (q === '[') return t.text.slice(1, -1);
    return t.text
      .slice(1, -1)
      .split(q + q)
      .join(q);
  }
  return t.text;
}

/** The value of a string literal token. */
export function stringValue(t: Token): string {
  return t.text.slice(1, -1).replace(/''/g, "'");
}

export interface StatementText {
  /** The statement's own text, without the terminating `;`. */
  text: string;
  /** Offset of `text` in the whole input, for error positions. */
  offset: number;
}

/** Splits a script on top-level `;`; statements holding only comments/whitespace are dropped. */
export function splitStatements(sql: string): StatementText[] {
  const tokens = tokenize(sql);
  const out: StatementText[] = [];
  let from = 0;
  let hasContent = false;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') {
      if (hasContent) out.push({ text: sql.slice(from, t.start), offset: from });
      from = t.end;
      hasContent = false;
    } else if (t.kind !== 'ws' && t.kind !== 'comment') {
      hasContent = true;
    }
  }
  if (hasContent) out.push({ text: sql.slice(from), offset: from });
  return out.map(trimStatement);
}

function trimStatement(s: StatementText): StatementText {
  const lead = s.text.length - s.text.trimStart().length;
  return { text: s.text.trim(), offset: s.offset + lead };
}

/** Line and column (1-based) of an offset, for messages. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
