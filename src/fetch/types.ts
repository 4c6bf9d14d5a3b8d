// Public contract of the fetch stage: the HTTP port, progress events, a planned call and its stats.
// Invariant: nothing here carries a secret; events and stats are safe to print.
import type { ParameterSpec, PaginationSpec, ProviderSpec } from '../manifest/schema.js';
import type { RateLimitInfo } from './pacer.js';

export type { RateLimitInfo };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Header names are lower-case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Never throws for an HTTP status; throws TransportError for network failures, timeouts and aborts. */
export interface HttpPort {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export type FetchEvent =
  | { kind: 'request'; resourceId: string; method: string; path: string }
  | { kind: 'page'; resourceId: string; rows: number }
  | { kind: 'retry'; resourceId: string; status?: number; reason: string; waitMs: number; attempt: number }
  | { kind: 'rate-limit-wait'; waitMs: number }
  | { kind: 'lro-poll'; resourceId: string; waitMs: number }
  /** A quota-bound fetch's estimated time left (quota-estimate.ts), as pages arrive. */
  | { kind: 'estimate'; resourceId: string; msLeft: number; text: string };

/** The part of @azure/identity's TokenCredential that sessql uses (injectable for tests). */
export interface AzureTokenCredential {
  getToken(scope: string, options?: { abortSignal?: AbortSignal }): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

export interface ProviderClientOptions {
  spec: ProviderSpec;
  config: Record<string, string | undefined>;
  http?: HttpPort;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  retryWaitCapMs?: number;
  lroPollCapMs?: number;
  lroTimeoutMs?: number;
  concurrency?: number;
  timeoutMs?: number;
  onEvent?: (e: FetchEvent) => void;
  /** Replaces DefaultAzureCredential for auth kind `azure` (tests, or programs with their own credential). */
  azureCredential?: AzureTokenCredential;
}

export interface FetchCall {
  resourceId: string;
  request: { method: 'GET' | 'POST'; path: string; query: Record<string, string | number | boolean>; body?: Record<string, unknown> };
  parameters: Record<string, ParameterSpec>;
  params: Record<string, string | number | boolean>;
  rows: string;
  pagination: PaginationSpec;
  longRunning?: 'azure-async';
  idempotent?: boolean;
  maxRows?: number;
  signal?: AbortSignal;
  /**
   * Called once after the first page: `more` says whether another page follows, `rateLimit` what
   * the API's rate-limit headers said so far. Returning false ends the call after that page.
   */
  afterFirstPage?: (info: { more: boolean; rateLimit?: RateLimitInfo }) => boolean;
  /** Asked after every page delivered: true ends the call there (the caller fetches the rest another way). */
  stopAfterPage?: () => boolean;
}

export interface CallStats {
  requests: number;
  pages: number;
  rows: number;
  retries: number;
  throttled: number;
  polls: number;
  tokenRequests: number;
}

export interface ProviderClient {
  readonly name: string;
  fetchPages(call: FetchCall, onPage: (items: unknown[]) => void | Promise<void>): Promise<CallStats>;
  readonly totals: CallStats;
  checkConfig(): void;
}
