import { describe, expect, it } from 'vitest';
import { canonicalTimestamp, normaliseTimestamps } from '../../src/sql/timestamps.js';
import { analyse } from '../helpers/plan.js';

describe('canonicalTimestamp', () => {
  it.each([
    ['2026-11-23T17:00:00Z', '2026-11-23T17:00:00.000Z'],
    ['2026-11-23 17:00:00', '2026-11-23T17:00:00.000Z'],
    ['2026-11-23 17:00', '2026-11-23T17:00:00.000Z'],
    ['2026-11-23t17:00:00.25z', '2026-11-23T17:00:00.250Z'],
    ['2026-11-23T19:00:00+02:00', '2026-11-23T17:00:00.000Z'],
    ['2026-11-23T12:30:00-0430', '2026-11-23T17:00:00.000Z'],
    ['2026-11-23', undefined],
    ['2026-13-23 17:00', undefined],
    ['bob', undefined],
  ])('%s → %s', (text, expected) => {
    expect(canonicalTimestamp(text)).toBe(expected);
  });
});

describe('normaliseTimestamps', () => {
  it.each([
    ["SELECT 1 WHERE t >= '2026-11-23 17:00'", "SELECT 1 WHERE t >= '2026-11-23T17:00:00.000Z'"],
    ["SELECT datetime('now', '-6 hours')", "SELECT strftime('%Y-%m-%dT%H:%M:%S.000Z', 'now', '-6 hours')"],
    ['SELECT datetime()', "SELECT strftime('%Y-%m-%dT%H:%M:%S.000Z', 'now')"],
    ['SELECT CURRENT_TIMESTAMP', "SELECT strftime('%Y-%m-%dT%H:%M:%S.000Z', 'now')"],
    // left alone: bare dates, names, quoted identifiers, comments, blobs
    [
      "SELECT date('now'), x.datetime, \"2026-11-23 17:00\", '2026-11-23' -- '2026-11-23 17:00'",
      "SELECT date('now'), x.datetime, \"2026-11-23 17:00\", '2026-11-23' -- '2026-11-23 17:00'",
    ],
  ])('%s', (sql, expected) => {
    expect(normaliseTimestamps(sql).text).toBe(expected);
  });

  it('maps offsets back to the text as written, so EXPLAIN shows the user their own words', () => {
    const st = analyse(
      "SELECT * FROM cloudconnexa.vpn.sessions WHERE sessionStartTime >= datetime('now','-3 days') AND sessionEndTime < '2026-11-30 10:00'",
    );
    if (st.kind !== 'query') throw new Error('not a query');
    expect(st.analysis.conjuncts.map((c) => c.conjunct.text)).toEqual([
      "sessionStartTime >= datetime('now','-3 days')",
      "sessionEndTime < '2026-11-30 10:00'",
    ]);
    expect(st.text).toContain("'2026-11-30T10:00:00.000Z'");
  });
});
