import { describe, expect, it } from 'vitest';
import { SessqlError } from '../../src/errors.js';
import { calls, plan, NOW } from '../helpers/plan.js';

const S = 'cloudconnexa.vpn.sessions';
const DEFAULT_START = new Date(NOW - 86_400_000).toISOString().replace('.000Z', 'Z');
/** The v1 API's whole history window (30 days), a minute inside it. */
const WIDEST_START = new Date(NOW - 30 * 86_400_000 + 60_000).toISOString().replace('.000Z', 'Z');

function error(fn: () => unknown): SessqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SessqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('pushdown of top-level AND conjuncts', () => {
  it.each([
    ['no WHERE: defaults only', `SELECT * FROM ${S}`, [{ resource: S, startDate: DEFAULT_START }]],
    ['= binds', `SELECT * FROM ${S} WHERE status = 'ACTIVE'`, [{ resource: S, status: 'ACTIVE', startDate: DEFAULT_START }]],
    ['literal on the left', `SELECT * FROM ${S} WHERE 'ACTIVE' = status`, [{ resource: S, status: 'ACTIVE', startDate: DEFAULT_START }]],
    [
      'IN fans out one call per value',
      `SELECT * FROM ${S} WHERE status IN ('ACTIVE', 'FAILED')`,
      [
        { resource: S, status: 'ACTIVE', startDate: DEFAULT_START },
        { resource: S, status: 'FAILED', startDate: DEFAULT_START },
      ],
    ],
    ['nothing under OR', `SELECT * FROM ${S} WHERE status = 'ACTIVE' OR userName = 'x'`, [{ resource: S, startDate: DEFAULT_START }]],
    ['nothing under NOT', `SELECT * FROM ${S} WHERE NOT status = 'ACTIVE'`, [{ resource: S, startDate: DEFAULT_START }]],
    ['nothing under NOT IN', `SELECT * FROM ${S} WHERE status NOT IN ('ACTIVE')`, [{ resource: S, startDate: DEFAULT_START }]],
    ['nothing wrapped in a function', `SELECT * FROM ${S} WHERE lower(status) = 'active'`, [{ resource: S, startDate: DEFAULT_START }]],
    [
      'two conjuncts on one parameter intersect',
      `SELECT * FROM ${S} WHERE status IN ('ACTIVE','FAILED') AND status = 'FAILED'`,
      [{ resource: S, status: 'FAILED', startDate: DEFAULT_START }],
    ],
    ['contradiction fetches nothing', `SELECT * FROM ${S} WHERE status = 'ACTIVE' AND status = 'FAILED'`, []],
    [
      'explicit dates and returnOnlyNew',
      `SELECT * FROM ${S} WHERE startDate = '2026-11-01T00:00:00Z' AND endDate = '2026-11-10' AND returnOnlyNew = true`,
      [{ resource: S, startDate: '2026-11-01T00:00:00Z', endDate: '2026-11-10T00:00:00Z', returnOnlyNew: true }],
    ],
    [
      'a lower bound on sessionStartTime widens to startDate',
      `SELECT * FROM ${S} WHERE sessionStartTime >= '2026-11-20T06:30:15.250Z'`,
      [{ resource: S, startDate: '2026-11-20T06:30:15Z' }],
    ],
    [
      "a date-time literal in SQLite's own format is the same instant (literals are normalised)",
      `SELECT * FROM ${S} WHERE sessionStartTime > '2026-11-20 06:30:00'`,
      [{ resource: S, startDate: '2026-11-20T06:30:00Z' }],
    ],
    [
      'a date-only bound starts at midnight',
      `SELECT * FROM ${S} WHERE sessionStartTime >= '2026-11-20'`,
      [{ resource: S, startDate: '2026-11-20T00:00:00Z' }],
    ],
    [
      'an odd-format bound uses its safe prefix',
      `SELECT * FROM ${S} WHERE sessionStartTime > '2026-11-20 morning'`,
      [{ resource: S, startDate: '2026-11-20T00:00:00Z' }],
    ],
    [
      'BETWEEN gives the lower bound; the upper bound is never pushed',
      `SELECT * FROM ${S} WHERE sessionStartTime BETWEEN '2026-11-19T00:00:00Z' AND '2026-11-20T00:00:00Z'`,
      [{ resource: S, startDate: '2026-11-19T00:00:00Z' }],
    ],
    [
      'an upper bound alone is not pushed, and the whole history window is fetched',
      `SELECT * FROM ${S} WHERE sessionStartTime < '2026-11-20T00:00:00Z'`,
      [{ resource: S, startDate: WIDEST_START }],
    ],
    [
      'a time condition under OR widens to the whole history window',
      `SELECT * FROM ${S} WHERE sessionStartTime >= '2026-11-21' OR status = 'ACTIVE'`,
      [{ resource: S, startDate: WIDEST_START }],
    ],
    [
      'a function of the time column widens too',
      `SELECT * FROM ${S} WHERE date(sessionStartTime) = '2026-11-21'`,
      [{ resource: S, startDate: WIDEST_START }],
    ],
    [
      'a bound older than the history window is clamped into it',
      `SELECT * FROM ${S} WHERE sessionStartTime >= '2020-01-01T00:00:00Z'`,
      [{ resource: S, startDate: new Date(NOW - 30 * 86_400_000 + 60_000).toISOString().replace('.000Z', 'Z') }],
    ],
    [
      'an explicit startDate wins over a bound',
      `SELECT * FROM ${S} WHERE startDate = '2026-11-21T00:00:00Z' AND sessionStartTime >= '2026-11-21T10:00:00Z'`,
      [{ resource: S, startDate: '2026-11-21T00:00:00Z' }],
    ],
  ])('%s', (_, sql, expected) => {
    expect(calls(plan(sql))).toEqual(expected);
  });

  it('attributes qualified columns by alias, and unqualified ones to the only table that has them', () => {
    const p = plan(`SELECT * FROM ${S} a JOIN ${S} b ON a.userId = b.userId WHERE a.status = 'ACTIVE' AND b.status = 'FAILED'`);
    expect(calls(p).map((c) => c.status)).toEqual(['ACTIVE', 'FAILED']);
    expect(p.tables).toHaveLength(2);
    const q = plan(`SELECT * FROM ${S} s JOIN cloudconnexa.vpn.regions r ON r.id = s.region WHERE status = 'ACTIVE'`);
    expect(calls(q)).toEqual([{ resource: 'cloudconnexa.vpn.regions' }, { resource: S, status: 'ACTIVE', startDate: DEFAULT_START }]);
  });

  it('does not push a column both tables have when it is unqualified', () => {
    const p = plan(`SELECT * FROM ${S} a, ${S} b WHERE status = 'ACTIVE'`);
    expect(calls(p)).toEqual([{ resource: S, startDate: DEFAULT_START }]);
  });

  it('pushes a LEFT JOIN ON conjunct only to the joined table', () => {
    const p = plan(`SELECT * FROM ${S} a LEFT JOIN ${S} b ON b.userId = a.userId AND b.status = 'FAILED' AND a.status = 'ACTIVE'`);
    expect(
      calls(p)
        .map((c) => c.status ?? null)
        .sort(),
    ).toEqual(['FAILED', null]);
  });

  it('does not push a predicate from a subquery to the outer table', () => {
    const p = plan(`SELECT * FROM ${S} s WHERE s.userId IN (SELECT id FROM cloudconnexa.vpn.users u WHERE u.role = 'ADMIN' AND s.status = 'ACTIVE')`);
    expect(calls(p)).toEqual([{ resource: S, startDate: DEFAULT_START }, { resource: 'cloudconnexa.vpn.users' }]);
  });

  it('fetches a resource referenced twice with the same binding once, into one table', () => {
    const p = plan(`SELECT (SELECT count(*) FROM ${S} WHERE status = 'ACTIVE'), (SELECT count(*) FROM ${S} x WHERE x.status = 'ACTIVE')`);
    expect(p.fetches.size).toBe(1);
    expect(p.tables).toHaveLength(1);
    expect(new Set(p.spanTables).size).toBe(1);
  });

  it('fans an unbound enumerable parameter out over its values', () => {
    expect(calls(plan('SELECT * FROM cloudconnexa.vpn.connectors'))).toEqual([
      { resource: 'cloudconnexa.vpn.connectors', kind: 'hosts' },
      { resource: 'cloudconnexa.vpn.connectors', kind: 'networks' },
    ]);
    expect(calls(plan("SELECT * FROM cloudconnexa.vpn.connectors WHERE kind = 'HOST'"))).toEqual([
      { resource: 'cloudconnexa.vpn.connectors', kind: 'hosts' },
    ]);
  });

  it('uses the beta path variant through provider config', () => {
    const p = plan(`SELECT * FROM ${S}`, { config: { sessionsApi: 'beta' } });
    expect(p.fetches.size).toBe(1);
  });

  it('with pushdown off, binds only parameters the rows do not carry', () => {
    expect(calls(plan(`SELECT * FROM ${S} WHERE status = 'ACTIVE' AND sessionStartTime >= '2026-11-22T00:00:00Z'`, { pushdown: false }))).toEqual([
      { resource: S, startDate: WIDEST_START },
    ]);
  });
});

describe('LIMIT pushdown', () => {
  it.each([
    ['plain scan', `SELECT * FROM ${S} LIMIT 10`, 10],
    ['with OFFSET', `SELECT * FROM ${S} LIMIT 10 OFFSET 5`, 15],
    ['fully pushed WHERE', `SELECT * FROM ${S} WHERE status = 'ACTIVE' LIMIT 3`, 3],
    ['ORDER BY', `SELECT * FROM ${S} ORDER BY userName LIMIT 10`, undefined],
    ['aggregate', `SELECT count(*) FROM ${S} LIMIT 10`, undefined],
    ['DISTINCT', `SELECT DISTINCT userName FROM ${S} LIMIT 10`, undefined],
    ['local filter', `SELECT * FROM ${S} WHERE userName = 'x' LIMIT 10`, undefined],
    ['widened bound', `SELECT * FROM ${S} WHERE sessionStartTime >= '2026-11-22T00:00:00Z' LIMIT 10`, undefined],
    ['fan-out', `SELECT * FROM ${S} WHERE status IN ('ACTIVE','FAILED') LIMIT 10`, 10],
  ])('%s', (_, sql, maxRows) => {
    const fetches = [...plan(sql).fetches.values()];
    for (const f of fetches) expect(f.maxRows).toBe(maxRows);
  });
});

describe('parameter errors, before any request', () => {
  it('refuses an enum value outside its set, naming the allowed values', () => {
    const e = error(() => plan(`SELECT * FROM ${S} WHERE status = 'RUNNING'`));
    expect(e.code).toBe('INVALID_PARAMETER');
    expect(e.message).toContain('ACTIVE, COMPLETED, FAILED');
  });

  it('hints at the case of an enum value', () => {
    expect(error(() => plan(`SELECT * FROM ${S} WHERE status = 'active'`)).hint).toContain("'ACTIVE'");
  });

  it('explains the history window for an old startDate', () => {
    const e = error(() => plan(`SELECT * FROM ${S} WHERE startDate = '2026-09-01T00:00:00Z'`));
    expect(e.code).toBe('INVALID_PARAMETER');
    expect(e.hint).toMatch(/30 days/);
    const beta = error(() => plan(`SELECT * FROM ${S} WHERE startDate = '2026-11-10T00:00:00Z'`, { config: { sessionsApi: 'beta' } }));
    expect(beta.hint).toMatch(/7 days/);
  });

  it('refuses a malformed date', () => {
    expect(error(() => plan(`SELECT * FROM ${S} WHERE startDate = 'yesterday'`)).code).toBe('INVALID_PARAMETER');
  });
});
