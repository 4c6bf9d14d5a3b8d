// Statement titles and directives (shared by check and report): which comment names which
// statement, and the -- chart: directive.
import { describe, expect, it } from 'vitest';
import { annotateScript, commentLines } from '../../src/cli/report/annotate.js';
import { SessqlError } from '../../src/errors.js';

const titles = (sql: string) => annotateScript(sql, 'f.sql').statements.map((s) => s.title);

describe('annotateScript', () => {
  it.each([
    ['-- check: no failed sessions\nSELECT 1;', 'no failed sessions'],
    ['-- title: Sessions per region\nSELECT 1;', 'Sessions per region'],
    ['-- CHECK:   spaced out  \nSELECT 1;', 'spaced out'],
    ['-- Plain text names it\nSELECT 1;', 'Plain text names it'],
    ['/* check: block comment */ SELECT 1;', 'block comment'],
    ['/*\n * title: Starred block\n * more text\n */\nSELECT 1;', 'Starred block'],
    ['-- ----------\n-- Decorated\n-- ----------\nSELECT 1;', 'Decorated'],
  ])('%j is titled %j', (sql, title) => {
    expect(titles(sql)).toEqual([title]);
  });

  it('a directive wins over plain text, which becomes the description', () => {
    const [s] = annotateScript('-- Explains the check.\n-- check: the name\n-- Second line.\nSELECT 1', 'f.sql').statements;
    expect(s.title).toBe('the name');
    expect(s.titleFrom).toBe('directive');
    expect(s.description).toEqual(['Explains the check.', 'Second line.']);
  });

  it('only the block directly above counts: a blank line separates blocks', () => {
    const sql = '-- file header\n-- more header\n\n-- check: first\nSELECT 1;\n\n-- orphan comment\n\nSELECT 2;';
    const st = annotateScript(sql, 'f.sql').statements;
    expect(st.map((s) => s.title)).toEqual(['first', 'SELECT 2']);
    expect(st[1].titleFrom).toBe('sql');
  });

  it('a comment on the line of the previous statement belongs to that statement', () => {
    expect(titles('SELECT 1; -- about the first\n-- check: second\nSELECT 2;')).toEqual(['SELECT 1', 'second']);
  });

  it('without a comment the title is the statement on one line, shortened', () => {
    const long = `SELECT ${Array.from({ length: 40 }, (_, i) => `c${i}`).join(',\n  ')} FROM t`;
    const [t] = titles(long);
    expect(t.startsWith('SELECT c0, c1, c2')).toBe(true);
    expect([...t]).toHaveLength(72);
    expect(t.endsWith('…')).toBe(true);
  });

  it('reports the line and column of the first keyword and the query without its comments', () => {
    const [a, b] = annotateScript('-- check: a\nSELECT 1;\n\n-- check: b\n  -- more\n  SELECT\n 2;', 'f.sql').statements;
    expect([a.line, a.column, a.index]).toEqual([2, 1, 1]);
    expect([b.line, b.column, b.index]).toEqual([6, 3, 2]);
    expect(b.query).toBe('SELECT\n 2');
    expect(b.sql.startsWith('-- check: b')).toBe(true);
  });

  it('reads -- chart: bar|line and refuses other kinds naming the file and line', () => {
    const [s] = annotateScript('-- title: t\n-- chart: Bar\nSELECT 1', 'f.sql').statements;
    expect(s.chart).toBe('bar');
    expect(annotateScript('-- chart: line\nSELECT 1', 'f.sql').statements[0].chart).toBe('line');
    const e = (() => {
      try {
        annotateScript('SELECT 0;\n-- chart: pie\nSELECT 1', 'inv.sql');
      } catch (err) {
        return err as SessqlError;
      }
    })();
    expect(e).toBeInstanceOf(SessqlError);
    expect(e?.code).toBe('INVALID_OPTION');
    expect(e?.message).toContain("inv.sql:3: unknown chart kind 'pie'");
  });

  it('-- report: atop the file titles the report; comment-only text and trailing ; are not statements', () => {
    const f = annotateScript('-- report: Inventory\n\n-- title: a\nSELECT 1;\n-- trailing comment only\n;', 'f.sql');
    expect(f.reportTitle).toBe('Inventory');
    expect(f.statements).toHaveLength(1);
  });

  it('a lexer error names the file, line and column', () => {
    expect(() => annotateScript("SELECT 1;\nSELECT 'oops", 'p.sql')).toThrow(/p\.sql:2:8: unterminated string literal/);
  });

  it('commentLines strips markers and decoration', () => {
    expect(commentLines('-- hello ')).toEqual(['hello']);
    expect(commentLines('/* a\n * b\n   c */')).toEqual(['a', 'b', 'c']);
    expect(commentLines('-- *emphasis* kept')).toEqual(['*emphasis* kept']);
    expect(commentLines('-- =====')).toEqual([]);
  });
});
