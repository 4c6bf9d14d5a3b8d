// Entry point of the Azure Resource Manager + AAD simulator for Azure Bastion (api-facts B, D):
// resolves options, builds the seeded data set and starts the HTTP server on 127.0.0.1:<random port>.
// Invariant: the same options (seed, now) give the same data, ids and answers to the same requests.
import type { AddressInfo } from 'node:net';
import { TokenRegistry } from './aad.js';
import { generateData } from './data.js';
import { FaultSet } from './faults.js';
import { OperationStore } from './lro.js';
import { Pager } from './paging.js';
import { createRng } from './prng.js';
import { RateLimiter } from './ratelimit.js';
import { passTime } from './time.js';
import { createArmServer, type ArmState } from './server.js';
import type { AzureSimOptions, AzureSimulator } from './types.js';

export type {
  AzureResourceGroup,
  AzureSimData,
  AzureSimOptions,
  AzureSimulator,
  AzureSubscription,
  BastionActiveSession,
  BastionHost,
  BastionHostIpConfiguration,
  BastionSkuName,
  Fault,
  RequestKind,
  SimRequest,
} from './types.js';
export { formatStartTime, hostArmId } from './data.js';

export const DEFAULT_TENANT_ID = '8d4b5a71-3c2e-4f60-9a1b-5e7c2d9f0a13';
export const DEFAULT_CLIENT_ID = '4f0c8e2a-9b7d-4e15-8c3a-1d2e6f7a9b04';
export const DEFAULT_CLIENT_SECRET = 'sim-azure-secret';
export const DEFAULT_TOKEN = 'sim-azure-token';

export async function startAzureSimulator(opts: AzureSimOptions = {}): Promise<AzureSimulator> {
  const seed = opts.seed ?? 7;
  const clock = opts.now ?? Date.now;
  let passed = 0;
  const now = () => clock() + passed;
  const timeRng = createRng(seed ^ 0x71de);
  const tenantId = opts.tenantId ?? DEFAULT_TENANT_ID;
  const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = opts.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const tokens = opts.tokens ?? [DEFAULT_TOKEN];

  const data = generateData({
    seed,
    subscriptions: Math.max(0, Math.trunc(opts.subscriptions ?? 2)),
    resourceGroupsPerSubscription: Math.max(0, Math.trunc(opts.resourceGroupsPerSubscription ?? 2)),
    hostsPerSubscription: Math.max(0, Math.trunc(opts.hostsPerSubscription ?? 3)),
    sessionsPerHost: opts.sessionsPerHost ?? [0, 8],
    tenantId,
    now: now(),
  });
  // separate streams so operation ids do not depend on how many other requests came first
  const ids = createRng(seed ^ 0x1d5eed);
  const opIds = createRng(seed ^ 0x0b5eed);

  const state: ArmState = {
    data,
    log: [],
    pager: new Pager(Math.trunc(opts.pageSize ?? 5)),
    ops: new OperationStore(Math.max(0, Math.trunc(opts.lroPolls ?? 1)), now, () => opIds.uuid()),
    tokens: new TokenRegistry(tokens, now),
    faults: new FaultSet(),
    limiter: new RateLimiter(opts.throttle ?? false, now),
    ids,
    now,
    latencyMs: Math.max(0, opts.latencyMs ?? 0),
    lro: opts.lro ?? 'half',
    retryAfterSeconds: Math.max(0, Math.round(opts.retryAfterSeconds ?? 0)),
    asyncOperationHeader: opts.asyncOperationHeader ?? true,
    tenantId,
    clientId,
    clientSecret,
    objectId: createRng(seed ^ 0x0b1ec7).uuid(),
    baseUrl: '',
  };

  const server = createArmServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: state.baseUrl,
    port,
    token: tokens[0] ?? '',
    tenantId,
    clientId,
    clientSecret,
    requests: state.log,
    data,
    injectFault: (f) => state.faults.add(f),
    now,
    advance: (ms, what = {}) => {
      passed += ms;
      passTime(data, timeRng, now(), ms, what);
    },
    expireTokens: () => state.tokens.expireAll(),
    resetLog: () => {
      state.log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
