import { describe, expect, it } from 'vitest';
import { splitStatements, tokenize } from '../../src/sql/lexer.js';
import { analyse } from '../helpers/plan.js';
import { SessqlError } from '../../src/errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SessqlError ? e.code : `not a SessqlError: ${String(e)}`;
  }
  return undefined;
}

describe('splitStatements', () => {
  it.each([
    ['SELECT 1; SELECT 2', ['SELECT 1', 'SELECT 2']],
    ["SELECT ';' AS semi; SELECT 2;", ["SELECT ';' AS semi", 'SELECT 2']],
    ['-- only a comment;\nSELECT 1 /* ; */ ;', ['-- only a comment;\nSELECT 1 /* ; */']],
    ['SELECT "a;b" FROM t', ['SELECT "a;b" FROM t']],
    ['  ;; ', []],
    ['/* a */ ; -- b\n', []],
  ])('%j', (sql, expected) => {
    expect(splitStatements(sql).map((s) => s.text)).toEqual(expected);
  });

  it('reports unterminated strings with a position', () => {
    expect(() => tokenize("SELECT 'abc")).toThrow(/unterminated string/);
  });
});

describe('analyseStatement', () => {
  it('finds three-part names with their alias and scope', () => {
    const st = analyse('SELECT s.userName FROM cloudconnexa.vpn.sessions s JOIN cloudconnexa.vpn.users AS u ON u.id = s.userId');
    expect(st.kind).toBe('query');
    if (st.kind !== 'query') return;
    expect(st.spans.map((s) => [s.resourceId, s.aliased])).toEqual([
      ['cloudconnexa.vpn.sessions', true],
      ['cloudconnexa.vpn.users', true],
    ]);
    expect(st.analysis.references.map((r) => r.alias)).toEqual(['s', 'u']);
  });

  it.each([
    ['quoted parts', 'SELECT * FROM "cloudconnexa"."vpn"."sessions"'],
    ['mixed case', 'SELECT * FROM CloudConnexa.VPN.Sessions'],
    ['spaces around dots', 'SELECT * FROM cloudconnexa . vpn . sessions'],
  ])('accepts %s', (_, sql) => {
    const st = analyse(sql);
    expect(st.kind === 'query' && st.spans[0].resourceId).toBe('cloudconnexa.vpn.sessions');
  });

  it('keeps names inside strings and comments untouched', () => {
    const st = analyse("SELECT 'cloudconnexa.vpn.sessions' AS t -- cloudconnexa.vpn.users\nFROM cloudconnexa.vpn.regions");
    expect(st.kind === 'query' && st.spans.map((s) => s.resourceId)).toEqual(['cloudconnexa.vpn.regions']);
  });

  it.each([
    ['unknown table with a suggestion', 'SELECT * FROM cloudconnexa.vpn.sesions', 'UNKNOWN_TABLE'],
    ['unknown provider', 'SELECT * FROM nosuch.vpn.sessions', 'UNKNOWN_PROVIDER'],
    ['INSERT', 'INSERT INTO t VALUES (1)', 'READ_ONLY'],
    ['ATTACH', "ATTACH DATABASE 'x.db' AS x", 'READ_ONLY'],
    ['PRAGMA', 'PRAGMA writable_schema = 1', 'READ_ONLY'],
    ['garbage', 'FROBNICATE everything', 'SQL_SYNTAX'],
    ['unterminated string', "SELECT 'x", 'SQL_SYNTAX'],
    ['DESCRIBE of an unknown table', 'DESCRIBE cloudconnexa.vpn.nothing', 'UNKNOWN_TABLE'],
    ['SHOW of an unknown provider', 'SHOW SERVICES IN nothing', 'UNKNOWN_PROVIDER'],
  ])('refuses %s', (_, sql, code) => {
    expect(codeOf(() => analyse(sql))).toBe(code);
  });

  it('suggests the closest table name', () => {
    try {
      analyse('SELECT * FROM cloudconnexa.vpn.sesions');
      expect.unreachable();
    } catch (e) {
      expect((e as SessqlError).hint).toContain('cloudconnexa.vpn.sessions');
    }
  });

  it.each([
    ['SHOW PROVIDERS', { kind: 'show-providers' }],
    ['show services in cloudconnexa', { kind: 'show-services', provider: 'cloudconnexa' }],
    ['SHOW RESOURCES IN cloudconnexa.vpn', { kind: 'show-resources', provider: 'cloudconnexa', service: 'vpn' }],
    ['DESCRIBE cloudconnexa.vpn.sessions', { kind: 'describe', resourceId: 'cloudconnexa.vpn.sessions', extended: false }],
    ['DESCRIBE EXTENDED cloudconnexa.vpn.sessions', { kind: 'describe', extended: true }],
  ])('parses %s', (sql, expected) => {
    expect(analyse(sql)).toMatchObject(expected);
  });

  it.each([
    ['NULLS LAST', `SELECT userName FROM ${'cloudconnexa.vpn.sessions'} WHERE status = 'ACTIVE' ORDER BY userName NULLS LAST`],
    ['a window without PARTITION BY', "SELECT row_number() OVER (ORDER BY id) FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE'"],
    ['FILTER', "SELECT count(*) FILTER (WHERE bytesIn > 0) FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE'"],
    ['a named WINDOW', "SELECT sum(bytesIn) OVER w FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' WINDOW w AS (PARTITION BY userName)"],
    ['->>', "SELECT id ->> '$.x' FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE'"],
    ['sum(sum()) OVER ()', "SELECT userName, sum(sum(bytesIn)) OVER () FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' GROUP BY userName"],
    ['VALUES in FROM', "SELECT * FROM (VALUES ('a')) v JOIN cloudconnexa.vpn.sessions s ON s.userName = v.column1 WHERE s.status = 'ACTIVE'"],
    ['json_each', "SELECT * FROM cloudconnexa.vpn.sessions s, json_each(s.secondaryGroupNames) j WHERE s.status = 'ACTIVE'"],
    [
      'GLOB and COLLATE elsewhere',
      "SELECT * FROM cloudconnexa.vpn.sessions WHERE userName GLOB 'a*' AND status = 'ACTIVE' ORDER BY userName COLLATE NOCASE",
    ],
  ])('analyses SQLite-only syntax: %s', (_, sql) => {
    const st = analyse(sql);
    expect(st.kind === 'query' && st.analysis.unanalysed).toBeUndefined();
    const pushed = st.kind === 'query' ? st.analysis.conjuncts.map((c) => c.conjunct).filter((c) => c.kind === 'compare') : [];
    expect(pushed.map((c) => c.text.replace(/^s\./, ''))).toContain("status = 'ACTIVE'");
  });

  it.each([
    [
      'INTERSECT',
      "SELECT userName FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' INTERSECT SELECT userName FROM cloudconnexa.vpn.sessions WHERE status = 'FAILED'",
    ],
    [
      'EXCEPT',
      "SELECT userName FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' EXCEPT SELECT userName FROM cloudconnexa.vpn.sessions WHERE status = 'FAILED'",
    ],
  ])('gives each branch of a compound select its own scope: %s', (_, sql) => {
    const st = analyse(sql);
    if (st.kind !== 'query') throw new Error('not a query');
    expect(st.analysis.references.map((r) => r.scope)).toEqual([0, 1]);
    expect(st.analysis.conjuncts.map((c) => c.eligible)).toEqual([[0], [1]]);
  });

  it('reports a statement whose structure it cannot follow as unanalysed', () => {
    const st = analyse("SELECT * FROM cloudconnexa.vpn.sessions WHERE (status = 'ACTIVE'");
    expect(st.kind === 'query' && st.analysis.unanalysed).toMatch(/unbalanced/);
  });

  it.each([
    ['a table in the select list', 'SELECT cloudconnexa.vpn.sessions FROM cloudconnexa.vpn.sessions'],
    ['quoted parts with no FROM', 'SELECT "cloudconnexa"."vpn"."sessions"'],
    ['two tables without a comma', 'SELECT count(*) FROM cloudconnexa.vpn.sessions azure.network.active_sessions'],
  ])('refuses %s as a SQL error, not an internal one', (_, sql) => {
    expect(codeOf(() => analyse(sql))).toBe('SQL_SYNTAX');
  });

  it('splits only top-level ANDs: BETWEEN, CASE and parentheses keep theirs', () => {
    const st = analyse(
      "SELECT * FROM cloudconnexa.vpn.sessions WHERE bytesIn BETWEEN 1 AND 5 AND (CASE WHEN a AND b THEN 1 END) = 1 AND (status = 'ACTIVE' AND userName = 'x')",
    );
    if (st.kind !== 'query') throw new Error('not a query');
    expect(st.analysis.conjuncts.map((c) => c.conjunct.text)).toEqual([
      'bytesIn BETWEEN 1 AND 5',
      '(CASE WHEN a AND b THEN 1 END) = 1',
      "status = 'ACTIVE'",
      "userName = 'x'",
    ]);
  });

  it.each([
    ["status = 'A' COLLATE NOCASE", 'other'],
    ["lower(status) = 'a'", 'other'],
    ["status = 'A' OR status = 'B'", 'other'],
    ["status IN (SELECT 'A')", 'other'],
    ["'A' = status", 'compare'],
    ["status = upper('a')", 'compare'],
    ["sessionStartTime >= date('now', '-7 days')", 'compare'],
  ])('classifies %s as %s', (where, kind) => {
    const st = analyse(`SELECT * FROM cloudconnexa.vpn.sessions WHERE ${where}`);
    expect(st.kind === 'query' && st.analysis.conjuncts[0].conjunct.kind).toBe(kind);
  });
});
