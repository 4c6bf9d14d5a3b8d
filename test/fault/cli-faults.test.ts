// The fault-injection suite end to end: the CLI against the fault server, with and without
// --debug. Every failure is one `error[CODE]` line (plus its hint) and the right exit code, no
// stack trace without --debug (a hint where there is one to give), no secret in stdout or stderr either way, no rows on failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, FaultServer, item, manifestFile, SECRETS, send, type Script } from './fault-server.js';

let server: FaultServer;
let manifest: string;
beforeAll(async () => {
  server = await new FaultServer().start();
  // one retry, so back-off waits stay short in real time
  manifest = manifestFile({ maxRetries: 1 });
});
afterAll(() => server.close());

const cli = (args: string[], debug: boolean) =>
  runCli(['exec', '--provider-file', manifest, '-o', 'ndjson', ...(debug ? ['--debug'] : []), ...args], {
    env: { FAULTY_BASE_URL: server.url, FAULTY_CLIENT_ID: CLIENT_ID, FAULTY_CLIENT_SECRET: CLIENT_SECRET },
    timeoutMs: 20_000,
  });

const ITEMS = 'SELECT id, n, flag, meta FROM faulty.api.items ORDER BY n';

describe.each<[string, Script, string[], { code: number; error?: string; rows?: number }]>([
  ['503 forever', (_q, res) => send(res, 503, { error: { code: 'ServiceUnavailable', message: 'down' } }), [ITEMS], { code: 1, error: 'API_ERROR' }],
  ['malformed JSON', (_q, res) => send(res, 200, '{"items": [1,'), [ITEMS], { code: 1, error: 'MALFORMED_RESPONSE' }],
  ['endless fresh cursors', (q, res) => send(res, 200, { items: [], next: `c${q.n}` }), [ITEMS], { code: 1, error: 'PAGINATION_LOOP' }],
  ['a hang, with --timeout', () => undefined, ['--timeout', '1s', ITEMS], { code: 1, error: 'TIMEOUT' }],
  [
    'an enormous body, with --max-response-size',
    (_q, res) => send(res, 200, { items: Array.from({ length: 5000 }, (_, i) => item(i)) }),
    ['--max-response-size', '64KB', ITEMS],
    { code: 1, error: 'RESPONSE_TOO_LARGE' },
  ],
  [
    'a proxy 404 in a fan-out',
    (q, res) => (q.path === '/hosts' ? send(res, 200, { value: [{ name: 'h1' }] }) : send(res, 404, '<html>404</html>')),
    ['SELECT id FROM faulty.api.host_items'],
    { code: 1, error: 'NOT_FOUND' },
  ],
  [
    'a hostile server echoing secrets',
    (q, res) => send(res, 400, { error: { code: 'Bad', message: `bad token ${q.token} for ${CLIENT_SECRET}` } }),
    [ITEMS],
    { code: 1, error: 'API_ERROR' },
  ],
  [
    'token expiry mid-pagination',
    (q, res) => {
      if (q.n === 2) server.valid.delete(q.token!);
      const p = Number(q.query.cursor ?? 0);
      send(res, 200, { items: [item(2 * p), item(2 * p + 1)], ...(p < 2 ? { next: String(p + 1) } : {}) });
    },
    [ITEMS],
    { code: 0, rows: 6 },
  ],
])('%s', (_name, script, args, want) => {
  it.each([false, true])('--debug %s', async (debug) => {
    server.use(script);
    const r = await cli(args, debug);
    for (const s of SECRETS) {
      expect(r.stdout).not.toContain(s);
      expect(r.stderr).not.toContain(s);
    }
    expect(r.code, r.stderr).toBe(want.code);
    if (want.error) {
      expect(r.stdout).toBe('');
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error['));
      expect(errors).toEqual([expect.stringMatching(new RegExp(`^error\\[${want.error}\\]: `))]);
      if (!debug) expect(r.stderr).not.toMatch(/^\s+at /m);
    } else {
      expect(r.stdout.trim().split('\n')).toHaveLength(want.rows!);
      expect(JSON.parse(r.stdout.split('\n')[0])).toEqual({ id: 'i0', n: 0, flag: true, meta: { k: 0 } });
    }
  });
});

describe('long waits are announced off-terminal', () => {
  it('a 429 with Retry-After: 3 prints one waiting line on stderr (stderr is a pipe here), then the rows', async () => {
    server.use((q, res) => {
      if (q.n === 1) return send(res, 429, '', { 'retry-after': '3' });
      send(res, 200, { items: [item(1)] });
    });
    const r = await cli([ITEMS], false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('waiting 3 s: faulty.api.items rate limited (HTTP 429); attempt 2 of 2 follows\n');
    expect(r.stdout).toBe('{"id":"i1","n":1,"flag":false,"meta":{"k":1}}\n');
  });
});
