// Constant folding before pushdown: a predicate's constant expressions (`date('now','-7 days')`,
// `'2026-11-' || '20'`, `CAST(… AS TEXT)`) are replaced by the values SQLite itself computes, so
// the pushed value means what SQLite means. An expression SQLite cannot evaluate alone stays an
// expression, and the planner leaves its conjunct to SQLite.
import type { SqlValue } from '../rows/convert.js';
import type { Conjunct, Literal, Operand, QueryAnalysis } from '../sql/types.js';

export function foldConstants(analysis: QueryAnalysis, evaluate: (expr: string) => SqlValue | undefined): QueryAnalysis {
  const fold = (o: Operand): Operand => {
    if (o.kind !== 'expr') return o;
    return toLiteral(evaluate(o.text)) ?? o;
  };
  const conjuncts = analysis.conjuncts.map((sc) => ({ ...sc, conjunct: foldConjunct(sc.conjunct, fold) }));
  return { ...analysis, conjuncts };
}

function foldConjunct(c: Conjunct, fold: (o: Operand) => Operand): Conjunct {
  switch (c.kind) {
    case 'compare':
      return { ...c, value: fold(c.value) };
    case 'in':
      return { ...c, values: c.values.map(fold) };
    case 'between':
      return { ...c, low: fold(c.low), high: fold(c.high) };
    case 'other':
      return c;
  }
}

function toLiteral(v: SqlValue | undefined): Literal | undefined {
  if (v === undefined) return undefined;
  if (v === null) return { kind: 'null' };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', value: v } : undefined;
  if (typeof v === 'string') return { kind: 'string', value: v };
  return undefined;
}
