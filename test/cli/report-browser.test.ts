// The example report in a real browser: headless Chromium (Debian's `chromium`) renders
// examples/inventory.sql's HTML with no console error and no request leaving the file. Every
// request Chromium makes goes to a recording proxy on 127.0.0.1, so an external reference (a
// font, a script, an image) is caught; a control page proves both detectors work. Skipped when no
// Chromium is installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function findChromium(): string | undefined {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const n of names) if (dir && existsSync(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

const chromium = findChromium();
const dir = mkdtempSync(join(tmpdir(), 'sessql-browser-'));
const SLOW = 180_000;

/** Requests that reached the proxy (plain HTTP and CONNECT tunnels). */
const requests: string[] = [];

/**
 * Chromium's own service calls (update checks, network time, account sign-in) that a flag does not
 * always silence; named host by host, so a page's own request to Google Fonts is still caught.
 */
const BROWSER_SERVICES =
  /^(?:GET|POST|CONNECT) (?:https?:\/\/)?(?:clients\d*\.google\.com|update\.googleapis\.com|accounts\.google\.com|[a-z0-9-]+\.gvt1\.com|safebrowsing\.googleapis\.com|optimizationguide-pa\.googleapis\.com)(?::\d+)?(?:\/|$)/;
const pageRequests = () => requests.filter((r) => !BROWSER_SERVICES.test(r));
let proxy: Server;
let proxyPort = 0;

beforeAll(async () => {
  proxy = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  proxy.on('connect', (req, socket) => {
    requests.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

/** Renders a file in headless Chromium; returns the console messages it logged and where the screenshot is. */
function render(file: string, name: string): Promise<{ console: string[]; screenshot: string }> {
  const screenshot = join(dir, `${name}.png`);
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,NetworkTimeServiceQuerying',
    `--user-data-dir=${join(dir, `profile-${name}`)}`,
    `--proxy-server=http://127.0.0.1:${proxyPort}`,
    // loopback too goes through the proxy: nothing may be fetched at all
    '--proxy-bypass-list=<-loopback>',
    '--enable-logging=stderr',
    '--v=0',
    '--window-size=1000,3000',
    `--screenshot=${screenshot}`,
    `file://${file}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(chromium!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const consoleLines = stderr.split('\n').filter((l) => /CONSOLE[:(]\d+|Uncaught|Refused to/.test(l));
      resolve({ console: consoleLines, screenshot });
    });
  });
}

describe.skipIf(!chromium)('the example report in headless Chromium', () => {
  it(
    'the control page trips both detectors; the report renders with no console error and no request',
    async () => {
      const control = join(dir, 'control.html');
      writeFileSync(
        control,
        '<!doctype html><title>control</title><img src="http://example.invalid/x.png"><script>console.error("control error")</script>',
      );
      const c = await render(control, 'control');
      expect(c.console.join('\n')).toContain('control error');
      expect(pageRequests().some((r) => r.includes('example.invalid'))).toBe(true);

      requests.length = 0;
      const html = join(dir, 'inventory.html');
      const report = await runCli(['--demo', 'report', '-f', 'examples/inventory.sql', '-O', html], { env: { HOME: dir }, timeoutMs: SLOW });
      expect(report.code, report.stderr).toBe(0);
      const r = await render(html, 'report');
      expect(r.console).toEqual([]);
      expect(pageRequests()).toEqual([]);
      expect(statSync(r.screenshot).size).toBeGreaterThan(10_000);
    },
    SLOW,
  );
});
