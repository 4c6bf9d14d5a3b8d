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
    ['INSERT', "INSERT INTO t VALUES (1)", 'READ_ONLY'],
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

  it('falls back to no analysis when the parser does not know valid SQLite', () => {
    const st = analyse('SELECT userName FROM cloudconnexa.vpn.sessions ORDER BY userName NULLS LAST');
    // the position is the user's, not the placeholder text's
    expect(st.kind === 'query' && st.analysis.unanalysed).toBe("its parser stopped near 'NULLS' at line 1, column 66");
  });
});
