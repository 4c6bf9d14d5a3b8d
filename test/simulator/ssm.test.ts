// The SSM simulator checks what the real service checks: SigV4 (recomputed with the simulator's
// secret), State, MaxResults 1–200, Filters, NextToken bound to the request, __type errors.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsmSimulator, type SsmSimulator } from '../../src/simulator/ssm/index.js';

let sim: SsmSimulator;
beforeAll(async () => {
  sim = await startSsmSimulator({ seed: 2, sessionsPerRegion: 12, throttleEvery: 0 });
});
afterAll(async () => sim.close());

async function call(body: unknown, o: { secret?: string; region?: string; date?: Date; tamper?: boolean } = {}) {
  const url = new URL(sim.url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({
    credentials: { accessKeyId: sim.accessKeyId, secretAccessKey: o.secret ?? sim.secretAccessKey },
    region: o.region ?? 'us-east-1',
    service: 'ssm',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.DescribeSessions' },
      body: text,
    },
    { signingDate: o.date },
  );
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const res = await fetch(sim.url, { method: 'POST', headers, body: o.tamper ? text.replace('Active', 'History') : text });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('SSM simulator', () => {
  it('accepts a correctly signed request and answers epoch-second dates', async () => {
    const r = await call({ State: 'History', MaxResults: 5 });
    expect(r.status).toBe(200);
    const s = (r.body.Sessions as Array<{ StartDate: unknown; EndDate: unknown }>)[0];
    expect(typeof s.StartDate).toBe('number');
    expect(typeof s.EndDate).toBe('number');
    expect(typeof r.body.NextToken).toBe('string');
  });

  it.each([
    ['a wrong secret', { secret: 'x'.repeat(40) }, 'InvalidSignatureException'],
    ['a body changed after signing', { tamper: true }, 'InvalidSignatureException'],
    ['a clock 20 minutes off', { date: new Date(Date.now() - 20 * 60_000) }, 'InvalidSignatureException'],
  ])('refuses %s', async (_what, o, code) => {
    const r = await call({ State: 'Active' }, o);
    expect(r.status).toBe(400);
    expect(String(r.body.__type)).toMatch(new RegExp(`#${code}$`));
  });

  it.each([
    [{}, /'state'/],
    [{ State: 'Running' }, /enum/],
    [{ State: 'Active', MaxResults: 0 }, /greater than or equal to 1/],
    [{ State: 'Active', MaxResults: 201 }, /less than or equal to 200/],
    [{ State: 'Active', Filters: [] }, /between 1 and 6/],
  ])('validates %j', async (body, message) => {
    const r = await call(body);
    expect(r.status).toBe(400);
    expect(String(r.body.__type)).toContain('ValidationException');
    expect(String(r.body.message)).toMatch(message);
  });

  it('refuses an unknown filter key and a NextToken used with another State', async () => {
    expect(String((await call({ State: 'Active', Filters: [{ key: 'User', value: 'x' }] })).body.__type)).toContain('InvalidFilterKey');
    const first = await call({ State: 'History', MaxResults: 2 });
    const r = await call({ State: 'Active', NextToken: first.body.NextToken });
    expect(String(r.body.__type)).toContain('InvalidNextToken');
  });

  it('serves the region of the credential scope', async () => {
    const r = await call({ State: 'Active', MaxResults: 200 }, { region: 'eu-west-1' });
    expect((r.body.Sessions as unknown[]).length).toBe(sim.data.get('eu-west-1')!.Active.length);
  });
});
