// JUnit XML and the escaping behind it: counts agree with the cases, every value survives a
// round trip through a strict XML parser, and characters XML forbids never reach the file.
import { describe, expect, it } from 'vitest';
import { summaryLine, rowsTable } from '../../src/cli/commands/check.js';
import { escapeAttr, escapeMarkdown, escapeText, fenceFor, stripInvalidXml } from '../../src/cli/report/escape.js';
import { junitXml, type JUnitCase } from '../../src/cli/report/junit.js';
import { findAll, parseXml, textOf, XmlError } from '../helpers/xml.js';

const NASTY = `a <b> & "c" 'd' \u0000\u0007 \uD800 tab\there\nnew line ]]> end`;

function cases(): JUnitCase[] {
  const base = { classname: 'policy', file: 'policy.sql', line: 3, timeMs: 12.5 };
  return [
    { ...base, name: 'passes', outcome: { kind: 'pass' } },
    { ...base, name: `fails ${NASTY}`, outcome: { kind: 'fail', message: `2 rows ${NASTY}`, body: `rows ${NASTY}` } },
    { ...base, name: 'errors', outcome: { kind: 'error', type: 'UNKNOWN_TABLE', message: 'unknown table x', body: 'hint: <fix>' } },
    { ...base, name: 'skipped', outcome: { kind: 'skipped', message: 'not run' } },
  ];
}

describe('escaping', () => {
  it('escapes markup characters in text and attributes', () => {
    expect(escapeText('<a href="x">&</a>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt;');
    expect(escapeAttr(`"'<>&\n\t`)).toBe('&quot;&#39;&lt;&gt;&amp;&#10;&#9;');
  });

  it('replaces characters XML 1.0 forbids, keeping tab, newline and valid surrogate pairs', () => {
    expect(stripInvalidXml('a\u0000b\u001Fc\td\ne\uFFFE')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFD');
    expect(stripInvalidXml('lone \uD800 and \uDC00; pair 😀')).toBe('lone \uFFFD and \uFFFD; pair 😀');
  });

  it('escapes Markdown so a value cannot end a cell, add markup or a link', () => {
    expect(escapeMarkdown('a|b *c* [l](u) <x> `y`\nz')).toBe('a\\|b \\*c\\* \\[l\\](u) \\<x\\> \\`y\\`<br>z');
    expect(fenceFor('no ticks')).toBe('```');
    expect(fenceFor('has ```` four')).toBe('`````');
  });
});

describe('junitXml', () => {
  const xml = junitXml([{ name: 'policy.sql', timestamp: new Date('2025-01-02T03:04:05.678Z'), cases: cases() }]);

  it('is well-formed XML that round-trips every value', () => {
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const tc = findAll(root, 'testcase');
    expect(tc.map((t) => t.attrs.name)).toEqual(['passes', `fails ${stripInvalidXml(NASTY)}`, 'errors', 'skipped']);
    const failure = findAll(root, 'failure')[0];
    expect(failure.attrs.message).toBe(`2 rows ${stripInvalidXml(NASTY)}`);
    expect(textOf(failure)).toBe(`rows ${stripInvalidXml(NASTY)}`);
    expect(findAll(root, 'error')[0].attrs).toMatchObject({ type: 'UNKNOWN_TABLE', message: 'unknown table x' });
    expect(findAll(root, 'skipped')[0].attrs.message).toBe('not run');
  });

  it('counts tests, failures, errors, skipped and time on the suites', () => {
    const root = parseXml(xml);
    const [suite] = findAll(root, 'testsuite');
    for (const el of [root, suite]) {
      expect(el.attrs).toMatchObject({ tests: '4', failures: '1', errors: '1', skipped: '1', time: '0.050' });
    }
    expect(suite.attrs.timestamp).toBe('2025-01-02T03:04:05');
    expect(findAll(root, 'testcase')[0].attrs).toMatchObject({ classname: 'policy', time: '0.013', file: 'policy.sql', line: '3' });
  });

  it('the XML checker itself rejects broken documents', () => {
    for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>&nope;</a>', '<a>1 < 2</a>', '<a x=1/>', '<a/><b/>', '<a>']) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
  });
});

describe('check output helpers', () => {
  it('limits offending rows and says how many more there are', () => {
    const rows = Array.from({ length: 25 }, (_, i) => [`u${i}`, i]);
    const t = rowsTable(['user', 'n'], rows, 20);
    expect(t).toContain('u19');
    expect(t).not.toContain('u20');
    expect(t.trimEnd().endsWith('…and 5 more rows')).toBe(true);
    expect(rowsTable(['user', 'n'], rows.slice(0, 2), 20)).not.toMatch(/more row|2 rows/);
  });

  it('summarises like "3 checks: 2 passed, 1 failed"', () => {
    const r = (kind: 'pass' | 'fail' | 'error' | 'skipped') => ({ outcome: { kind } });
    expect(summaryLine([r('pass'), r('pass'), r('fail')])).toBe('3 checks: 2 passed, 1 failed');
    expect(summaryLine([r('error'), r('skipped')])).toBe('2 checks: 0 passed, 0 failed, 1 error, 1 not run');
    expect(summaryLine([r('pass')])).toBe('1 check: 1 passed, 0 failed');
  });
});
