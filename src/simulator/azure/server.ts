// The fake ARM + AAD HTTP service for Azure Bastion (api-facts B): auth, throttling, api-version,
// routing, paging, getActiveSessions LROs and disconnect. Invariant: checks run in ARM's order
// (fault → AAD token route | bearer → throttle → api-version → route) and every reply is logged once.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleTokenRequest, type TokenRegistry } from './aad.js';
import { hostArmId } from './data.js';
import { faultError, MALFORMED_BODY, type FaultSet } from './faults.js';
import { Exchange, sleep } from './http.js';
import { asyncOperationUrl, locationUrl, operationStatus, type Operation, type OperationStore } from './lro.js';
import type { Page, Pager } from './paging.js';
import type { RateLimiter } from './ratelimit.js';
import type { Rng } from './prng.js';
import type { AzureResourceGroup, AzureSimData, AzureSimOptions, AzureSubscription, BastionHost, Fault, RequestKind, SimRequest } from './types.js';

export interface ArmState {
  data: AzureSimData;
  log: SimRequest[];
  pager: Pager;
  ops: OperationStore;
  tokens: TokenRegistry;
  faults: FaultSet;
  limiter: RateLimiter;
  /** Request/trace ids (x-ms-request-id, AAD trace ids). */
  ids: Rng;
  now: () => number;
  latencyMs: number;
  lro: NonNullable<AzureSimOptions['lro']>;
  retryAfterSeconds: number;
  asyncOperationHeader: boolean;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Object id of the service principal, for AuthorizationFailed messages. */
  objectId: string;
  /** Set once the server listens: http://127.0.0.1:<port>. */
  baseUrl: string;
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** The request kind recorded in the log; decided from method and path alone, before any check. */
export function classify(method: string, lower: string[], hasSkipToken: boolean): RequestKind {
  if (lower.length === 4 && lower[1] === 'oauth2' && lower[2] === 'v2.0' && lower[3] === 'token') return 'token';
  if (lower[0] !== 'subscriptions') return 'other';
  if (method === 'GET' && hasSkipToken) return 'nextLink';
  const last = lower[lower.length - 1];
  if (lower[lower.length - 2] === 'operationresults' && lower[lower.length - 3] === 'getactivesessions') return 'poll';
  if (lower.length === 8 && lower[2] === 'providers' && lower[4] === 'locations' && lower[6] === 'operations') return 'poll';
  if (last === 'getactivesessions' && method === 'POST') return 'getActiveSessions';
  if (last === 'disconnectactivesessions' && method === 'POST') return 'disconnect';
  if (lower.length === 1) return 'subscriptions';
  if (last === 'bastionhosts' || lower[lower.length - 2] === 'bastionhosts') return 'bastionHosts';
  return 'other';
}

export function createArmServer(state: ArmState): Server {
  const server = createServer((req, res) => {
    void handle(state, req, res);
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

async function handle(s: ArmState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let ex: Exchange;
  try {
    ex = new Exchange(req, res, s.log, s.now);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad Request');
    return;
  }
  ex.kind = classify(ex.method, ex.lower, ex.param('$skipToken') !== undefined);
  try {
    await sleep(s.latencyMs);
    const fault = s.faults.take(ex.method, ex.path);
    if (fault) {
      await sleep(fault.delayMs ?? 0);
      const passThrough = fault.status >= 200 && fault.status < 300 && fault.body === undefined;
      if (!passThrough) {
        replyFault(s, ex, fault);
        return;
      }
    }
    if (ex.kind === 'token') {
      await handleTokenRequest(ex, {
        tenantId: s.tenantId,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        tokens: s.tokens,
        now: s.now,
        newId: () => s.ids.uuid(),
        baseUrl: () => s.baseUrl,
      });
      return;
    }
    ex.header('x-ms-request-id', s.ids.uuid());
    ex.header('x-ms-correlation-request-id', s.ids.uuid());
    const auth = s.tokens.check(req.headers.authorization);
    if (!auth.ok) {
      ex.armError(401, auth.code, auth.message, {
        'WWW-Authenticate': `Bearer authorization_uri="${s.baseUrl}/${s.tenantId}", error="invalid_token", error_description="${auth.message.replace(/"/g, "'")}"`,
      });
      return;
    }
    const subscriptionId = ex.lower[0] === 'subscriptions' ? ex.segments[1] : undefined;
    const retryAfter = s.limiter.throttled();
    if (retryAfter !== undefined) {
      const op = ex.method === 'GET' ? 'read' : 'write';
      ex.armError(
        429,
        'TooManyRequests',
        `The request is being throttled as the limit has been reached for operation type - ${op === 'read' ? 'Read' : 'Write'}_ObservationWindow_00:05:00. For more information, refer to - https://aka.ms/armthrottle`,
        { 'Retry-After': String(retryAfter), ...s.limiter.headers(ex.method, subscriptionId, false) },
      );
      return;
    }
    for (const [k, v] of Object.entries(s.limiter.headers(ex.method, subscriptionId))) ex.header(k, v);
    const apiVersion = ex.param('api-version');
    if (apiVersion === undefined || apiVersion === '') {
      ex.armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      return;
    }
    if (!API_VERSION.test(apiVersion)) {
      ex.armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are '2025-07-01,2025-05-01,2025-03-01,2025-01-01,2024-10-01,2024-07-01,2024-05-01,2024-03-01,2024-01-01,2023-11-01,2023-09-01'.`,
      );
      return;
    }
    await route(s, ex, apiVersion);
  } catch (err) {
    ex.armError(500, 'InternalServerError', `Encountered internal server error. Diagnostic information: ${String(err)}`);
  }
}

function replyFault(s: ArmState, ex: Exchange, f: Fault): void {
  const headers: Record<string, string> = {};
  // ARM always sends Retry-After with a 429 (api-facts B.5)
  const retryAfter = f.retryAfterSeconds ?? (f.status === 429 ? s.retryAfterSeconds : undefined);
  if (retryAfter !== undefined) headers['Retry-After'] = String(Math.max(0, Math.round(retryAfter)));
  if (f.body === 'malformed') {
    ex.raw(f.status, MALFORMED_BODY, 'application/json; charset=utf-8', headers);
    return;
  }
  if (f.body !== undefined) {
    const looksJson = /^\s*[[{]/.test(f.body);
    ex.raw(f.status, f.body, looksJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', headers);
    return;
  }
  const { code, message } = faultError(f, ex.path, ex.kind, { clientId: s.clientId, objectId: s.objectId });
  ex.armError(f.status, code, message, headers);
}

// ---------------------------------------------------------------------------------------------
// Routing

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function notFound(ex: Exchange, apiVersion: string): void {
  const provider = ex.lower.lastIndexOf('providers');
  if (provider >= 0 && ex.segments[provider + 1]) {
    const namespace = ex.segments[provider + 1];
    const type = ex.segments[provider + 2] ?? '';
    ex.armError(
      404,
      'InvalidResourceType',
      `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
    );
    return;
  }
  ex.armError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${ex.req.url ?? ex.path}'.`);
}

function methodNotAllowed(ex: Exchange): void {
  ex.armError(405, 'HttpMethodNotAllowed', `The HTTP method '${ex.method}' is not supported for this request URI.`);
}

function subscriptionJson(sub: AzureSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: sub.subscriptionId,
    tenantId: sub.tenantId,
    displayName: sub.displayName,
    state: sub.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'EnterpriseAgreement_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

function resourceGroupJson(rg: AzureResourceGroup): Record<string, unknown> {
  return {
    id: `/subscriptions/${rg.subscriptionId}/resourceGroups/${rg.name}`,
    name: rg.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg.location,
    properties: { provisioningState: 'Succeeded' },
  };
}

/** A paged list: page 1 from `items()`, later pages (GET with $skipToken) from page 1's snapshot. */
function list(s: ArmState, ex: Exchange, apiVersion: string, canonicalPath: string, items: () => unknown[]): void {
  const base = `${s.baseUrl}${canonicalPath}`;
  const token = ex.param('$skipToken');
  if (token !== undefined) {
    if (ex.method !== 'GET') {
      ex.armError(400, 'InvalidRequestContent', 'A nextLink must be fetched with GET.');
      return;
    }
    const page = s.pager.resume(token, base, apiVersion);
    if (!page) {
      ex.armError(400, 'InvalidSkipToken', `The provided skip token '${token}' is not valid.`); // [I] code
      return;
    }
    ex.json(200, page);
    return;
  }
  ex.json(200, s.pager.first(items(), base, apiVersion));
}

function isLro(s: ArmState, host: BastionHost): boolean {
  const mode = s.lro;
  if (mode === 'none') return false;
  if (mode === 'all') return true;
  if (mode === 'half') return s.data.bastionHosts.indexOf(host) % 2 === 1;
  return mode(host.name);
}

function sessionsPage(s: ArmState, hostId: string, apiVersion: string): Page {
  const sessions = s.data.sessions.get(hostId.toLowerCase()) ?? [];
  return s.pager.first(sessions, `${s.baseUrl}${hostId}/getActiveSessions`, apiVersion);
}

/** Counts a poll of `op`; on completion fixes its page 1 (ARM: "the exact same response" as a sync call). */
function pollOperation(s: ArmState, op: Operation): boolean {
  const done = s.ops.poll(op);
  if (done && !op.result) {
    op.result = sessionsPage(s, hostArmId(op.subscriptionId, op.resourceGroup, op.hostName), op.apiVersion);
  }
  return done;
}

async function route(s: ArmState, ex: Exchange, apiVersion: string): Promise<void> {
  const L = ex.lower;
  const S = ex.segments;
  const get = ex.method === 'GET';
  if (L[0] !== 'subscriptions') return notFound(ex, apiVersion);

  if (L.length === 1) {
    if (!get) return methodNotAllowed(ex);
    return list(s, ex, apiVersion, '/subscriptions', () => s.data.subscriptions.map(subscriptionJson));
  }

  const sub = s.data.subscriptions.find((x) => eq(x.subscriptionId, S[1]));
  if (!sub) {
    ex.armError(404, 'SubscriptionNotFound', `The subscription '${S[1]}' could not be found.`);
    return;
  }
  const subPath = `/subscriptions/${sub.subscriptionId}`;
  if (L.length === 2) return get ? ex.json(200, subscriptionJson(sub)) : methodNotAllowed(ex);

  // /subscriptions/{sub}/providers/Microsoft.Network/...
  if (L[2] === 'providers') {
    if (L[3] !== 'microsoft.network') return notFound(ex, apiVersion);
    if (L.length === 5 && L[4] === 'bastionhosts') {
      if (!get) return methodNotAllowed(ex);
      return list(s, ex, apiVersion, `${subPath}/providers/Microsoft.Network/bastionHosts`, () =>
        s.data.bastionHosts.filter((h) => eq(h.id.split('/')[2], sub.subscriptionId)),
      );
    }
    if (L.length === 8 && L[4] === 'locations' && L[6] === 'operations') {
      if (!get) return methodNotAllowed(ex);
      const op = s.ops.get(S[7]);
      if (!op || !eq(op.subscriptionId, sub.subscriptionId) || !eq(op.location, S[5])) {
        ex.armError(404, 'OperationNotFound', `The operation '${S[7]}' could not be found.`); // [I] code
        return;
      }
      pollOperation(s, op);
      // ARM sends Retry-After with a status that is still InProgress (RPC async-api-reference)
      const body = operationStatus(op);
      return ex.json(200, body, body.status === 'InProgress' ? { 'Retry-After': String(s.retryAfterSeconds) } : {});
    }
    return notFound(ex, apiVersion);
  }

  if (L[2] !== 'resourcegroups') return notFound(ex, apiVersion);
  if (L.length === 3) {
    if (!get) return methodNotAllowed(ex);
    return list(s, ex, apiVersion, `${subPath}/resourcegroups`, () =>
      s.data.resourceGroups.filter((rg) => eq(rg.subscriptionId, sub.subscriptionId)).map(resourceGroupJson),
    );
  }
  const rg = s.data.resourceGroups.find((x) => eq(x.subscriptionId, sub.subscriptionId) && eq(x.name, S[3]));
  if (!rg) {
    ex.armError(404, 'ResourceGroupNotFound', `Resource group '${S[3]}' could not be found.`);
    return;
  }
  const rgPath = `${subPath}/resourceGroups/${rg.name}`;
  if (L.length === 4) return get ? ex.json(200, resourceGroupJson(rg)) : methodNotAllowed(ex);
  if (L[4] !== 'providers' || L[5] !== 'microsoft.network' || L[6] !== 'bastionhosts') return notFound(ex, apiVersion);
  if (L.length === 7) {
    if (!get) return methodNotAllowed(ex);
    return list(s, ex, apiVersion, `${rgPath}/providers/Microsoft.Network/bastionHosts`, () =>
      s.data.bastionHosts.filter((h) => eq(h.id.split('/')[2], sub.subscriptionId) && eq(h.id.split('/')[4], rg.name)),
    );
  }
  const host = s.data.bastionHosts.find((h) => eq(h.id, `${rgPath}/providers/Microsoft.Network/bastionHosts/${S[7]}`));
  if (!host) {
    ex.armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Network/bastionHosts/${S[7]}' under resource group '${S[3]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
    return;
  }
  if (L.length === 8) return get ? ex.json(200, host) : methodNotAllowed(ex);

  if (L[8] === 'getactivesessions') {
    if (L.length === 9) {
      if (ex.param('$skipToken') !== undefined) return list(s, ex, apiVersion, `${host.id}/getActiveSessions`, () => []);
      if (ex.method !== 'POST') return methodNotAllowed(ex);
      return getActiveSessions(s, ex, apiVersion, sub, rg, host);
    }
    if (L.length === 11 && L[9] === 'operationresults') {
      if (!get) return methodNotAllowed(ex);
      const op = s.ops.get(S[10]);
      if (!op || op.hostKey !== host.id.toLowerCase()) {
        ex.armError(404, 'OperationNotFound', `The operation '${S[10]}' could not be found.`); // [I] code
        return;
      }
      if (!pollOperation(s, op)) {
        ex.empty(202, { Location: locationUrl(s.baseUrl, op), 'Retry-After': String(s.retryAfterSeconds) });
        return;
      }
      return ex.json(200, op.result);
    }
  }
  if (L[8] === 'disconnectactivesessions' && L.length === 9) {
    if (ex.param('$skipToken') !== undefined) return list(s, ex, apiVersion, `${host.id}/disconnectActiveSessions`, () => []);
    if (ex.method !== 'POST') return methodNotAllowed(ex);
    return disconnect(s, ex, apiVersion, host);
  }
  return notFound(ex, apiVersion);
}

/** POST getActiveSessions (api-facts B.1): 200 with page 1, or 202 + Location (+ Azure-AsyncOperation) for LRO hosts. */
function getActiveSessions(s: ArmState, ex: Exchange, apiVersion: string, sub: AzureSubscription, rg: AzureResourceGroup, host: BastionHost): void {
  if (!isLro(s, host)) {
    ex.json(200, sessionsPage(s, host.id, apiVersion));
    return;
  }
  const op = s.ops.start({
    subscriptionId: sub.subscriptionId,
    resourceGroup: rg.name,
    hostName: host.name,
    hostKey: host.id.toLowerCase(),
    location: host.location,
    apiVersion,
  });
  const headers: Record<string, string> = {
    Location: locationUrl(s.baseUrl, op),
    'Retry-After': String(s.retryAfterSeconds),
  };
  if (s.asyncOperationHeader) headers['Azure-AsyncOperation'] = asyncOperationUrl(s.baseUrl, op);
  ex.empty(202, headers);
}

/** POST disconnectActiveSessions (api-facts B.2): body {sessionIds: string[]}, synchronous, pageable. */
async function disconnect(s: ArmState, ex: Exchange, apiVersion: string, host: BastionHost): Promise<void> {
  const text = await ex.body();
  let ids: string[] | undefined;
  let reason = "Required property 'sessionIds' not found in JSON.";
  if (text.trim() === '') reason = 'The request body is empty.';
  else {
    try {
      const parsed: unknown = JSON.parse(text);
      const raw = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).sessionIds : undefined;
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) ids = raw as string[];
      else if (raw !== undefined) reason = "Property 'sessionIds' must be an array of strings.";
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
  }
  if (!ids) {
    ex.armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${reason}'`);
    return;
  }
  const key = host.id.toLowerCase();
  const sessions = s.data.sessions.get(key) ?? [];
  const results = ids.map((id) => {
    const i = sessions.findIndex((x) => eq(x.sessionId, id));
    if (i < 0) return { sessionId: id, message: `session ${id} not found!`, state: 'NotFound' };
    sessions.splice(i, 1);
    return { sessionId: id, message: `session ${id} invalidated!`, state: 'Disconnected' };
  });
  if (!s.data.sessions.has(key)) s.data.sessions.set(key, sessions);
  ex.json(200, s.pager.first(results, `${s.baseUrl}${host.id}/disconnectActiveSessions`, apiVersion));
}
