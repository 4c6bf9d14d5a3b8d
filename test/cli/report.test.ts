// End to end: `sessql --demo report` — a standalone HTML file (inline SVG charts, no scripts, no
// external references, well formed) and Markdown, titled by comments; errors leave no report.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findAll, parseXml, textOf, type XmlElement } from '../helpers/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'sessql-report-'));
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), SOURCE_DATE_EPOCH: '1735787045' };

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const INVENTORY = file(
  'inventory.sql',
  `-- report: Test <inventory>

-- title: Sessions per region
-- Last day, by status.
-- chart: bar
SELECT region, sum(status = 'ACTIVE') AS active, sum(status = 'FAILED') AS failed
FROM cloudconnexa.vpn.sessions GROUP BY region ORDER BY count(*) DESC;

-- title: Sessions per hour
-- chart: line
SELECT substr(sessionStartTime, 1, 13) AS hour, count(*) AS sessions, NULL AS gap
FROM cloudconnexa.vpn.sessions GROUP BY 1 ORDER BY 1;

-- Bastion hosts
SELECT name, location, sku, dnsName, 'https://portal.example/' || name AS link FROM azure.network.bastion_hosts ORDER BY name;

-- title: Not chartable
-- chart: bar
SELECT id, country FROM cloudconnexa.vpn.regions;
`,
);

/** Every attribute that could make a browser fetch something, and any CSS url(). */
function externalReferences(root: XmlElement): string[] {
  const out: string[] = [];
  const walk = (el: XmlElement) => {
    for (const [k, v] of Object.entries(el.attrs)) {
      if (/^(src|href|xlink:href|srcset|action|poster|data)$/i.test(k) && !v.startsWith('#')) out.push(`${el.name} ${k}=${v}`);
      if (/url\(|https?:/i.test(v) && k !== 'content') out.push(`${el.name} ${k}=${v}`);
    }
    if (el.name === 'style' && /url\(|@import/i.test(textOf(el))) out.push('style url()');
    for (const c of el.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  return out;
}

describe('sessql report', () => {
  it('writes a standalone, well-formed HTML report with SVG charts and no external requests', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['--demo', 'report', '-f', INVENTORY, '-o', out], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out} (HTML, 4 sections)`);
    expect(r.stderr).toContain("'Not chartable': no bar chart: no numeric column after the label column 'id'");

    const html = readFileSync(out, 'utf8');
    const root = parseXml(html, { html: true });
    expect(root.name).toBe('html');
    expect(html).not.toMatch(/<script|<iframe|<img|<link|<object|<embed/i);
    expect(externalReferences(root)).toEqual([]);
    const csp = findAll(root, 'meta').find((m) => m.attrs['http-equiv'] === 'Content-Security-Policy');
    expect(csp?.attrs.content).toBe("default-src 'none'; style-src 'unsafe-inline'");

    expect(textOf(findAll(root, 'title')[0])).toBe('Test <inventory>');
    expect(findAll(root, 'time')[0].attrs.datetime).toBe('2025-01-02T03:04:05.000Z');
    const sections = findAll(root, 'section');
    expect(sections.map((s) => textOf(findAll(s, 'h2')[0]))).toEqual(['Sessions per region', 'Sessions per hour', 'Bastion hosts', 'Not chartable']);
    expect(findAll(sections[0], 'svg')).toHaveLength(1);
    expect(findAll(sections[1], 'svg')).toHaveLength(1);
    expect(findAll(sections[1], 'path').length).toBeGreaterThan(0);
    expect(findAll(sections[2], 'svg')).toHaveLength(0);
    expect(textOf(sections[0])).toContain('Last day, by status.');
    expect(findAll(sections[2], 'tr')).toHaveLength(7);
    expect(textOf(sections[2])).toContain('https://portal.example/bastion-core');
    expect(textOf(sections[3])).toContain('No bar chart: no numeric column');
  });

  it('writes Markdown to stdout with --format md, and picks Markdown from a .md output name', async () => {
    const r = await runCli(['--demo', 'report', '-f', INVENTORY, '--format', 'md', '--title', 'Custom | title'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# Custom \\| title\n\nGenerated at 2025-01-02T03:04:05.000Z by sessql ')).toBe(true);
    expect(r.stdout).toContain('## Sessions per region\n\nLast day, by status.\n\n```text\n');
    expect(r.stdout).toMatch(/\| region \| active \| failed \|\n\| --- \| ---: \| ---: \|\n/);
    expect(r.stdout).toContain('```sql\nSELECT region, sum(status');

    const md = join(dir, 'report.md');
    const f = await runCli(['--demo', 'report', '-f', INVENTORY, '-o', md], { env });
    expect(f.code).toBe(0);
    expect(readFileSync(md, 'utf8').startsWith('# Test \\<inventory\\>')).toBe(true);
  });

  it('an SQL error exits 2 before any fetch and leaves the existing report unchanged', async () => {
    const out = join(dir, 'keep.html');
    writeFileSync(out, 'previous report');
    const bad = file('bad.sql', `-- title: ok\nSELECT 1;\n-- title: broken\nSELECT * FROM azure.network.nope;\n`);
    const r = await runCli(['--demo', 'report', '-f', bad, '-o', out], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[UNKNOWN_TABLE]: ${bad}:4 'broken': unknown table azure.network.nope`);
    expect(r.stderr).toContain(`no report written (${out} is unchanged)`);
    expect(readFileSync(out, 'utf8')).toBe('previous report');
  });

  it('refuses an unknown chart kind and an unknown format', async () => {
    const pie = await runCli(['--demo', 'report', '-f', file('pie.sql', '-- chart: pie\nSELECT 1, 2;')], { env });
    expect(pie.code).toBe(2);
    expect(pie.stderr).toMatch(/error\[INVALID_OPTION\]: .*pie\.sql:2: unknown chart kind 'pie'/);
    const fmt = await runCli(['--demo', 'report', '-f', INVENTORY, '--format', 'pdf'], { env });
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/Allowed choices are html, md, markdown/);
  });
});
