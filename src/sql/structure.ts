// Structural analysis of a query over the lexer's tokens: which SELECT scope holds each sessql
// table, the top-level AND conjuncts of each scope's WHERE and JOIN … ON, and a LIMIT that paging
// may honour. It covers every SQL form SQLite runs because it only needs clause keywords and
// parentheses; what it cannot place, it reports as unanalysed (the planner then fetches as wide
// as the API allows). It never reads an expression's meaning beyond `column op constant`.
import { SessqlError } from '../errors.js';
import { identifierText, stringValue, type Token } from './lexer.js';
import type { ColumnName, ComparisonOp, Conjunct, Literal, Operand, Predicate, QueryAnalysis, ScopedConjunct, TableReference } from './types.js';

/** A token, or a whole `provider.service.resource` name collapsed into one (`ref`). */
export interface Tok extends Token {
  ref?: number;
}

export interface StructureResult {
  analysis: QueryAnalysis;
  /** Table references that stand outside a FROM clause (a user mistake). */
  misplaced: number[];
}

class Unanalysable extends Error {}

const CORE_CLAUSES = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT'];
const COMPOUND = new Set(['UNION', 'INTERSECT', 'EXCEPT']);
const JOIN_WORDS = new Set(['NATURAL', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'CROSS', 'OUTER', 'JOIN']);
/** Words after a table that are not its alias. */
export const NOT_ALIAS = new Set([
  ...CORE_CLAUSES,
  ...JOIN_WORDS,
  'ON',
  'USING',
  'INDEXED',
  'NOT',
  'OFFSET',
  'RETURNING',
  'SET',
  'VALUES',
  'AND',
  'OR',
  'THEN',
  'ELSE',
  'END',
  'WHEN',
]);
/** Words that make a conjunct more than `column op constant`. */
const NOT_SIMPLE = new Set([
  'OR',
  'NOT',
  'IS',
  'LIKE',
  'GLOB',
  'REGEXP',
  'MATCH',
  'ISNULL',
  'NOTNULL',
  'ESCAPE',
  'EXISTS',
  'CASE',
  'COLLATE',
  'SELECT',
]);
const LITERAL_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME']);
const COMPARISON = new Set(['=', '==', '<', '<=', '>', '>=']);
const AGGREGATES = new Set(['COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'TOTAL', 'GROUP_CONCAT', 'STRING_AGG', 'JSON_GROUP_ARRAY', 'JSON_GROUP_OBJECT']);
/** Functions whose value is not a constant even without columns. */
const NOT_CONSTANT_FUNCTIONS = new Set(['RANDOM', 'RANDOMBLOB', 'CHANGES', 'TOTAL_CHANGES', 'LAST_INSERT_ROWID']);

type JoinKind = 'first' | 'inner' | 'left' | 'outer';

interface Scope {
  id: number;
  refs: number[];
}

/**
 * `source` gives the text shown for a conjunct (EXPLAIN) from its offsets: the user's own words
 * where the statement was normalised before analysis.
 */
export function analyseStructure(toks: Tok[], resourceIds: string[], source?: (start: number, end: number) => string): StructureResult {
  try {
    const parser = new StructureParser(toks, resourceIds, source);
    parser.parse();
    return { analysis: parser.result(), misplaced: parser.misplaced };
  } catch (e) {
    if (!(e instanceof Unanalysable)) throw e;
    return {
      analysis: {
        references: resourceIds.map((resourceId, index) => ({ index, resourceId, alias: null, scope: -1 })),
        conjuncts: [],
        filterIdentifiers: new Set(),
        unanalysed: e.message,
      },
      misplaced: [],
    };
  }
}

class StructureParser {
  readonly misplaced: number[] = [];
  private readonly close = new Map<number, number>();
  private readonly refs: TableReference[] = [];
  private readonly conjuncts: ScopedConjunct[] = [];
  private readonly filterIdentifiers = new Set<string>();
  private scopes = 0;
  private limit?: QueryAnalysis['limit'];

  constructor(
    private readonly toks: Tok[],
    private readonly resourceIds: string[],
    private readonly source?: (start: number, end: number) => string,
  ) {
    const open: number[] = [];
    toks.forEach((t, i) => {
      if (t.kind !== 'punct') return;
      if (t.text === '(') open.push(i);
      else if (t.text === ')') {
        const o = open.pop();
        if (o === undefined) throw new Unanalysable(`unbalanced ')' near '${near(toks, i)}'`);
        this.close.set(o, i);
      }
    });
    if (open.length) throw new Unanalysable(`unbalanced '(' near '${near(toks, open[0])}'`);
  }

  parse(): void {
    let end = this.toks.length;
    if (this.toks[end - 1]?.text === ';') end--;
    const info = this.selectStatement(0, end);
    if (info.limitCandidate) this.limit = info.limitCandidate;
  }

  result(): QueryAnalysis {
    const seen = new Set(this.refs.map((r) => r.index));
    for (let i = 0; i < this.resourceIds.length; i++) {
      if (!seen.has(i) && !this.misplaced.includes(i)) throw new Unanalysable(`could not place table ${this.resourceIds[i]}`);
    }
    const analysis: QueryAnalysis = {
      references: [...this.refs].sort((a, b) => a.index - b.index),
      conjuncts: this.conjuncts,
      filterIdentifiers: this.filterIdentifiers,
    };
    if (this.limit) analysis.limit = this.limit;
    return analysis;
  }

  private word(i: number): string {
    const t = this.toks[i];
    return t && t.kind === 'word' ? t.text.toUpperCase() : '';
  }

  private is(i: number, text: string): boolean {
    return this.toks[i]?.kind === 'punct' && this.toks[i].text === text;
  }

  private closing(i: number): number {
    const c = this.close.get(i);
    if (c === undefined) throw new Unanalysable(`unexpected '${this.toks[i]?.text ?? 'end'}'`);
    return c;
  }

  /** First index in [i, end) of a top-level stop word (parenthesised groups are skipped). */
  private scanUntil(i: number, end: number, stops: Iterable<string>, stopPunct: string[] = []): number {
    const set = new Set(stops);
    for (let j = i; j < end; j++) {
      const t = this.toks[j];
      if (t.kind === 'punct' && t.text === '(') {
        j = this.closing(j);
        continue;
      }
      if (t.kind === 'punct' && stopPunct.includes(t.text)) return j;
      const w = this.word(j);
      if (!set.has(w)) continue;
      // WINDOW is also an ordinary name; as a clause it reads `WINDOW w AS (`
      if (w === 'WINDOW' && this.word(j + 2) !== 'AS') continue;
      return j;
    }
    return end;
  }

  /** SELECT/WITH/VALUES statement in [a, b); returns what a LIMIT pushdown needs to know. */
  private selectStatement(a: number, b: number): { limitCandidate?: QueryAnalysis['limit'] } {
    let i = a;
    const scopesBefore = this.scopes;
    const withClause = this.word(i) === 'WITH';
    if (withClause) i = this.withClause(i + 1, b);
    let cores = 0;
    let simple: { ref?: number; plain: boolean } = { plain: false };
    for (;;) {
      const w = this.word(i);
      if (w === 'SELECT') {
        const r = this.core(i, b);
        simple = r.simple;
        i = r.end;
      } else if (w === 'VALUES') {
        const end = this.scanUntil(i + 1, b, [...COMPOUND, 'ORDER', 'LIMIT']);
        this.nested(i + 1, end);
        i = end;
      } else {
        throw new Unanalysable(`unexpected '${this.toks[i]?.text ?? 'end of statement'}'`);
      }
      cores++;
      if (!COMPOUND.has(this.word(i))) break;
      i++;
      if (this.word(i) === 'ALL') i++;
    }
    let ordered = false;
    if (this.word(i) === 'ORDER') {
      const end = this.scanUntil(i + 1, b, ['LIMIT']);
      this.nested(i + 1, end);
      ordered = true;
      i = end;
    }
    let rows: number | undefined;
    if (this.word(i) === 'LIMIT') {
      this.nested(i + 1, b);
      rows = limitRows(this.toks.slice(i + 1, b));
      i = b;
    }
    if (i !== b) throw new Unanalysable(`unexpected '${this.toks[i].text}' near '${near(this.toks, i)}'`);
    const single = cores === 1 && !withClause && !ordered && simple.plain && simple.ref !== undefined && this.scopes === scopesBefore + 1;
    return single && rows !== undefined ? { limitCandidate: { reference: simple.ref!, rows } } : {};
  }

  private withClause(i: number, b: number): number {
    if (this.word(i) === 'RECURSIVE') i++;
    for (;;) {
      i++; // the CTE's name
      if (this.is(i, '(')) i = this.closing(i) + 1;
      if (this.word(i) !== 'AS') throw new Unanalysable(`expected AS in WITH near '${near(this.toks, i)}'`);
      i++;
      if (this.word(i) === 'NOT') i++;
      if (this.word(i) === 'MATERIALIZED') i++;
      if (!this.is(i, '(')) throw new Unanalysable(`expected ( in WITH near '${near(this.toks, i)}'`);
      const c = this.closing(i);
      this.selectStatement(i + 1, c);
      i = c + 1;
      if (!this.is(i, ',')) return i;
      i++;
      if (i >= b) throw new Unanalysable('unexpected end of WITH');
    }
  }

  /** One SELECT core from its SELECT keyword; returns the index after it. */
  private core(i: number, b: number): { end: number; simple: { ref?: number; plain: boolean } } {
    const scope: Scope = { id: this.scopes++, refs: [] };
    i++;
    let plain = true;
    if (this.word(i) === 'DISTINCT') plain = false;
    if (this.word(i) === 'DISTINCT' || this.word(i) === 'ALL') i++;
    const listEnd = this.scanUntil(i, b, CORE_CLAUSES);
    if (this.hasAggregateOrWindow(i, listEnd)) plain = false;
    this.nested(i, listEnd);
    i = listEnd;
    const pending: Array<{ from: number; to: number; kind: JoinKind; item: number[] }> = [];
    let items = 0;
    if (this.word(i) === 'FROM') {
      const end = this.scanUntil(
        i + 1,
        b,
        CORE_CLAUSES.filter((w) => w !== 'FROM'),
      );
      items = this.from(i + 1, end, scope, pending);
      i = end;
    }
    const where: Array<{ from: number; to: number }> = [];
    if (this.word(i) === 'WHERE') {
      const end = this.scanUntil(i + 1, b, ['GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', ...COMPOUND]);
      where.push({ from: i + 1, to: end });
      i = end;
    }
    for (const p of pending) this.addConjuncts(p.from, p.to, p.kind === 'left' ? p.item : p.kind === 'outer' ? [] : scope.refs);
    for (const w of where) {
      this.addConjuncts(w.from, w.to, scope.refs);
      this.nested(w.from, w.to);
    }
    for (const [word, stops] of [
      ['GROUP', ['HAVING', 'WINDOW', 'ORDER', 'LIMIT', ...COMPOUND]],
      ['HAVING', ['WINDOW', 'ORDER', 'LIMIT', ...COMPOUND]],
      ['WINDOW', ['ORDER', 'LIMIT', ...COMPOUND]],
    ] as const) {
      if (this.word(i) !== word) continue;
      plain = false;
      const end = this.scanUntil(i + 1, b, stops);
      if (word === 'HAVING') this.addFilterIdentifiers(i + 1, end);
      this.nested(i + 1, end);
      i = end;
    }
    const ref = items === 1 && scope.refs.length === 1 ? scope.refs[0] : undefined;
    return { end: i, simple: { ref, plain: plain && pending.length === 0 } };
  }

  private hasAggregateOrWindow(a: number, b: number): boolean {
    for (let j = a; j < b; j++) {
      const w = this.word(j);
      if (w === 'OVER' || w === 'FILTER' || (AGGREGATES.has(w) && this.is(j + 1, '('))) return true;
    }
    return false;
  }

  /** FROM items in [a, b); returns how many. ON conditions are queued on `pending`. */
  private from(a: number, b: number, scope: Scope, pending: Array<{ from: number; to: number; kind: JoinKind; item: number[] }>): number {
    let i = a;
    let kind: JoinKind = 'first';
    let count = 0;
    while (i < b) {
      const before = scope.refs.length;
      const t = this.toks[i];
      if (t.ref !== undefined) {
        i = this.alias(i + 1, (alias) => this.addRef(t.ref!, alias, scope));
      } else if (this.is(i, '(')) {
        const c = this.closing(i);
        const first = this.word(i + 1);
        if (first === 'SELECT' || first === 'WITH' || first === 'VALUES') this.selectStatement(i + 1, c);
        else count += this.from(i + 1, c, scope, pending) - 1; // a parenthesised join
        i = this.alias(c + 1, () => undefined);
      } else if ((t.kind === 'word' || t.kind === 'quoted') && this.is(i + 1, '(')) {
        const c = this.closing(i + 1); // a table-valued function such as json_each(…)
        this.nested(i + 2, c);
        i = this.alias(c + 1, () => undefined);
      } else if (t.kind === 'word' || t.kind === 'quoted') {
        i += this.is(i + 1, '.') ? 3 : 1;
        i = this.alias(i, () => undefined);
      } else {
        throw new Unanalysable(`unexpected '${t.text}' in FROM near '${near(this.toks, i)}'`);
      }
      count++;
      const item = scope.refs.slice(before);
      if (this.word(i) === 'INDEXED') i += 3;
      else if (this.word(i) === 'NOT' && this.word(i + 1) === 'INDEXED') i += 2;
      if (this.word(i) === 'ON') {
        const end = this.scanUntil(i + 1, b, JOIN_WORDS, [',']);
        this.addFilterIdentifiers(i + 1, end);
        pending.push({ from: i + 1, to: end, kind, item });
        this.nested(i + 1, end);
        i = end;
      } else if (this.word(i) === 'USING') {
        if (!this.is(i + 1, '(')) throw new Unanalysable('expected ( after USING');
        i = this.closing(i + 1) + 1;
      }
      if (i >= b) break;
      if (this.is(i, ',')) {
        kind = 'inner';
        i++;
        continue;
      }
      const words: string[] = [];
      while (JOIN_WORDS.has(this.word(i))) {
        words.push(this.word(i));
        i++;
        if (words[words.length - 1] === 'JOIN') break;
      }
      if (words[words.length - 1] !== 'JOIN')
        throw new Unanalysable(`unexpected '${this.toks[i]?.text ?? 'end'}' in FROM near '${near(this.toks, i)}'`);
      kind = words.includes('LEFT') ? 'left' : words.includes('RIGHT') || words.includes('FULL') ? 'outer' : 'inner';
    }
    return count;
  }

  /** Reads an optional alias at i; returns the index after it. */
  private alias(i: number, set: (alias: string | null) => void): number {
    const t = this.toks[i];
    if (this.word(i) === 'AS') {
      const n = this.toks[i + 1];
      if (!n || (n.kind !== 'word' && n.kind !== 'quoted' && n.kind !== 'string')) throw new Unanalysable('expected an alias after AS');
      set(n.kind === 'string' ? stringValue(n) : identifierText(n));
      return i + 2;
    }
    if (t?.ref !== undefined) {
      throw new SessqlError('SQL_SYNTAX', `two tables follow each other without a comma or JOIN, before ${t.text}`, {
        hint: 'separate tables in FROM with JOIN … ON … (or a comma)',
      });
    }
    if (t && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_ALIAS.has(t.text.toUpperCase())))) {
      set(identifierText(t));
      return i + 1;
    }
    set(null);
    return i;
  }

  private addRef(index: number, alias: string | null, scope: Scope): void {
    scope.refs.push(index);
    this.refs.push({ index, resourceId: this.resourceIds[index], alias, scope: scope.id });
  }

  /** Finds the SELECTs nested in [a, b) (subqueries) and any table name standing outside FROM. */
  private nested(a: number, b: number): void {
    for (let j = a; j < b; j++) {
      const t = this.toks[j];
      if (t.ref !== undefined) this.misplaced.push(t.ref);
      if (!(t.kind === 'punct' && t.text === '(')) continue;
      const c = this.closing(j);
      const first = this.word(j + 1);
      if (first === 'SELECT' || first === 'WITH' || first === 'VALUES') this.selectStatement(j + 1, c);
      else {
        if (first === 'WHERE') this.addFilterIdentifiers(j + 2, c); // FILTER (WHERE …)
        this.nested(j + 1, c);
      }
      j = c;
    }
  }

  private addFilterIdentifiers(a: number, b: number): void {
    for (let j = a; j < b; j++) {
      const t = this.toks[j];
      if (t.kind === 'word' || t.kind === 'quoted') this.filterIdentifiers.add(identifierText(t).toLowerCase());
    }
  }

  /** Splits [a, b) on top-level AND and records each conjunct for the eligible references. */
  private addConjuncts(a: number, b: number, eligible: number[]): void {
    this.addFilterIdentifiers(a, b);
    for (const [from, to] of this.splitAnd(a, b)) {
      this.conjuncts.push({ conjunct: this.classify(from, to), eligible: [...eligible] });
    }
  }

  private splitAnd(a: number, b: number): Array<[number, number]> {
    // a conjunct wholly in parentheses is split inside them too
    if (this.is(a, '(') && this.close.get(a) === b - 1 && !['SELECT', 'WITH', 'VALUES'].includes(this.word(a + 1)))
      return this.splitAnd(a + 1, b - 1);
    const parts: Array<[number, number]> = [];
    let start = a;
    let cases = 0;
    let between = 0;
    for (let j = a; j < b; j++) {
      if (this.is(j, '(')) {
        j = this.closing(j);
        continue;
      }
      const w = this.word(j);
      if (w === 'CASE') cases++;
      else if (w === 'END' && cases > 0) cases--;
      else if (cases === 0 && w === 'BETWEEN') between++;
      else if (cases === 0 && w === 'AND') {
        if (between > 0) between--;
        else {
          parts.push([start, j]);
          start = j + 1;
        }
      }
    }
    parts.push([start, b]);
    return parts.flatMap(([f, t]) =>
      t - f > 0 && this.is(f, '(') && this.close.get(f) === t - 1 && !['SELECT', 'WITH', 'VALUES'].includes(this.word(f + 1))
        ? this.splitAnd(f, t)
        : [[f, t] as [number, number]],
    );
  }

  /** The conjunct's text as written (comments dropped, whitespace runs kept as one space). */
  private text(a: number, b: number): string {
    let out = '';
    for (let j = a; j < b; j++) {
      if (j > a && this.toks[j].start > this.toks[j - 1].end) out += ' ';
      out += this.toks[j].text;
    }
    return out;
  }

  private classify(a: number, b: number): Conjunct {
    const text = this.source && b > a ? this.source(this.toks[a].start, this.toks[b - 1].end) : this.text(a, b);
    const other = (reason: string): Conjunct => ({ kind: 'other', text, reason, columns: this.columnsIn(a, b) });
    if (b <= a) return other('empty');
    // words at the top level that make it more than `column op constant`
    let ops = 0;
    for (let j = a; j < b; j++) {
      if (this.is(j, '(')) {
        j = this.closing(j);
        continue;
      }
      const w = this.word(j);
      if (w === 'OR') return other('under OR: evaluated by SQLite');
      if (w === 'NOT') return other('negation: evaluated by SQLite');
      if (NOT_SIMPLE.has(w)) return other(`${w} is evaluated by SQLite`);
      const t = this.toks[j];
      if (t.kind === 'punct' && (COMPARISON.has(t.text) || t.text === '!=' || t.text === '<>')) ops++;
    }
    for (let j = a; j < b; j++)
      if (this.word(j) === 'COLLATE' || this.word(j) === 'SELECT') return other('a collation or subquery: evaluated by SQLite');
    const col = this.columnAt(a, b);
    if (col) {
      const k = col.next;
      const op = this.toks[k];
      if (op?.kind === 'punct' && COMPARISON.has(op.text) && ops === 1) {
        const value = this.constant(k + 1, b);
        if (value)
          return this.predicate(
            { kind: 'compare', op: (op.text === '==' ? '=' : op.text) as ComparisonOp, column: col.name, value: value.operand, text },
            value.volatile,
          );
        return other('not a column compared with a constant: evaluated by SQLite');
      }
      if (this.word(k) === 'IN' && this.is(k + 1, '(') && this.closing(k + 1) === b - 1 && ops === 0) {
        const values = this.splitTop(k + 2, b - 1, ',').map(([f, t]) => this.constant(f, t));
        if (values.length && values.every((v) => v !== undefined)) {
          return this.predicate(
            { kind: 'in', column: col.name, values: values.map((v) => v!.operand), text },
            values.some((v) => v!.volatile),
          );
        }
        return other('IN with a non-constant list is evaluated by SQLite');
      }
      if (this.word(k) === 'BETWEEN' && ops === 0) {
        const and = this.splitTop(k + 1, b, 'AND');
        if (and.length === 2) {
          const low = this.constant(...and[0]);
          const high = this.constant(...and[1]);
          if (low && high)
            return this.predicate({ kind: 'between', column: col.name, low: low.operand, high: high.operand, text }, low.volatile || high.volatile);
        }
        return other('BETWEEN with non-constant bounds is evaluated by SQLite');
      }
    }
    // constant op column
    if (ops === 1) {
      for (let j = a; j < b; j++) {
        if (this.is(j, '(')) {
          j = this.closing(j);
          continue;
        }
        const t = this.toks[j];
        if (t.kind !== 'punct' || !COMPARISON.has(t.text)) continue;
        const right = this.columnAt(j + 1, b);
        const left = this.constant(a, j);
        if (right && right.next === b && left) {
          const flip: Record<string, ComparisonOp> = { '=': '=', '==': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
          return this.predicate({ kind: 'compare', op: flip[t.text], column: right.name, value: left.operand, text }, left.volatile);
        }
        break;
      }
    }
    return other('not a column compared with a constant: evaluated by SQLite');
  }

  private predicate(p: Predicate, volatile: boolean): Conjunct {
    return volatile ? { ...p, volatile } : p;
  }

  /** Splits [a, b) on a top-level separator (`,` or the word AND). */
  private splitTop(a: number, b: number, sep: string): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let start = a;
    for (let j = a; j < b; j++) {
      if (this.is(j, '(')) {
        j = this.closing(j);
        continue;
      }
      if ((sep === ',' && this.is(j, ',')) || (sep !== ',' && this.word(j) === sep)) {
        out.push([start, j]);
        start = j + 1;
      }
    }
    out.push([start, b]);
    return out;
  }

  /** A column reference (`name` or `qualifier.name`) starting at a, or undefined. */
  private columnAt(a: number, b: number): { name: ColumnName; next: number } | undefined {
    const isName = (j: number) => {
      const t = this.toks[j];
      return (
        j < b &&
        t !== undefined &&
        t.ref === undefined &&
        (t.kind === 'quoted' || (t.kind === 'word' && !LITERAL_WORDS.has(t.text.toUpperCase()) && !NOT_SIMPLE.has(t.text.toUpperCase())))
      );
    };
    if (!isName(a)) return undefined;
    if (this.is(a + 1, '(')) return undefined; // a function call
    if (this.is(a + 1, '.')) {
      if (!isName(a + 2) || this.is(a + 3, '.') || this.is(a + 3, '(')) return undefined;
      return { name: { table: identifierText(this.toks[a]), column: identifierText(this.toks[a + 2]) }, next: a + 3 };
    }
    return { name: { table: null, column: identifierText(this.toks[a]) }, next: a + 1 };
  }

  /**
   * [a, b) as a constant: a literal, or an expression without names that SQLite evaluates
   * before planning (a name in it makes that evaluation fail, and the conjunct is not pushed).
   */
  private constant(a: number, b: number): { operand: Operand; volatile: boolean } | undefined {
    if (b <= a) return undefined;
    if (b - a === 1) {
      const lit = literal(this.toks[a]);
      if (lit) return { operand: lit, volatile: false };
    }
    if (b - a === 2 && this.is(a, '-') && this.toks[a + 1].kind === 'number') {
      const lit = literal(this.toks[a + 1]);
      if (lit?.kind === 'number') return { operand: { kind: 'number', value: -lit.value }, volatile: false };
    }
    let volatile = false;
    for (let j = a; j < b; j++) {
      const t = this.toks[j];
      if (t.ref !== undefined || t.kind === 'quoted' || t.kind === 'param') return undefined;
      const w = this.word(j);
      if (w === 'SELECT' || w === 'COLLATE' || NOT_CONSTANT_FUNCTIONS.has(w)) return undefined;
      if (w.startsWith('CURRENT_')) volatile = true;
      if (t.kind === 'string' && t.text.startsWith("'") && stringValue(t).trim().toLowerCase() === 'now') volatile = true;
    }
    return { operand: { kind: 'expr', text: this.text(a, b) }, volatile };
  }

  /** Every name in [a, b), for deciding which tables a conjunct touches (over-reporting is safe). */
  private columnsIn(a: number, b: number): ColumnName[] {
    const out: ColumnName[] = [];
    for (let j = a; j < b; j++) {
      const t = this.toks[j];
      if (t.kind !== 'word' && t.kind !== 'quoted') continue;
      if (this.is(j + 1, '.') && j + 2 < b) {
        out.push({ table: identifierText(t), column: identifierText(this.toks[j + 2]) });
        j += 2;
        continue;
      }
      out.push({ table: null, column: identifierText(t) });
    }
    return out;
  }
}

function literal(t: Token): Literal | undefined {
  if (t.kind === 'string' && t.text.startsWith("'")) return { kind: 'string', value: stringValue(t) };
  if (t.kind === 'number') {
    const n = Number(t.text);
    return Number.isFinite(n) && /^\d+(\.\d*)?([eE][+-]?\d+)?$|^\.\d+/.test(t.text) ? { kind: 'number', value: n } : undefined;
  }
  const w = t.kind === 'word' ? t.text.toUpperCase() : '';
  if (w === 'NULL') return { kind: 'null' };
  if (w === 'TRUE' || w === 'FALSE') return { kind: 'boolean', value: w === 'TRUE' };
  return undefined;
}

/** Rows a LIMIT needs from paging: only `LIMIT n`, `LIMIT n OFFSET m` and `LIMIT m, n` with plain non-negative integers. */
function limitRows(toks: Token[]): number | undefined {
  const int = (t: Token | undefined) => (t && t.kind === 'number' && /^\d+$/.test(t.text) ? Number(t.text) : undefined);
  const first = int(toks[0]);
  if (first === undefined) return undefined;
  if (toks.length === 1) return first;
  const second = int(toks[2]);
  if (toks.length !== 3 || second === undefined) return undefined;
  const sep = toks[1];
  if (sep.kind === 'punct' && sep.text === ',') return first + second;
  if (sep.kind === 'word' && sep.text.toUpperCase() === 'OFFSET') return first + second;
  return undefined;
}

function near(toks: Token[], i: number): string {
  return toks
    .slice(i, i + 3)
    .map((t) => t.text)
    .join(' ');
}
