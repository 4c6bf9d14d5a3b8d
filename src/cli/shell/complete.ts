// Tab completion: SQL keywords, `provider.service.resource` names (part by part after each dot),
// the columns and parameters (with their aliases) of the tables named in the statement, and the
// meta-commands with their arguments. Invariant: every candidate starts with the word it replaces.
import { LexError, significant, tokenize, type Token } from '../../sql/lexer.js';
import { META_COMMANDS, resolveMeta } from '../runner/meta.js';

export interface CompletionSource {
  /** Every `provider.service.resource` id. */
  resourceIds(): string[];
  /** Column and parameter names (aliases included) of a table id; [] when unknown. */
  columnsOf(id: string): string[];
}

export const KEYWORDS = [
  'SELECT',
  'DISTINCT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'LIKE',
  'GLOB',
  'BETWEEN',
  'EXISTS',
  'GROUP',
  'BY',
  'HAVING',
  'ORDER',
  'ASC',
  'DESC',
  'LIMIT',
  'OFFSET',
  'JOIN',
  'LEFT',
  'INNER',
  'CROSS',
  'ON',
  'USING',
  'AS',
  'WITH',
  'UNION',
  'ALL',
  'EXCEPT',
  'INTERSECT',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'TRUE',
  'FALSE',
  'SHOW',
  'PROVIDERS',
  'SERVICES',
  'RESOURCES',
  'DESCRIBE',
  'EXTENDED',
  'EXPLAIN',
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'COALESCE',
  'IFNULL',
  'ROUND',
  'LOWER',
  'UPPER',
  'DATETIME',
  'DATE',
  'STRFTIME',
  'JSON_EXTRACT',
  'JSON_EACH',
  'GROUP_CONCAT',
];

/** Keywords after which a table name comes. */
const TABLE_CONTEXT = new Set(['from', 'join', 'describe', 'extended', 'in']);
/** Words that cannot be a table alias. */
const NOT_ALIAS = new Set(KEYWORDS.map((k) => k.toLowerCase()).concat(['natural', 'outer', 'full', 'right', 'limit']));

/** Tokens of the text, up to an unterminated string or comment (the user is still typing it). */
function tokensOf(text: string): Token[] {
  try {
    return significant(tokenize(text));
  } catch (e) {
    return e instanceof LexError ? tokensOf(text.slice(0, e.position)) : [];
  }
}

/** The tables named in a statement: id → the names it can be referred to by (alias, last part). */
export function namedTables(text: string, ids: string[]): Map<string, string[]> {
  const known = new Map(ids.map((id) => [id.toLowerCase(), id]));
  const t = tokensOf(text);
  const out = new Map<string, string[]>();
  for (let i = 0; i + 4 < t.length; i++) {
    if (t[i + 1]?.text !== '.' || t[i + 3]?.text !== '.') continue;
    const id = known.get(`${t[i].text}.${t[i + 2]?.text}.${t[i + 4]?.text}`.toLowerCase());
    if (!id) continue;
    const names = out.get(id) ?? [id.split('.')[2]];
    const next = t[i + 5]?.text.toLowerCase() === 'as' ? t[i + 6] : t[i + 5];
    if (next?.kind === 'word' && !NOT_ALIAS.has(next.text.toLowerCase())) names.push(next.text);
    out.set(id, names);
  }
  return out;
}

/** Ids completed one part at a time: `cloudconnexa.v` → `cloudconnexa.vpn.`. */
export function completeId(word: string, ids: string[]): string[] {
  const w = word.toLowerCase();
  const depth = word.split('.').length - 1;
  const parts = ids
    .filter((id) => id.toLowerCase().startsWith(w))
    .map((id) => {
      const p = id.split('.');
      return p.length - 1 > depth ? `${p.slice(0, depth + 1).join('.')}.` : id;
    });
  return unique(parts).map((c) => word + c.slice(word.length));
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function withCase(word: string, keyword: string): string {
  return /[a-z]/.test(word) && !/[A-Z]/.test(word) ? keyword.toLowerCase() : keyword;
}

function startsWith(candidates: string[], word: string): string[] {
  const w = word.toLowerCase();
  return candidates.filter((c) => c.toLowerCase().startsWith(w)).map((c) => word + c.slice(word.length));
}

/** Completion of a meta-command line: the command, then its first argument. */
function completeMeta(line: string, src: CompletionSource): [string[], string] {
  const m = /^\s*\.(\S*)(\s+)?(.*)$/.exec(line)!;
  if (m[2] === undefined) {
    const names = Object.keys(META_COMMANDS).map((n) => `.${n}`);
    return [startsWith(names, `.${m[1]}`), `.${m[1]}`];
  }
  const args = resolveMeta(m[1])?.completes;
  const word = m[3];
  if (!args || /\s/.test(word)) return [[], word];
  return [args === 'tables' ? completeId(word, src.resourceIds()) : startsWith([...args], word), word];
}

/**
 * Candidates for the word before the cursor. `pending` is the statement typed on earlier lines,
 * `line` the whole current line (tables named after the cursor count too).
 */
export function complete(before: string, pending: string, line: string, src: CompletionSource): [string[], string] {
  if (!pending.trim() && /^\s*\./.test(before)) return completeMeta(before, src);
  const text = `${pending}${before}`;
  if (inStringOrComment(text)) return [[], ''];
  const word = /[A-Za-z0-9_$.]*$/.exec(before)![0];
  const ids = src.resourceIds();
  const tables = namedTables(`${pending}${line}`, ids);
  const head = tokensOf(text.slice(0, text.length - word.length));
  const prev = head[head.length - 1]?.text.toLowerCase();
  if (prev && TABLE_CONTEXT.has(prev)) return [completeId(word, ids), word];
  if (word.includes('.')) return [unique([...completeId(word, ids), ...qualifiedColumns(word, tables, src)]), word];
  if (!word) return [unique([...tables.keys()].flatMap((id) => src.columnsOf(id))), word];
  const columns = [...tables.keys()].flatMap((id) => src.columnsOf(id));
  const keywords = KEYWORDS.map((k) => withCase(word, k));
  return [unique([...startsWith(columns, word), ...startsWith(keywords, word), ...completeId(word, ids)]), word];
}

/** `s.us` → `s.userName` when `s` names a table of the statement (its alias or last part). */
function qualifiedColumns(word: string, tables: Map<string, string[]>, src: CompletionSource): string[] {
  const dot = word.indexOf('.');
  const [qualifier, rest] = [word.slice(0, dot), word.slice(dot + 1)];
  if (rest.includes('.')) return [];
  const out: string[] = [];
  for (const [id, names] of tables) {
    if (!names.some((n) => n.toLowerCase() === qualifier.toLowerCase())) continue;
    out.push(...startsWith(src.columnsOf(id), rest).map((c) => `${qualifier}.${c}`));
  }
  return out;
}

function inStringOrComment(text: string): boolean {
  try {
    const tokens = tokenize(text);
    const last = tokens[tokens.length - 1];
    return last?.kind === 'comment' && last.text.startsWith('--') && !last.text.includes('\n') && last.end === text.length;
  } catch {
    return true;
  }
}
