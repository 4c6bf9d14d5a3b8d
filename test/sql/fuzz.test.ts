// Seeded SQL fuzz (issue 9): token soup, mutations and truncations of real statements, deep
// nesting, huge IN lists, odd identifiers and huge numbers, through the whole engine (analysis,
// planning, a fake API, SQLite, rendering). Every statement ends with a result or a SessqlError
// that is not INTERNAL — no raw exception, no hang. Same seed, same statements, every run.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { SessqlError } from '../../src/errors.js';
import type { HttpPort } from '../../src/fetch/types.js';
import { render } from '../../src/output/render.js';
import { renderTemplate } from '../../src/sql/template.js';

/** An API that answers every list with one empty page (and tokens), so statements reach SQLite. */
const fakeApi: HttpPort = {
  async request(req) {
    const headers = { 'content-type': 'application/json' };
    if (req.url.includes('/oauth/token')) return { status: 200, headers, body: JSON.stringify({ access_token: 'fuzz-token', expires_in: 3600 }) };
    return { status: 200, headers, body: JSON.stringify({ sessions: [], content: [], value: [], items: [], data: [], totalPages: 1 }) };
  },
};

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  return { next, int, pick };
}

const SEEDS = [
  "SELECT userName, count(*) AS n FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' GROUP BY userName ORDER BY n DESC",
  "SELECT s.id, u.email FROM cloudconnexa.vpn.sessions s JOIN cloudconnexa.vpn.users u ON u.id = s.userId WHERE s.startDate >= date('now', '-3 days') LIMIT 5",
  "WITH a AS (SELECT * FROM cloudconnexa.vpn.regions) SELECT count(*) FROM a WHERE name LIKE 'E%'",
  "SELECT * FROM azure.network.active_sessions WHERE subscriptionId = 'x' AND resourceGroupName = 'rg' AND bastionHostName = 'b'",
  "SELECT json_extract(platform, '$.os') AS os, count(*) FROM cloudconnexa.vpn.devices GROUP BY 1",
  "EXPLAIN SELECT * FROM cloudconnexa.vpn.sessions WHERE status IN ('ACTIVE', 'FAILED') AND userName = 'a''b'",
  'DESCRIBE EXTENDED cloudconnexa.vpn.sessions',
  'SHOW RESOURCES IN cloudconnexa.vpn',
  "SELECT CASE WHEN bytesIn > 1e6 THEN 'big' ELSE 'small' END, sum(bytesOut) FROM cloudconnexa.vpn.sessions GROUP BY 1 HAVING sum(bytesOut) > 0",
  'SELECT 1 UNION ALL SELECT 2 ORDER BY 1 DESC',
];

const TOKENS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'BETWEEN',
  'IS',
  'NULL',
  'GROUP BY',
  'ORDER BY',
  'LIMIT',
  'OFFSET',
  'UNION',
  'JOIN',
  'LEFT JOIN',
  'ON',
  'AS',
  'WITH',
  'RECURSIVE',
  'CASE',
  'WHEN',
  'THEN',
  'END',
  'DISTINCT',
  'EXPLAIN',
  'DESCRIBE',
  'SHOW',
  'PROVIDERS',
  'PRAGMA',
  'ATTACH',
  'INSERT',
  'DELETE',
  'VALUES',
  'cloudconnexa.vpn.sessions',
  'azure.network.active_sessions',
  'cloudconnexa.vpn',
  'cloudconnexa',
  'a.b.c.d',
  'userName',
  'status',
  'startDate',
  'id',
  '*',
  ',',
  '(',
  ')',
  '=',
  '<>',
  '>=',
  '||',
  '->>',
  "'ACTIVE'",
  "'",
  '"',
  '`',
  '[',
  ']',
  '--',
  '/*',
  '*/',
  ';',
  '.',
  '?',
  ':x',
  '@y',
  '$z',
  '0',
  '-1',
  '1e999',
  '9223372036854775808',
  '0x7fffffffffffffff',
  "x'00ff'",
  "X'",
  '"a""b"',
  '[odd name]',
  '`tick`',
  'ünïcödé',
  '{{ v }}',
  '\n',
  '\t',
];

function soup(r: ReturnType<typeof prng>): string {
  return Array.from({ length: 1 + r.int(25) }, () => r.pick(TOKENS)).join(r.next() < 0.8 ? ' ' : '');
}

function mutate(r: ReturnType<typeof prng>, sql: string): string {
  let s = sql;
  for (let k = 1 + r.int(4); k > 0; k--) {
    const at = r.int(s.length + 1);
    const op = r.int(4);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + r.int(5));
    else if (op === 1) s = s.slice(0, at) + r.pick(TOKENS) + s.slice(at);
    else if (op === 2) s = s.slice(0, at) + r.pick(["'", '"', '(', ')', ';', '--', '/*', '`', '[']) + s.slice(at);
    else s = s.slice(at) + s.slice(0, at);
  }
  return s;
}

function statements(): string[] {
  const r = prng(20261130);
  const out: string[] = [];
  for (let i = 0; i < 120; i++) out.push(soup(r));
  for (let i = 0; i < 150; i++) out.push(mutate(r, r.pick(SEEDS)));
  for (const seed of SEEDS) for (let cut = 1; cut < seed.length; cut += 9 + r.int(9)) out.push(seed.slice(0, cut));
  // deep nesting: expressions, subqueries, CTEs
  for (const depth of [50, 500, 3000]) out.push(`SELECT ${'('.repeat(depth)}1${')'.repeat(depth)}`);
  for (const depth of [20, 120]) out.push(`${'SELECT * FROM ('.repeat(depth)}SELECT 1${')'.repeat(depth)}`);
  out.push(`SELECT count(*) FROM ${'(SELECT * FROM '.repeat(30)}cloudconnexa.vpn.regions${')'.repeat(30)}`);
  out.push(`WITH ${Array.from({ length: 200 }, (_, i) => `c${i} AS (SELECT ${i} AS v)`).join(', ')} SELECT * FROM c199`);
  // huge IN lists, on a pushed-down enum parameter, on other columns, and on a fan-out parameter
  const values = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(', ');
  out.push(`SELECT count(*) FROM cloudconnexa.vpn.sessions WHERE status IN (${values(3000, (i) => `'S${i}'`)})`);
  out.push(`SELECT count(*) FROM cloudconnexa.vpn.sessions WHERE userName IN (${values(5000, (i) => `'u${i}'`)})`);
  out.push(
    `SELECT count(*) FROM azure.network.active_sessions WHERE subscriptionId = 's' AND resourceGroupName = 'g' AND bastionHostName IN (${values(300, (i) => `'b${i}'`)})`,
  );
  out.push(`SELECT 1 WHERE 1 IN (${values(10_000, (i) => String(i))})`);
  // odd identifiers
  for (const name of [
    '"a""b"',
    '[x y]',
    '`t``u`',
    '"ünï code"',
    '""',
    '"cloudconnexa.vpn.sessions"',
    '"SELECT"',
    '[cloudconnexa].[vpn].[sessions]',
    '"a--b"',
    '"a/*b"',
  ]) {
    out.push(`SELECT 1 AS ${name}`, `SELECT ${name} FROM cloudconnexa.vpn.sessions`, `SELECT * FROM ${name}`);
  }
  // huge and odd numbers
  for (const n of [
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775808',
    '99999999999999999999999999',
    '1e999',
    '-1e999',
    '1e-999',
    '0x7fffffffffffffff',
    '0xffffffffffffffffff',
    '1.7976931348623157e308',
    '.5e',
    '1e',
    '0x',
    '00000000000000000000001',
  ]) {
    out.push(
      `SELECT ${n} AS n`,
      `SELECT count(*) FROM cloudconnexa.vpn.sessions WHERE bytesIn > ${n}`,
      `SELECT * FROM cloudconnexa.vpn.sessions LIMIT ${n}`,
    );
  }
  return out;
}

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${what.slice(0, 200)}`)), ms)));
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('seeded SQL fuzz', () => {
  it('no INTERNAL error, no raw exception, no hang', async () => {
    const engine = createEngine({
      env: {},
      cache: false,
      config: {
        cloudconnexa: { baseUrl: 'http://127.0.0.1:9', clientId: 'fuzz', clientSecret: 'fuzz-secret' },
        azure: { resourceManagerUrl: 'http://127.0.0.1:9', accessToken: 'fuzz-token' },
      },
      fetch: { http: fakeApi, sleep: async () => undefined },
    });
    const problems: string[] = [];
    const codes = new Map<string, number>();
    let ok = 0;
    try {
      for (const sql of statements()) {
        try {
          const text = renderTemplate(sql, { v: "it's" });
          const t0 = performance.now();
          await withDeadline(
            (async () => {
              for await (const r of engine.stream(text)) render('json', r);
            })(),
            10_000,
            sql,
          );
          if (process.env.FUZZ_TIMES && performance.now() - t0 > 50)
            process.stderr.write(`${Math.round(performance.now() - t0)} ms ${sql.slice(0, 100)}\n`);
          ok++;
        } catch (e) {
          if ((e as Error)?.message?.startsWith('hang:')) problems.push((e as Error).message);
          else if (!(e instanceof SessqlError)) problems.push(`raw ${(e as Error)?.name}: ${(e as Error)?.message} ← ${sql.slice(0, 120)}`);
          else {
            codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
            if (e.code === 'INTERNAL') problems.push(`INTERNAL: ${e.message} ← ${sql.slice(0, 120)}`);
          }
        }
      }
    } finally {
      engine.close();
    }
    expect(problems).toEqual([]);
    // the fuzz reached every stage: some statements ran, many failed for the user's own reasons
    expect(ok).toBeGreaterThan(20);
    expect(codes.get('SQL_SYNTAX') ?? 0).toBeGreaterThan(50);
  }, 60_000);
});
