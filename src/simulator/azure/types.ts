// Public types of the Azure (ARM + AAD) Bastion simulator: options, request log, faults and the
// ARM resource shapes it serves. Shapes follow api-facts.md B.1 (sessions), B.2 (disconnect), B.4 (hosts).
import type { SimRequest as SharedSimRequest } from '../shared/http.js';

export interface AzureSimOptions {
  /** PRNG seed for the data set and for generated ids (default 7). */
  seed?: number;
  /** Number of subscriptions (default 2). */
  subscriptions?: number;
  /** Resource groups per subscription (default 2). */
  resourceGroupsPerSubscription?: number;
  /** Bastion hosts per subscription, spread round-robin over its resource groups (default 3). */
  hostsPerSubscription?: number;
  /** Sessions per host, fixed or [min, max] (default [0, 8]); with a range starting at 0 a host with 0 sessions exists. */
  sessionsPerHost?: number | [number, number];
  /** Items per page on every list before nextLink (default 5); <= 0 means one page. */
  pageSize?: number;
  /** Which hosts answer getActiveSessions with 202 (default 'half' = hosts at odd positions of data.bastionHosts). */
  lro?: 'none' | 'half' | 'all' | ((hostName: string) => boolean);
  /** How many polls of an operation (Location or Azure-AsyncOperation GETs) answer "still running" (default 1). */
  lroPolls?: number;
  /** Retry-After (integer seconds) on 202s (default 0; real ARM says >= 10, api-facts B.1). */
  retryAfterSeconds?: number;
  /** Also send Azure-AsyncOperation on the initial 202 (default true). */
  asyncOperationHeader?: boolean;
  /** Added to every response (default 0). */
  latencyMs?: number;
  /** Bearer tokens accepted by ARM without calling AAD (default ['sim-azure-token']). */
  tokens?: string[];
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Clock for session start times, token expiry, LRO timestamps and the request log (default Date.now). */
  now?: () => number;
  /** Every Nth authenticated ARM request answers 429 (default false). */
  throttle?: { every: number; retryAfterSeconds: number } | false;
}

export type RequestKind = 'token' | 'subscriptions' | 'bastionHosts' | 'getActiveSessions' | 'poll' | 'nextLink' | 'disconnect' | 'other';

/** The shared request log entry (src/simulator/shared/http.ts), with the ARM request kind. */
export interface SimRequest extends SharedSimRequest {
  kind: RequestKind;
}

/**
 * A scripted failure. `path`: a string matches when the request path contains it (case-insensitive),
 * a RegExp is tested against the path. `after`: let that many matching requests through first.
 * `times`: how often it fires (default: every matching request). A 2xx `status` without `body`
 * only delays (`delayMs`) and then lets the request through.
 */
export interface Fault {
  path?: string | RegExp;
  method?: string;
  status: number;
  code?: string;
  message?: string;
  times?: number;
  after?: number;
  body?: 'malformed' | string;
  delayMs?: number;
  retryAfterSeconds?: number;
}

export interface AzureSubscription {
  subscriptionId: string;
  displayName: string;
  state: string;
  tenantId: string;
}

export interface AzureResourceGroup {
  subscriptionId: string;
  name: string;
  location: string;
}

export type BastionSkuName = 'Basic' | 'Standard' | 'Developer' | 'Premium';

export interface BastionHostIpConfiguration {
  id: string;
  name: string;
  etag: string;
  type: string;
  properties: {
    provisioningState: string;
    privateIPAllocationMethod: string;
    subnet: { id: string };
    publicIPAddress?: { id: string };
  };
}

export interface BastionHost {
  id: string;
  name: string;
  type: 'Microsoft.Network/bastionHosts';
  location: string;
  tags: Record<string, string>;
  etag: string;
  sku: { name: BastionSkuName };
  zones: string[];
  properties: {
    provisioningState: string;
    dnsName: string;
    scaleUnits: number;
    disableCopyPaste: boolean;
    enableFileCopy: boolean;
    enableIpConnect: boolean;
    enableShareableLink: boolean;
    enableTunneling: boolean;
    enableKerberos: boolean;
    enableSessionRecording: boolean;
    enablePrivateOnlyBastion: boolean;
    ipConfigurations: BastionHostIpConfiguration[];
  };
}

/** api-facts B.1: every field optional/readOnly in the spec; startTime is typed `object` but sent as a string. */
export interface BastionActiveSession {
  sessionId: string;
  startTime: string;
  targetSubscriptionId: string;
  resourceType: string;
  targetHostName: string;
  targetResourceGroup: string;
  userName: string;
  targetIpAddress: string;
  protocol: 'SSH' | 'RDP';
  targetResourceId: string;
  sessionDurationInMins: number;
}

export interface AzureSimData {
  subscriptions: AzureSubscription[];
  /** Resource groups, including ones that hold no Bastion host. */
  resourceGroups: AzureResourceGroup[];
  bastionHosts: BastionHost[];
  /** Active sessions keyed by the lower-cased ARM id of their Bastion host. */
  sessions: Map<string, BastionActiveSession[]>;
}

export interface AzureSimulator {
  /** http://127.0.0.1:<port>: the ARM base URL and the AAD authority host. */
  url: string;
  port: number;
  /** A bearer token ARM accepts (the first of `tokens`). */
  token: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  requests: SimRequest[];
  data: AzureSimData;
  injectFault(f: Fault): void;
  /** The simulator's clock (the `now` option plus the time let pass). */
  now(): number;
  /**
   * Lets simulated time pass: remaining sessions grow older, a share `endSessions` (0..1) of the
   * active sessions end, `newSessions` start (for snapshot syncs of active_sessions).
   */
  advance(ms: number, what?: { endSessions?: number; newSessions?: number }): void;
  /** Every token accepted so far now answers 401 ExpiredAuthenticationToken; tokens issued later work. */
  expireTokens(): void;
  resetLog(): void;
  close(): Promise<void>;
}
