// Analysis: classifies a statement (query, metadata, EXEC, refused write) and, for queries, finds
// the sessql tables by their exact character spans, then analyses the statement's scopes and
// conjuncts (structure.ts). No I/O; an unknown table or a write fails here, before any API call.
import { SessqlError } from '../errors.js';
import { LexError, identifierText, lineColumn, significant, stringValue, tokenize, type Token } from './lexer.js';
import { analyseStructure, NOT_ALIAS, type Tok } from './structure.js';
import type { QueryAnalysis } from './types.js';
import { normaliseTimestamps } from './timestamps.js';
import { closest } from './suggest.js';

export interface TableSpan {
  start: number;
  end: number;
  resourceId: string;
  /** True when an alias follows the name in the text. */
  aliased: boolean;
}

export type Statement =
  | { kind: 'query'; text: string; spans: TableSpan[]; analysis: QueryAnalysis }
  | { kind: 'explain'; text: string; query: Extract<Statement, { kind: 'query' }> }
  | { kind: 'show-providers'; text: string }
  | { kind: 'show-services'; text: string; provider: string }
  | { kind: 'show-resources'; text: string; provider: string; service?: string }
  | { kind: 'describe'; text: string; resourceId: string; extended: boolean }
  | { kind: 'show-methods'; text: string; resourceId: string }
  | { kind: 'exec'; text: string; resourceId: string; method: string; args: Record<string, string> };

export interface NameLookup {
  /** Resource ids known to the catalog. */
  resourceIds(): string[];
  providerNames(): string[];
}

const WRITE_WORDS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'UPSERT',
  'CREATE',
  'DROP',
  'ALTER',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'VACUUM',
  'REINDEX',
  'ANALYZE',
  'BEGIN',
  'COMMIT',
  'END',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
]);

function upper(t: Token | undefined): string {
  return t && t.kind === 'word' ? t.text.toUpperCase() : '';
}

function syntaxError(sql: string, e: LexError): SessqlError {
  const { line, column } = lineColumn(sql, e.position);
  return new SessqlError('SQL_SYNTAX', `${e.message} at line ${line}, column ${column}`);
}

export function analyseStatement(sql: string, names: NameLookup): Statement {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (e) {
    if (e instanceof LexError) throw syntaxError(sql, e);
    throw e;
  }
  const sig = significant(tokens);
  const first = upper(sig[0]);
  switch (first) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
      return analyseQuery(sql, sig, names);
    case 'EXPLAIN': {
      if (upper(sig[1]) === 'QUERY') {
        throw new SessqlError('SQL_UNSUPPORTED', 'EXPLAIN QUERY PLAN is not supported', {
          hint: "use EXPLAIN <select> to see sessql's plan: pushed predicates and API calls",
        });
      }
      const inner = sql.slice(sig[1]?.start ?? sql.length);
      const q = analyseStatement(inner, names);
      if (q.kind !== 'query') throw new SessqlError('SQL_UNSUPPORTED', 'EXPLAIN takes a SELECT or WITH query');
      // spans are relative to the inner text; keep it as the query's own text
      return { kind: 'explain', text: sql, query: q };
    }
    case 'SHOW':
      return analyseShow(sql, sig, names);
    case 'DESCRIBE':
    case 'DESC':
      return analyseDescribe(sql, sig, names);
    case 'EXEC':
    case 'EXECUTE':
      return analyseExec(sql, sig, names);
    default:
      if (WRITE_WORDS.has(first)) {
        throw new SessqlError('READ_ONLY', `${first} is not allowed: sessql runs read-only queries`, {
          hint: 'use SELECT or WITH; metadata: SHOW PROVIDERS, DESCRIBE <table>, EXPLAIN <select>',
        });
      }
      throw new SessqlError('SQL_SYNTAX', `cannot run a statement starting with '${sig[0]?.text ?? ''}'`, {
        hint: 'sessql runs SELECT/WITH queries and SHOW, DESCRIBE, EXPLAIN and EXEC statements',
      });
  }
}

interface DottedName {
  parts: string[];
  start: number;
  end: number;
  /** Index in the significant tokens of the first part and of the token after the name. */
  first: number;
  after: number;
}

/** Finds `a.b.c` names (exactly three parts) in the significant tokens. */
export function findThreePartNames(sig: Token[]): DottedName[] {
  const out: DottedName[] = [];
  const isName = (t: Token | undefined) => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
  const isDot = (t: Token | undefined) => t !== undefined && t.kind === 'punct' && t.text === '.';
  for (let i = 0; i + 4 < sig.length; i++) {
    if (!isName(sig[i]) || !isDot(sig[i + 1]) || !isName(sig[i + 2]) || !isDot(sig[i + 3]) || !isName(sig[i + 4])) continue;
    if (isDot(sig[i - 1]) || isDot(sig[i + 5])) continue;
    out.push({
      parts: [sig[i], sig[i + 2], sig[i + 4]].map(identifierText),
      start: sig[i].start,
      end: sig[i + 4].end,
      first: i,
      after: i + 5,
    });
    i += 4;
  }
  return out;
}

function resolveTable(parts: string[], names: NameLookup, position: string): string {
  const id = parts.map((p) => p.toLowerCase()).join('.');
  if (names.resourceIds().includes(id)) return id;
  const known = names.providerNames();
  const hint = closest(id, names.resourceIds());
  if (!known.includes(parts[0].toLowerCase())) {
    throw new SessqlError('UNKNOWN_PROVIDER', `unknown provider '${parts[0]}' in ${id} ${position}`, {
      hint: hint ? `did you mean ${hint}? SHOW PROVIDERS lists the providers` : 'SHOW PROVIDERS lists the providers',
    });
  }
  throw new SessqlError('UNKNOWN_TABLE', `unknown table ${id} ${position}`, {
    hint: hint
      ? `did you mean ${hint}? SHOW RESOURCES IN ${parts[0]}.${parts[1]} lists its tables`
      : `SHOW SERVICES IN ${parts[0]} lists its services`,
  });
}

function analyseQuery(sql: string, sig: Token[], names: NameLookup): Statement {
  // Tables are resolved on the text as written, so errors point at the user's own positions;
  // then timestamps are normalised (see timestamps.ts) and the statement is analysed as it will run.
  tableNames(sql, sig, names, true);
  const normalised = normaliseTimestamps(sql);
  const text = normalised.text;
  const tokens = significant(tokenize(text));
  const found = tableNames(text, tokens, names, false);
  const spans = found.map((f) => f.span);
  // each table name becomes one token that knows which span it is
  const toks: Tok[] = [];
  for (let i = 0, k = 0; i < tokens.length; i++) {
    const f = found[k];
    if (f && i === f.first) {
      toks.push({ kind: 'word', text: f.span.resourceId, start: f.span.start, end: f.span.end, ref: k++ });
      i = f.after - 1;
    } else toks.push(tokens[i]);
  }
  // conjuncts are shown (EXPLAIN) in the user's own words, whitespace runs as one space
  const source = (start: number, end: number) => sql.slice(normalised.original(start), normalised.original(end)).replace(/\s+/g, ' ');
  const { analysis, misplaced } = analyseStructure(
    toks,
    spans.map((s) => s.resourceId),
    source,
  );
  if (misplaced.length) {
    const span = spans[misplaced[0]];
    const { line, column } = lineColumn(text, span.start);
    throw new SessqlError('SQL_SYNTAX', `${span.resourceId} is a table: it can stand only after FROM or JOIN (line ${line}, column ${column})`, {
      hint: `for example: SELECT * FROM ${span.resourceId}; a column is named by itself or as alias.column`,
    });
  }
  return { kind: 'query', text, spans, analysis };
}

/** The sessql tables of a statement; with `check`, unknown tables fail with their position. */
function tableNames(sql: string, sig: Token[], names: NameLookup, check: boolean): Array<{ span: TableSpan; first: number; after: number }> {
  const out: Array<{ span: TableSpan; first: number; after: number }> = [];
  for (const n of findThreePartNames(sig)) {
    const prev = upper(sig[n.first - 1]);
    const isProvider = names.providerNames().includes(n.parts[0].toLowerCase());
    // Outside FROM/JOIN a three-part name of a non-provider is SQLite's business (schema.table.column).
    if (!isProvider && prev !== 'FROM' && prev !== 'JOIN') continue;
    const { line, column } = lineColumn(sql, n.start);
    const resourceId = check ? resolveTable(n.parts, names, `(line ${line}, column ${column})`) : n.parts.map((p) => p.toLowerCase()).join('.');
    const following = sig[n.after];
    const aliased =
      following !== undefined && (following.kind === 'quoted' || (following.kind === 'word' && !NOT_ALIAS.has(following.text.toUpperCase())));
    out.push({ span: { start: n.start, end: n.end, resourceId, aliased }, first: n.first, after: n.after });
  }
  return out;
}

/** Replaces each span with the text `make` returns for it; everything else is kept as written. */
export function splice<T extends { start: number; end: number }>(sql: string, spans: T[], make: (span: T, index: number) => string): string {
  let out = '';
  let at = 0;
  spans.forEach((s, i) => {
    out += sql.slice(at, s.start) + make(s, i);
    at = s.end;
  });
  return out + sql.slice(at);
}

function dottedAt(sig: Token[], i: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let j = i;
  while (sig[j] && (sig[j].kind === 'word' || sig[j].kind === 'quoted')) {
    parts.push(identifierText(sig[j]));
    if (sig[j + 1]?.kind === 'punct' && sig[j + 1].text === '.') j += 2;
    else {
      j += 1;
      break;
    }
  }
  return { parts, next: j };
}

function expectEnd(sig: Token[], i: number, usage: string): void {
  if (sig[i]) throw new SessqlError('SQL_SYNTAX', `unexpected '${sig[i].text}'`, { hint: `usage: ${usage}` });
}

function analyseShow(sql: string, sig: Token[], names: NameLookup): Statement {
  const what = upper(sig[1]);
  if (what === 'PROVIDERS') {
    expectEnd(sig, 2, 'SHOW PROVIDERS');
    return { kind: 'show-providers', text: sql };
  }
  if (what === 'METHODS' && upper(sig[2]) === 'IN') {
    // stackql's SHOW METHODS IN provider.service.resource: the SELECT and EXEC methods
    const { parts, next } = dottedAt(sig, 3);
    expectEnd(sig, next, 'SHOW METHODS IN <provider>.<service>.<resource>');
    if (parts.length !== 3)
      throw new SessqlError('SQL_SYNTAX', 'SHOW METHODS takes a table name', { hint: 'usage: SHOW METHODS IN <provider>.<service>.<resource>' });
    return { kind: 'show-methods', text: sql, resourceId: resolveTable(parts, names, '') };
  }
  const usage = what === 'SERVICES' ? 'SHOW SERVICES IN <provider>' : 'SHOW RESOURCES IN <provider>.<service>';
  if ((what !== 'SERVICES' && what !== 'RESOURCES') || upper(sig[2]) !== 'IN') {
    throw new SessqlError('SQL_SYNTAX', `unknown SHOW statement`, {
      hint: 'SHOW PROVIDERS | SHOW SERVICES IN <provider> | SHOW RESOURCES IN <provider>.<service> | SHOW METHODS IN <provider>.<service>.<resource>',
    });
  }
  const { parts, next } = dottedAt(sig, 3);
  expectEnd(sig, next, usage);
  const provider = parts[0]?.toLowerCase();
  if (!provider || !names.providerNames().includes(provider)) {
    const hint = provider ? closest(provider, names.providerNames()) : undefined;
    throw new SessqlError('UNKNOWN_PROVIDER', `unknown provider '${parts[0] ?? ''}'`, {
      hint: hint ? `did you mean ${hint}?` : 'SHOW PROVIDERS lists the providers',
    });
  }
  if (what === 'SERVICES') {
    if (parts.length !== 1) throw new SessqlError('SQL_SYNTAX', 'SHOW SERVICES takes a provider name', { hint: `usage: ${usage}` });
    return { kind: 'show-services', text: sql, provider };
  }
  if (parts.length > 2) throw new SessqlError('SQL_SYNTAX', 'SHOW RESOURCES takes <provider>.<service>', { hint: `usage: ${usage}` });
  return { kind: 'show-resources', text: sql, provider, service: parts[1]?.toLowerCase() };
}

function analyseDescribe(sql: string, sig: Token[], names: NameLookup): Statement {
  let i = 1;
  const extended = upper(sig[1]) === 'EXTENDED';
  if (extended) i++;
  const { parts, next } = dottedAt(sig, i);
  expectEnd(sig, next, 'DESCRIBE [EXTENDED] <provider>.<service>.<resource>');
  if (parts.length !== 3) {
    throw new SessqlError('SQL_SYNTAX', 'DESCRIBE takes a table name <provider>.<service>.<resource>', {
      hint: 'for example: DESCRIBE <provider>.<service>.<resource> (SHOW PROVIDERS lists the providers)',
    });
  }
  return { kind: 'describe', text: sql, resourceId: resolveTable(parts, names, ''), extended };
}

/** EXEC p.s.r.method @name='value', @other='value' (stackql's form). */
function analyseExec(sql: string, sig: Token[], names: NameLookup): Statement {
  const usage = "EXEC <provider>.<service>.<resource>.<method> @name='value', …";
  const { parts, next } = dottedAt(sig, 1);
  if (parts.length !== 4) throw new SessqlError('SQL_SYNTAX', 'EXEC takes <provider>.<service>.<resource>.<method>', { hint: `usage: ${usage}` });
  const resourceId = resolveTable(parts.slice(0, 3), names, '');
  const args: Record<string, string> = {};
  let i = next;
  while (sig[i]) {
    const name = sig[i];
    if (name.kind !== 'param' || !name.text.startsWith('@') || sig[i + 1]?.text !== '=') {
      throw new SessqlError('SQL_SYNTAX', `expected @name = 'value' at '${name.text}'`, { hint: `usage: ${usage}` });
    }
    const value = sig[i + 2];
    if (!value || (value.kind !== 'string' && value.kind !== 'number')) {
      throw new SessqlError('SQL_SYNTAX', `expected a quoted value after ${name.text} =`, { hint: `usage: ${usage}` });
    }
    args[name.text.slice(1)] = value.kind === 'string' ? stringValue(value) : value.text;
    i += 3;
    if (sig[i]?.text === ',') i++;
  }
  return { kind: 'exec', text: sql, resourceId, method: parts[3], args };
}
