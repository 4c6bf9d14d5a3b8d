// Charts for HTML reports: which results can be charted, and SVG that is well formed, escaped,
// self-contained and free of NaN whatever the values (NULL, negative, huge, all zero).
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/cli/report/html.js';
import { renderMarkdown, textBars } from '../../src/cli/report/markdown.js';
import type { Report } from '../../src/cli/report/model.js';
import { barChart, chartData, instant, lineChart, niceTicks, timeAxis, timeTicks, type ChartData } from '../../src/cli/report/svg-chart.js';
import type { SqlValue } from '../../src/rows/convert.js';
import { findAll, parseXml, textOf, type XmlElement } from '../helpers/xml.js';

function data(columns: string[], rows: SqlValue[][], max = 50): ChartData {
  const d = chartData(columns, rows, max);
  if ('reason' in d) throw new Error(d.reason);
  return d;
}

/** Well formed; no element that runs or fetches anything; no attribute with a URL or a bad number. */
function checkSvg(svg: string): void {
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  const elements = [root, ...['g', 'rect', 'text', 'line', 'path', 'circle', 'title'].flatMap((n) => findAll(root, n))];
  const names = new Set<string>();
  const walk = (el: XmlElement) => {
    names.add(el.name);
    for (const c of el.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  expect([...names].filter((n) => !['svg', 'g', 'rect', 'text', 'line', 'path', 'circle', 'title'].includes(n))).toEqual([]);
  for (const el of elements) {
    for (const [k, v] of Object.entries(el.attrs)) {
      expect(k).not.toMatch(/href|src|^on/i);
      expect(v).not.toMatch(/NaN|Infinity|undefined|url\(|https?:/);
    }
  }
}

describe('chartData', () => {
  it('takes the first column as labels and numeric columns as series, skipping text columns', () => {
    const d = data(
      ['region', 'note', 'active', 'failed'],
      [
        ['eu', 'x', 3, 1],
        ['us', 'y', 5, null],
      ],
    );
    expect(d.labels).toEqual(['eu', 'us']);
    expect(d.series.map((s) => s.name)).toEqual(['active', 'failed']);
    expect(d.series[1].values).toEqual([1, null]);
    expect(d.skippedColumns).toEqual(['note']);
  });

  it.each([
    [['only'], [[1]], /label column and at least one numeric/],
    [['a', 'b'], [], /no rows/],
    [['a', 'b'], [['x', 'text']], /no numeric column after the label column 'a'/],
    [
      ['a', 'b'],
      [
        ['x', null],
        ['y', null],
      ],
      /no numeric column/,
    ],
  ])('explains why %j cannot be charted', (columns, rows, reason) => {
    const d = chartData(columns as string[], rows as SqlValue[][], 50);
    expect('reason' in d && d.reason).toMatch(reason);
  });

  it('NULL labels become "NULL"; NaN and infinite values are gaps; long results are cut', () => {
    const d = data(
      ['k', 'v'],
      [
        [null, Number.NaN],
        ['b', Number.POSITIVE_INFINITY],
        ['c', 2],
        ['d', 3],
      ],
      3,
    );
    expect(d.labels).toEqual(['NULL', 'b', 'c']);
    expect(d.series[0].values).toEqual([null, null, 2]);
    expect(d.truncatedFrom).toBe(4);
  });
});

describe('SVG charts', () => {
  const cases: [string, SqlValue[][]][] = [
    [
      'positive',
      [
        ['eu-central-1', 13],
        ['us-east-1', 10],
      ],
    ],
    [
      'with NULLs',
      [
        ['a', null],
        ['b', 4],
        [null, 2],
      ],
    ],
    [
      'negative and positive',
      [
        ['loss', -1500],
        ['gain', 2500.75],
      ],
    ],
    [
      'all zero',
      [
        ['a', 0],
        ['b', 0],
      ],
    ],
    ['one row', [['only', 7]]],
    [
      'huge values',
      [
        ['bytes', 79478884180],
        ['more', 1e15],
      ],
    ],
    ['markup in labels', [['<script>alert("x")</script> & "https://evil.example"', 1]]],
  ];
  it.each(cases)('bar and line charts are well formed: %s', (_name, rows) => {
    const d = data(
      ['label', 'value', 'other'],
      rows.map((r) => [...r, 1]),
    );
    for (const svg of [barChart(d, 'T <&>'), lineChart(d, 'T <&>')]) checkSvg(svg);
  });

  it('draws one bar per non-NULL value, with the exact value in its tooltip', () => {
    const d = data(
      ['region', 'n'],
      [
        ['eu', 13],
        ['us', null],
        ['ap', 1234567],
      ],
    );
    const root = parseXml(barChart(d, 'Sessions'));
    const bars = findAll(root, 'rect').filter((r) => findAll(r, 'title').length);
    expect(bars.map((b) => textOf(b))).toEqual(['eu · n: 13', 'ap · n: 1,234,567']);
    expect(textOf(findAll(root, 'title')[0])).toBe('Sessions');
    expect(root.attrs.role).toBe('img');
  });

  it('breaks a line at NULL and marks each point', () => {
    const d = data(
      ['h', 'n'],
      [
        ['1', 1],
        ['2', 2],
        ['3', null],
        ['4', 4],
        ['5', 5],
      ],
    );
    const root = parseXml(lineChart(d, 'Per hour'));
    const path = findAll(root, 'path')[0].attrs.d;
    expect(path.match(/M/g)).toHaveLength(2);
    expect(findAll(root, 'circle')).toHaveLength(4);
  });

  it.each([
    ['2026-11-30', Date.parse('2026-11-30T00:00:00Z')],
    ['2026-11-30T14:00', Date.parse('2026-11-30T14:00:00Z')],
    ['2026-11-30 14:05:06', Date.parse('2026-11-30T14:05:06Z')],
    ['2026-11-30T14:00:00.000Z', Date.parse('2026-11-30T14:00:00Z')],
    ['2026-11-30T14', Date.parse('2026-11-30T14:00:00Z')],
    ['eu-west', undefined],
    ['2026-13-45', undefined],
  ])('reads %s as a UTC instant (or not)', (label, ms) => {
    expect(instant(label)).toBe(ms);
  });

  it('a time series is drawn to scale: x by time, y from 0, a missing period breaks the line', () => {
    // hours 10, 11, 12, then nothing until 16: 16 is four hours right of 12, and no slope spans the gap
    const d = data(
      ['hour', 'sessions'],
      [
        ['2026-11-30T10:00', 3],
        ['2026-11-30T11:00', 5],
        ['2026-11-30T12:00', 4],
        ['2026-11-30T16:00', 6],
      ],
    );
    expect(timeAxis(d.labels)).toHaveLength(4);
    const root = parseXml(lineChart(d, 'Per hour'));
    const xs = findAll(root, 'circle').map((c) => Number(c.attrs.cx));
    expect((xs[3] - xs[2]) / (xs[1] - xs[0])).toBeCloseTo(4, 1);
    expect(findAll(root, 'path')[0].attrs.d.match(/M/g)).toHaveLength(2);
    const axisText = findAll(root, 'text').map((t) => textOf(t));
    expect(axisText).toContain('0');
    expect(axisText.some((t) => /^11-30 1\d:00$/.test(t))).toBe(true);
    // time labels are level, never rotated (a rotated first label was clipped at the left edge)
    expect(findAll(root, 'text').every((t) => !t.attrs.transform && Number(t.attrs.x) >= 0)).toBe(true);
  });

  it('the value axis of a line chart starts at 0 when the values do not', () => {
    const root = parseXml(
      lineChart(
        data(
          ['h', 'n'],
          [
            ['a', 101],
            ['b', 103],
            ['c', 102],
          ],
        ),
        't',
      ),
    );
    expect(findAll(root, 'text').map((t) => textOf(t))).toContain('0');
  });

  it('categories that are not instants in order stay evenly spaced', () => {
    expect(timeAxis(['2026-11-30', '2026-11-29'])).toBeUndefined();
    expect(timeAxis(['a', 'b'])).toBeUndefined();
    expect(
      timeTicks(Date.parse('2026-11-29T17:00:00Z'), Date.parse('2026-11-30T16:00:00Z')).ticks.map((t) => new Date(t).toISOString().slice(11, 16)),
    ).toEqual(['18:00', '21:00', '00:00', '03:00', '06:00', '09:00', '12:00', '15:00']);
  });

  it('labels a legend only when there are several series', () => {
    const one = parseXml(barChart(data(['a', 'n'], [['x', 1]]), 't'));
    const two = parseXml(barChart(data(['a', 'n', 'm'], [['x', 1, 2]]), 't'));
    expect(findAll(one, 'g').some((g) => g.attrs.class === 'legend')).toBe(false);
    expect(findAll(two, 'g').some((g) => g.attrs.class === 'legend')).toBe(true);
  });

  it('niceTicks covers the range with round steps', () => {
    expect(niceTicks(0, 13)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(niceTicks(-1500, 2500)).toEqual([-2000, -1000, 0, 1000, 2000, 3000]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.1, 0.35)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });

  it('text bars for Markdown scale to the largest value', () => {
    const t = textBars(
      data(
        ['k', 'v'],
        [
          ['a', 10],
          ['b', 5],
          ['c', null],
        ],
      ),
    );
    const [a, b, c] = t.split('\n');
    expect(a).toBe(`a  ${'█'.repeat(40)} 10`);
    expect(b).toBe(`b  ${'█'.repeat(20)} 5`);
    expect(c).toBe('c  NULL');
  });
});

describe('renderers', () => {
  const report: Report = {
    title: 'Inventory <&>',
    generatedAt: new Date('2025-01-02T03:04:05Z'),
    generator: 'sessql test',
    sources: ['inv.sql'],
    maxRows: 2,
    sections: [
      {
        title: 'Chart <b>',
        description: ['Why & how'],
        chart: 'bar',
        columns: ['k', 'v'],
        rows: [
          ['a', 1],
          ['b', null],
          ['c', 3],
        ],
        sql: "SELECT '<x>'",
        file: 'inv.sql',
        line: 3,
      },
      {
        title: 'No chart possible',
        description: [],
        chart: 'line',
        columns: ['k', 's'],
        rows: [['a', 'text']],
        sql: 'SELECT 1',
        file: 'inv.sql',
        line: 9,
      },
      { title: 'Empty', description: [], columns: ['x'], rows: [], sql: 'SELECT 1 WHERE 0', file: 'inv.sql', line: 12 },
    ],
  };

  it('HTML is well formed, escaped, self-contained and limits rows', () => {
    const html = renderHtml(report);
    const root = parseXml(html, { html: true });
    expect(root.name).toBe('html');
    expect(findAll(root, 'section')).toHaveLength(3);
    expect(findAll(root, 'svg')).toHaveLength(1);
    expect(textOf(findAll(root, 'h1')[0])).toBe('Inventory <&>');
    expect(findAll(root, 'tbody')[0].children.filter((c) => typeof c !== 'string')).toHaveLength(2);
    expect(html).toContain('3 rows; the first 2 are shown.');
    expect(html).toContain('No line chart: no numeric column');
    expect(html).not.toMatch(/<script|https?:|url\(|src=/i);
    expect(findAll(root, 'meta').find((m) => m.attrs['http-equiv'])?.attrs.content).toBe("default-src 'none'; style-src 'unsafe-inline'");
  });

  it('Markdown has a heading, text chart and table per section', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('# Inventory \\<\\&\\>');
    expect(md).toContain('## Chart \\<b\\>');
    expect(md).toContain('| k | v |\n| --- | ---: |\n| a | 1 |\n| b | _NULL_ |\n\n_3 rows; the first 2 are shown._');
    expect(md).toContain('```text\na  ');
    expect(md).toContain('_No line chart: no numeric column');
    expect(md).toContain("```sql\nSELECT '<x>'\n```");
  });
});
