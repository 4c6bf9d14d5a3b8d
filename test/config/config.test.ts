// The config file: lookup order, validation (unknown key, wrong type, literal secret, variable
// names), conversion to engine options, and an engine configured only through the file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configToEngineOptions, findConfigFile, loadConfigFile, mergeUnder, withConfigFile } from '../../src/config/index.js';
import { createEngine } from '../../src/engine/engine.js';
import { SessqlError } from '../../src/errors.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sessql-config-'));
}

/** Writes `text` as sessql.config.yaml in a fresh folder; returns the folder and file. */
function configIn(text: string): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'sessql.config.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

function loadError(text: string): SessqlError {
  const { dir, file } = configIn(text);
  try {
    loadConfigFile(undefined, dir, { XDG_CONFIG_HOME: join(dir, 'none') });
  } catch (e) {
    expect(e).toBeInstanceOf(SessqlError);
    const err = e as SessqlError;
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(file);
    return err;
  }
  throw new Error('expected an error');
}

const VALID = `
providers:
  cloudconnexa:
    baseUrl: https://acme.api.openvpn.com
    clientIdEnv: MY_CC_ID
    clientSecretEnv: MY_CC_SECRET
    sessionsApi: beta
    concurrency: 2
    timeoutSeconds: 12.5
  azure:
    subscriptionId: 00000000-0000-0000-0000-000000000001
    networkApiVersion: '2024-05-01'
    accessTokenEnv: MY_ARM_TOKEN
cache: { ttlSeconds: 60 }
fetch: { concurrency: 3, timeoutSeconds: 20 }
`;

describe('finding the config file', () => {
  it('prefers --config, then ./sessql.config.yaml, then $XDG_CONFIG_HOME/sessql/config.yaml', () => {
    const cwd = tempDir();
    const xdg = tempDir();
    const env = { XDG_CONFIG_HOME: xdg };
    expect(findConfigFile(undefined, cwd, env)).toBeUndefined();
    mkdirSync(join(xdg, 'sessql'));
    writeFileSync(join(xdg, 'sessql', 'config.yaml'), 'cache: false\n');
    expect(findConfigFile(undefined, cwd, env)).toBe(join(xdg, 'sessql', 'config.yaml'));
    writeFileSync(join(cwd, 'sessql.config.yaml'), 'cache: false\n');
    expect(findConfigFile(undefined, cwd, env)).toBe(join(cwd, 'sessql.config.yaml'));
    writeFileSync(join(cwd, 'other.yaml'), 'cache: false\n');
    expect(findConfigFile('other.yaml', cwd, env)).toBe(join(cwd, 'other.yaml'));
  });

  it('defaults to ~/.config/sessql/config.yaml', () => {
    const home = tempDir();
    mkdirSync(join(home, '.config', 'sessql'), { recursive: true });
    writeFileSync(join(home, '.config', 'sessql', 'config.yaml'), '{}\n');
    expect(findConfigFile(undefined, tempDir(), { HOME: home })).toBe(join(home, '.config', 'sessql', 'config.yaml'));
  });

  it('a --config path that does not exist is an error; no file at all is no config', () => {
    const cwd = tempDir();
    expect(() => loadConfigFile('missing.yaml', cwd, {})).toThrow(/config file .*missing\.yaml does not exist/);
    expect(loadConfigFile(undefined, cwd, { XDG_CONFIG_HOME: join(cwd, 'x') })).toBeUndefined();
  });
});

describe('validating the config file', () => {
  it('accepts settings, variable names, cache and fetch', () => {
    const { dir, file } = configIn(VALID);
    const cfg = loadConfigFile(undefined, dir, {})!;
    expect(cfg.path).toBe(file);
    expect(cfg.providers.cloudconnexa).toEqual({
      values: { baseUrl: 'https://acme.api.openvpn.com', sessionsApi: 'beta' },
      envNames: { clientId: 'MY_CC_ID', clientSecret: 'MY_CC_SECRET' },
      concurrency: 2,
      timeoutSeconds: 12.5,
    });
    expect(cfg.cache).toEqual({ ttlSeconds: 60 });
  });

  it('limits: statement deadline, long-running-operation limit and response size (issue 9)', () => {
    const { dir } = configIn('limits:\n  timeout: 5m\n  lroTimeout: 90\n  maxResponseSize: 8MB\n');
    const o = configToEngineOptions(loadConfigFile(undefined, dir, {})!, {});
    expect(o.statementTimeoutMs).toBe(300_000);
    expect(o.fetch).toEqual({ lroTimeoutMs: 90_000, maxResponseBytes: 8 * 1024 * 1024 });
    const bad = configIn('limits:\n  timeout: soon\n');
    expect(() => configToEngineOptions(loadConfigFile(undefined, bad.dir, {})!, {})).toThrow(/limits\.timeout: 'soon' is not a duration/);
    expect(loadError('limits: { timout: 5 }\n').hint).toMatch(/did you mean timeout/);
  });

  it('an empty file is an empty config', () => {
    const { dir } = configIn('');
    expect(loadConfigFile(undefined, dir, {})).toEqual({ path: join(dir, 'sessql.config.yaml'), providers: {}, cache: undefined, fetch: undefined });
  });

  it('an unknown key is named with the file, with the allowed keys and a suggestion', () => {
    const e = loadError('providers:\n  cloudconnexa:\n    baseurl: https://x.api.openvpn.com\n');
    expect(e.message).toMatch(/unknown key 'providers\.cloudconnexa\.baseurl'/);
    expect(e.hint).toMatch(/did you mean baseUrl/);
    expect(e.hint).toContain('clientSecretEnv');
    expect(e.hint).not.toMatch(/clientSecret[,\s]/);
    expect(loadError('cach: false\n').message).toMatch(/unknown key 'cach'/);
    expect(loadError('cache: { ttl: 5 }\n').message).toMatch(/unknown key 'cache\.ttl'/);
  });

  it('an unknown provider is named', () => {
    const e = loadError('providers:\n  openvpn: { baseUrl: x }\n');
    expect(e.message).toMatch(/unknown provider 'providers\.openvpn'/);
    expect(e.hint).toContain('aws, azure, boundary, cloudconnexa');
  });

  it.each([
    ['providers:\n  cloudconnexa: { concurrency: "4" }\n', 'providers.cloudconnexa.concurrency', /expected number/],
    ['providers:\n  cloudconnexa: { concurrency: 0 }\n', 'providers.cloudconnexa.concurrency', /too small|>=1/i],
    ['providers:\n  azure: { subscriptionId: 42 }\n', 'providers.azure.subscriptionId', /expected string/],
    ['providers:\n  cloudconnexa: { sessionsApi: v3 }\n', 'providers.cloudconnexa.sessionsApi', /v1|beta/],
    ['cache: { ttlSeconds: soon }\n', 'cache.ttlSeconds', /expected number/],
    ['fetch: { timeoutSeconds: -1 }\n', 'fetch.timeoutSeconds', /too small|>0/i],
  ])('a wrong type is named with its key: %j', (text, key, why) => {
    const e = loadError(text);
    expect(e.message).toContain(`: ${key}`);
    expect(e.message).toMatch(why);
  });

  it('refuses a literal secret without repeating it, pointing to <key>Env', () => {
    const e = loadError('providers:\n  cloudconnexa:\n    clientSecret: s3cr3t-value\n');
    expect(e.message).toMatch(/providers\.cloudconnexa\.clientSecret is a secret and cannot be written in a config file/);
    expect(e.hint).toMatch(/clientSecretEnv: MY_VARIABLE \(or set CLOUDCONNEXA_CLIENT_SECRET\)/);
    expect(`${e.message} ${e.hint}`).not.toContain('s3cr3t');
    expect(loadError('providers:\n  azure: { accessToken: eyJ0eXAi }\n').hint).toMatch(/accessTokenEnv/);
  });

  it('a <key>Env value must be a variable name, and is never repeated (it may be the secret itself)', () => {
    const e = loadError('providers:\n  cloudconnexa:\n    clientSecretEnv: "abc-123/xyz=="\n');
    expect(e.message).toMatch(/providers\.cloudconnexa\.clientSecretEnv: must be the name of an environment variable/);
    expect(e.message).not.toContain('abc-123');
  });

  it('a key set both literally and by variable is ambiguous', () => {
    expect(loadError('providers:\n  azure: { subscriptionId: a, subscriptionIdEnv: B }\n').message).toMatch(
      /sets both subscriptionId and subscriptionIdEnv/,
    );
  });

  it('YAML syntax errors and non-mapping files are INVALID_CONFIG; the source line is not echoed', () => {
    const e = loadError('providers:\n  cloudconnexa: { clientSecretEnv: X\n  oops: [s3cr3t\n');
    expect(e.message).toMatch(/is not valid YAML/);
    expect(e.message).not.toContain('s3cr3t');
    expect(loadError('- a\n- b\n').message).toMatch(/must be a YAML mapping/);
  });
});

describe('engine options from the config file', () => {
  it('resolves variable names from the environment; unset variables leave the key unset', () => {
    const { dir } = configIn(VALID);
    const cfg = loadConfigFile(undefined, dir, {})!;
    const o = configToEngineOptions(cfg, { MY_CC_ID: 'id-1', MY_CC_SECRET: 'secret-1', MY_ARM_TOKEN: '' });
    expect(o.config).toEqual({
      cloudconnexa: { baseUrl: 'https://acme.api.openvpn.com', sessionsApi: 'beta', clientId: 'id-1', clientSecret: 'secret-1' },
      azure: { subscriptionId: '00000000-0000-0000-0000-000000000001', networkApiVersion: '2024-05-01' },
    });
    expect(o.cache).toEqual({ ttlSeconds: 60 });
    expect(o.fetch).toEqual({ concurrency: 3, timeoutMs: 20_000 });
    expect(o.providerFetch).toEqual({ cloudconnexa: { concurrency: 2, timeoutMs: 12_500 } });
  });

  it('cache: false and ttlSeconds: 0 disable the cache', () => {
    for (const text of ['cache: false\n', 'cache: { ttlSeconds: 0 }\n']) {
      const { dir } = configIn(text);
      expect(configToEngineOptions(loadConfigFile(undefined, dir, {})!, {}).cache).toBe(false);
    }
  });

  it('explicit options win over the file, key by key', () => {
    const file = {
      config: { cloudconnexa: { baseUrl: 'https://file', sessionsApi: 'beta' } },
      cache: { ttlSeconds: 60 },
      fetch: { concurrency: 3, timeoutMs: 1000 },
    };
    const merged = mergeUnder(
      { config: { cloudconnexa: { baseUrl: 'http://127.0.0.1:1', clientId: undefined } }, cache: { ttlSeconds: undefined }, fetch: { timeoutMs: 5 } },
      file,
    );
    expect(merged.config).toEqual({ cloudconnexa: { baseUrl: 'http://127.0.0.1:1', sessionsApi: 'beta' } });
    expect(merged.cache).toEqual({ ttlSeconds: 60 });
    expect(merged.fetch).toEqual({ concurrency: 3, timeoutMs: 5 });
    expect(mergeUnder({ cache: false }, file).cache).toBe(false);
    expect(mergeUnder({ cache: { ttlSeconds: 5 } }, file).cache).toEqual({ ttlSeconds: 5 });
    expect(mergeUnder({}, { config: {}, cache: false }).cache).toBe(false);
  });

  describe('an engine configured only by the file and the variables it names', () => {
    let sim: Awaited<ReturnType<typeof startCloudConnexaSimulator>>;
    beforeAll(async () => {
      sim = await startCloudConnexaSimulator({ sessions: 20 });
    });
    afterAll(async () => {
      await sim?.close();
    });

    it('queries the simulator', async () => {
      const { dir } = configIn(`providers:\n  cloudconnexa:\n    baseUrl: ${sim.url}\n    clientIdEnv: ACME_ID\n    clientSecretEnv: ACME_SECRET\n`);
      const env = { ACME_ID: sim.clientId, ACME_SECRET: sim.clientSecret, XDG_CONFIG_HOME: join(dir, 'none') };
      const engine = createEngine({ ...withConfigFile({}, {}, dir, env), env: {} });
      try {
        const r = await engine.query('SELECT count(*) AS n FROM cloudconnexa.vpn.regions');
        expect(r.rows[0][0]).toBeGreaterThan(0);
      } finally {
        engine.close();
      }
    });
  });
});
