// Template variables against SQLite's whole lexical grammar: a value never leaves the token it is
// placed in, and templates in quoted names, after `--`/`/*` inside names, are still found.
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateNames } from '../../src/sql/template.js';
import { tokenize } from '../../src/sql/lexer.js';

const EVIL = "x' OR 1=1 OR '";

describe('renderTemplate', () => {
  it.each([
    // [sql, vars, expected]
    ["SELECT '{{ u }}'", { u: EVIL }, "SELECT 'x'' OR 1=1 OR '''"],
    ['SELECT {{ n }}, {{ s }}', { n: '42', s: "it's" }, "SELECT 42, 'it''s'"],
    // issue 9: an apostrophe inside a quoted name must not flip the string state
    [
      `SELECT count(*) AS "user's sessions" FROM t WHERE userName = '{{ u }}'`,
      { u: ' OR 1=1 OR ' },
      `SELECT count(*) AS "user's sessions" FROM t WHERE userName = ' OR 1=1 OR '`,
    ],
    ['SELECT 1 AS "a--b", \'{{ x }}\' AS v', { x: 'y' }, 'SELECT 1 AS "a--b", \'y\' AS v'],
    ['SELECT 1 AS "a/*b", \'{{ x }}\' AS v', { x: 'y' }, 'SELECT 1 AS "a/*b", \'y\' AS v'],
    ["SELECT 1 AS [it's], '{{ x }}'", { x: 'y' }, "SELECT 1 AS [it's], 'y'"],
    ["SELECT 1 AS `it's`, '{{ x }}'", { x: 'y' }, "SELECT 1 AS `it's`, 'y'"],
    ["SELECT X'00', '{{ x }}'", { x: 'y' }, "SELECT X'00', 'y'"],
    ["SELECT X'{{ h }}'", { h: 'beef' }, "SELECT X'beef'"],
    ['SELECT "{{ c }}" FROM t', { c: 'a"b' }, 'SELECT "a""b" FROM t'],
    ['SELECT `{{ c }}` FROM t', { c: 'a`b' }, 'SELECT `a``b` FROM t'],
    // comments are left alone, and a quote inside one does not open a string
    ["-- it's {{ x }}\nSELECT '{{ y }}'", { y: EVIL }, "-- it's {{ x }}\nSELECT 'x'' OR 1=1 OR '''"],
    ["/* it's {{ x }} */ SELECT {{ y }}", { y: '1' }, "/* it's {{ x }} */ SELECT 1"],
    ["SELECT 'a''{{ y }}'", { y: "'" }, "SELECT 'a'''''"],
  ])('%s', (sql, vars, expected) => {
    expect(renderTemplate(sql, vars)).toBe(expected);
  });

  it('finds the names outside comments only', () => {
    expect(templateNames('SELECT "a--b", \'{{ x }}\' /* {{ z }} */, {{ .y }}')).toEqual(['x', 'y']);
  });

  it('refuses values that would end a [name] or a blob', () => {
    expect(() => renderTemplate('SELECT [{{ c }}]', { c: 'a]b' })).toThrow(/\[bracketed\]/);
    expect(() => renderTemplate("SELECT X'{{ c }}'", { c: "00' OR 1" })).toThrow(/blob/);
  });

  it('never lets a value change the token structure (seeded)', () => {
    const shapes = [
      "SELECT '{{ v }}' AS a",
      'SELECT "{{ v }}" AS a',
      'SELECT `{{ v }}` AS a',
      'SELECT {{ v }} AS a',
      `SELECT 1 AS "q'--/*", '{{ v }}' AS a -- {{ v }}`,
    ];
    const alphabet = ["'", '"', '`', '-', '/', '*', ']', '[', ';', ' ', 'a', '1', '\n', '{', '}'];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const kinds = (sql: string) =>
      tokenize(sql)
        .filter((t) => t.kind !== 'ws')
        .map((t) => t.kind)
        .join(' ');
    for (let i = 0; i < 400; i++) {
      const value = Array.from({ length: 1 + rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
      for (const shape of shapes) {
        const benign = /^-?\d+(\.\d+)?$/.test(value) ? '1' : 'x';
        expect(kinds(renderTemplate(shape, { v: value }))).toBe(kinds(renderTemplate(shape, { v: benign })));
      }
    }
  });
});
