// Template variables: `{{ name }}` and `{{ .name }}` (stackql's and Go's spellings) are replaced
// before parsing. The SQL is read with the lexer (SQLite's whole lexical grammar: '…', "…", […],
// `…`, X'…', -- and /* */ comments), so a value can never end the token it is placed in: inside a
// string literal its quotes are doubled, inside a quoted name likewise, outside any token a number
// is inserted as is and anything else becomes a quoted string. Comments are left untouched.
import { SessqlError } from '../errors.js';
import { LexError, tokenize, type Token } from './lexer.js';

const TEMPLATE = /\{\{\s*\.?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type TemplateVars = Record<string, string>;

/** Where a template sits: in plain SQL, or inside the token of that kind. */
type Place = 'sql' | 'string' | 'blob' | 'double' | 'backtick' | 'bracket';

/** Names used by a SQL text (outside comments), in order of first use. */
export function templateNames(sql: string): string[] {
  const names: string[] = [];
  forEachTemplate(sql, (name) => {
    if (!names.includes(name)) names.push(name);
    return '';
  });
  return names;
}

export function renderTemplate(sql: string, vars: TemplateVars): string {
  const missing = templateNames(sql).filter((n) => vars[n] === undefined);
  if (missing.length) {
    throw new SessqlError('MISSING_TEMPLATE_VARIABLE', `no value for template variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      hint: `pass ${missing.map((n) => `--var ${n}=<value>`).join(' ')} (or --vars-file vars.yaml; in the shell: .set ${missing[0]} <value>)`,
    });
  }
  return forEachTemplate(sql, (name, place) => inPlace(name, vars[name], place));
}

/** The text that stands for `value` at `place`, never able to end the token around it. */
function inPlace(name: string, value: string, place: Place): string {
  switch (place) {
    case 'string':
      return value.replace(/'/g, "''");
    case 'double':
      return value.replace(/"/g, '""');
    case 'backtick':
      return value.replace(/`/g, '``');
    case 'bracket':
    case 'blob': {
      const ok = place === 'blob' ? /^[0-9A-Fa-f]*$/.test(value) : !value.includes(']');
      if (ok) return value;
      throw new SessqlError(
        'INVALID_PARAMETER',
        `template variable ${name} cannot be placed inside ${place === 'blob' ? "a blob literal X'…' (it is not hexadecimal)" : 'a [bracketed] name (it contains ])'}`,
        {
          hint: place === 'blob' ? 'give hexadecimal digits only' : 'use a "double-quoted" name around the variable instead',
        },
      );
    }
    case 'sql':
      return /^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
  }
}

function placeOf(t: Token): Place | undefined {
  if (t.kind === 'comment') return undefined;
  if (t.kind === 'string') return t.text[0] === "'" ? 'string' : 'blob';
  if (t.kind === 'quoted') return t.text[0] === '"' ? 'double' : t.text[0] === '`' ? 'backtick' : 'bracket';
  return 'sql';
}

/**
 * Calls `replace` for each template outside comments and returns the new text. Consecutive plain
 * tokens are scanned as one run (a template spans several punctuation and word tokens); a string,
 * quoted name or comment is scanned on its own. A text the lexer cannot read (an unterminated
 * string or comment) is returned unchanged, so SQLite reports the syntax error.
 */
function forEachTemplate(sql: string, replace: (name: string, place: Place) => string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (e) {
    if (e instanceof LexError) return sql;
    throw e;
  }
  let out = '';
  let run = '';
  const flush = () => {
    out += substitute(run, 'sql', replace);
    run = '';
  };
  for (const t of tokens) {
    const place = placeOf(t);
    if (place === 'sql') {
      run += t.text;
      continue;
    }
    flush();
    out += place === undefined ? t.text : substitute(t.text, place, replace);
  }
  flush();
  return out;
}

function substitute(text: string, place: Place, replace: (name: string, place: Place) => string): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => replace(name, place));
}
