// Public contract of the fetch stage: the HTTP port, progress events, a planned call and its stats.
// Invariant: nothing here carries a secret; events and stats are safe to print.
import type { LongRunningKind, ParameterSpec, PaginationSpec, ProviderSpec } from '../manifest/schema.js';

/** The token bucket the API's rate-limit headers describe (defined here so pacer.ts and its users share it without a cycle). */
export interface RateLimitInfo {
  tokensPerSecond: number;
  capacity: number;
}

/** What the API's rate-limit headers told a provider client so far: the bucket, and the tokens in hand now. */
export interface QuotaState {
  limits: RateLimitInfo;
  tokens: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest body read (after decompression); a larger one fails as TransportError `too-large`. */
  maxBytes?: number;
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
  /** `attempt` of `of` attempts failed; the next one follows after `waitMs`. */
  | { kind: 'retry'; resourceId: string; status?: number; reason: string; waitMs: number; attempt: number; of: number }
  /** `held`: the API asked every sender to wait (after a 429); otherwise client-side pacing. */
  | { kind: 'rate-limit-wait'; waitMs: number; held?: boolean }
  /** Poll number `poll` of a long-running operation follows after `waitMs`; it may run `limitMs` in all. */
  | { kind: 'lro-poll'; resourceId: string; waitMs: number; poll?: number; limitMs?: number }
  /**
   * After a page, while the API's rate limit is known: the pages call `source` still has (the
   * total-pages field, or a schedule's estimate) and the bucket; QuotaEstimates turns these into
   * "~2 h 05 m left at 1 request / 15 s" when the fetch is quota-bound.
   */
  | { kind: 'estimate'; resourceId: string; source: string; pagesLeft: number; limits: RateLimitInfo; tokens: number };

/** The part of @azure/identity's TokenCredential that sessql uses (injectable for tests). */
export interface AzureTokenCredential {
  getToken(scope: string, options?: { abortSignal?: AbortSignal }): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** AWS credentials as the SDK's providers return them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What a program can inject per auth kind: a TokenCredential, an AWS credential provider. */
export interface InjectedCredentials {
  'azure-credential'?: AzureTokenCredential;
  sigv4?: () => Promise<AwsCredentialIdentity>;
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
  /** Largest response body accepted, in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** Empty pages in a row that still announce a next page before PAGINATION_LOOP (default 25). */
  maxEmptyPages?: number;
  /** Pages of one call before PAGINATION_LOOP (default 50,000). */
  maxPages?: number;
  onEvent?: (e: FetchEvent) => void;
  /** Credentials supplied per auth kind instead of the kind's own source (tests, or programs with their own). */
  credentials?: InjectedCredentials;
}

export interface FetchCall {
  resourceId: string;
  request: {
    method: 'GET' | 'POST';
    path: string;
    query: Record<string, string | number | boolean>;
    body?: Record<string, unknown>;
    headers?: Record<string, string>;
  };
  parameters: Record<string, ParameterSpec>;
  params: Record<string, string | number | boolean>;
  rows: string;
  pagination: PaginationSpec;
  longRunning?: LongRunningKind;
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
  /** The API's token bucket as its rate-limit headers described it so far (none before a response). */
  quota(): QuotaState | undefined;
}
