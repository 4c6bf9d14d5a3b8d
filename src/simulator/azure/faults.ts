// Scripted failures for the Azure simulator (injectFault). Invariant: a fault fires only on requests
// it matches, skips its first `after` matches, fires at most `times` times (default: unlimited), and
// its error body is the ARM CloudError envelope unless a raw or malformed body is asked for.
import type { Fault, RequestKind } from './types.js';

interface FaultState {
  fault: Fault;
  seen: number;
  fired: number;
}

export class FaultSet {
  private readonly faults: FaultState[] = [];

  add(fault: Fault): void {
    this.faults.push({ fault, seen: 0, fired: 0 });
  }

  /** The first fault that fires for this request, with its counters advanced. */
  take(method: string, path: string): Fault | undefined {
    for (const state of this.faults) {
      const f = state.fault;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined) {
        const hit = typeof f.path === 'string' ? path.toLowerCase().includes(f.path.toLowerCase()) : f.path.test(path);
        if (!hit) continue;
      }
      state.seen++;
      if (state.seen <= (f.after ?? 0)) continue;
      if (state.fired >= (f.times ?? Infinity)) continue;
      state.fired++;
      return f;
    }
    return undefined;
  }
}

/** The truncated JSON a 'malformed' fault answers with. */
export const MALFORMED_BODY = '{"value":[{"sessionId":"9f1c2d3e-0000-4000-8000-00000000beef","startTime":';

const DEFAULT_CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'The request is invalid.'],
  401: ['InvalidAuthenticationToken', 'The access token is invalid.'],
  404: ['ResourceNotFound', 'The requested resource was not found.'],
  409: ['AnotherOperationInProgress', 'Another operation on this or dependent resource is in progress.'],
  429: ['TooManyRequests', 'The request is being throttled. For more information, refer to - https://aka.ms/armthrottle'],
  500: ['InternalServerError', 'Encountered internal server error.'],
  502: ['BadGateway', "The gateway did not receive a valid response from 'Microsoft.Network'."],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry the request.'],
  504: ['GatewayTimeout', "The gateway did not receive a response from 'Microsoft.Network' within the specified time period."],
};

/** RBAC action and scope ARM names in an AuthorizationFailed message for this path. */
function authorizationTarget(path: string, kind: RequestKind): { action: string; scope: string } {
  const hostScope = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/bastionHosts\/[^/]+)/i.exec(path)?.[1];
  const subScope = /^(\/subscriptions\/[^/]+)/i.exec(path)?.[1] ?? '/';
  const scope = hostScope ?? path.replace(/\/+$/, '');
  if (kind === 'getActiveSessions' || /\/getActiveSessions/i.test(path))
    return { action: 'Microsoft.Network/bastionHosts/getActiveSessions/action', scope: hostScope ?? scope };
  if (kind === 'disconnect' || /\/disconnectActiveSessions/i.test(path))
    return { action: 'Microsoft.Network/bastionHosts/disconnectActiveSessions/action', scope: hostScope ?? scope };
  if (/\/bastionHosts/i.test(path)) return { action: 'Microsoft.Network/bastionHosts/read', scope };
  if (/\/resourceGroups/i.test(path)) return { action: 'Microsoft.Resources/subscriptions/resourceGroups/read', scope };
  return { action: 'Microsoft.Resources/subscriptions/read', scope: subScope };
}

export function faultError(
  f: Fault,
  path: string,
  kind: RequestKind,
  principal: { clientId: string; objectId: string },
): { code: string; message: string } {
  if (f.status === 403) {
    const { action, scope } = authorizationTarget(path, kind);
    return {
      code: f.code ?? 'AuthorizationFailed',
      message:
        f.message ??
        `The client '${principal.clientId}' with object id '${principal.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    };
  }
  const [code, message] = DEFAULT_CODES[f.status] ?? ['Error', `The request failed with status ${f.status}.`];
  return { code: f.code ?? code, message: f.message ?? message };
}
