// Test helpers: engines wired to the simulators on 127.0.0.1, with fast retry waits.
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.js';
import { SessqlError } from '../../src/errors.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import type { AzureSimulator } from '../../src/simulator/azure/types.js';
import type { BoundarySimulator } from '../../src/simulator/boundary/index.js';
import type { SsmSimulator } from '../../src/simulator/ssm/index.js';

export function ccEngine(sim: CloudConnexaSimulator, extra: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    env: {},
    cache: false,
    ...extra,
    config: { cloudconnexa: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, ...extra.config?.cloudconnexa } },
    fetch: { retryWaitCapMs: 20, lroPollCapMs: 20, ...extra.fetch },
  });
}

export function azEngine(sim: AzureSimulator, extra: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    env: {},
    cache: false,
    ...extra,
    config: { azure: { resourceManagerUrl: sim.url, accessToken: sim.token, ...extra.config?.azure } },
    fetch: { retryWaitCapMs: 20, lroPollCapMs: 20, ...extra.fetch },
  });
}

export function bndEngine(sim: BoundarySimulator, extra: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    env: {},
    cache: false,
    ...extra,
    config: { boundary: { addr: sim.url, token: sim.token, ...extra.config?.boundary } },
    fetch: { retryWaitCapMs: 20, ...extra.fetch },
  });
}

export function ssmEngine(sim: SsmSimulator, extra: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    env: {},
    cache: false,
    ...extra,
    config: {
      aws: { endpoint: sim.url, region: sim.regions[0], accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey, ...extra.config?.aws },
    },
    fetch: { retryWaitCapMs: 20, ...extra.fetch },
  });
}

/** Requests the simulator received for a path (token requests excluded). */
export function apiRequests<T extends { path: string }>(requests: T[], path: string | RegExp): T[] {
  return requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)));
}

/** Runs one statement on a fresh engine, closing it after. */
export async function queryOnce(engine: Engine, sql: string) {
  try {
    return await engine.query(sql);
  } finally {
    engine.close();
  }
}

/** The SessqlError a statement fails with (the test fails if it succeeds). */
export async function failureOf(run: () => Promise<unknown>): Promise<SessqlError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof SessqlError) return e;
    throw e;
  }
  throw new Error('expected the statement to fail');
}
