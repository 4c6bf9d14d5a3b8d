// JUnit XML for `sessql check --junit`: one <testsuite> per SQL file, one <testcase> per check,
// with <failure> (rows returned), <error> (the check could not run) or <skipped>. Invariant: every
// value is escaped and counts are computed from the cases, so the XML always parses and agrees.
import { escapeAttr, escapeText } from './escape.js';

export type CaseOutcome =
  | { kind: 'pass' }
  | { kind: 'fail'; message: string; body: string }
  | { kind: 'error'; type: string; message: string; body: string }
  | { kind: 'skipped'; message: string };

export interface JUnitCase {
  name: string;
  classname: string;
  file: string;
  line: number;
  timeMs: number;
  outcome: CaseOutcome;
}

export interface JUnitSuite {
  name: string;
  /** When the suite started. */
  timestamp: Date;
  cases: JUnitCase[];
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

function count(cases: JUnitCase[]): Counts {
  const n = (kind: CaseOutcome['kind']) => cases.filter((c) => c.outcome.kind === kind).length;
  return {
    tests: cases.length,
    failures: n('fail'),
    errors: n('error'),
    skipped: n('skipped'),
    timeMs: cases.reduce((a, c) => a + c.timeMs, 0),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The JUnit schema's timestamp: ISO-8601 without a zone (written in UTC). */
const timestamp = (d: Date) => d.toISOString().slice(0, 19);

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

function countAttrs(c: Counts): Record<string, string | number> {
  return { tests: c.tests, failures: c.failures, errors: c.errors, skipped: c.skipped, time: seconds(c.timeMs) };
}

function caseXml(c: JUnitCase): string {
  const open = `    <testcase${attrs({ name: c.name, classname: c.classname, time: seconds(c.timeMs), file: c.file, line: c.line })}`;
  const o = c.outcome;
  switch (o.kind) {
    case 'pass':
      return `${open}/>`;
    case 'fail':
      return `${open}>\n      <failure${attrs({ message: o.message, type: 'CheckFailed' })}>${escapeText(o.body)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ message: o.message, type: o.type })}>${escapeText(o.body)}</error>\n    </testcase>`;
    case 'skipped':
      return `${open}>\n      <skipped${attrs({ message: o.message })}/>\n    </testcase>`;
  }
}

export function junitXml(suites: JUnitSuite[], name = 'sessql check'): string {
  const all = count(suites.flatMap((s) => s.cases));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs({ name, ...countAttrs(all) })}>`];
  suites.forEach((s, id) => {
    const c = count(s.cases);
    lines.push(`  <testsuite${attrs({ name: s.name, id, ...countAttrs(c), timestamp: timestamp(s.timestamp) })}>`);
    for (const tc of s.cases) lines.push(caseXml(tc));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
