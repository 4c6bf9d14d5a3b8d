// Test helpers: analyse and plan a statement against the built-in catalog, with no I/O.
import { Catalog } from '../../src/manifest/catalog.js';
import { planQuery, type QueryPlan } from '../../src/plan/plan.js';
import { analyseStatement, type Statement } from '../../src/sql/analyse.js';
import { identifierText, significant, tokenize } from '../../src/sql/lexer.js';

export const catalog = Catalog.load();
export const NOW = Date.parse('2026-11-22T12:00:00Z');

export function analyse(sql: string): Statement {
  return analyseStatement(sql, { resourceIds: () => catalog.resourceIds(), providerNames: () => [...catalog.providers.keys()] });
}

export function plan(sql: string, opts: { pushdown?: boolean; config?: Record<string, string> } = {}): QueryPlan {
  const st = analyse(sql);
  if (st.kind !== 'query') throw new Error(`not a query: ${st.kind}`);
  const ids = new Set(
    significant(tokenize(sql))
      .filter((t) => t.kind === 'word' || t.kind === 'quoted')
      .map((t) => identifierText(t).toLowerCase()),
  );
  return planQuery(
    st.analysis,
    {
      resolve: (id) => catalog.find(id, () => opts.config ?? {})!,
      config: () => opts.config ?? {},
      now: NOW,
      pushdown: opts.pushdown,
    },
    ids,
  );
}

/** The wire parameters of every fetch of a plan, sorted for stable comparison. */
export function calls(p: QueryPlan): Array<Record<string, unknown>> {
  return [...p.fetches.values()]
    .map((f) => ({ resource: f.resourceId, ...f.wire, ...(f.maxRows !== undefined ? { maxRows: f.maxRows } : {}) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
